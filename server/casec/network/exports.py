"""A network view as node-link JSON, GraphML, GEXF (Gephi) or a CSV edge list.

JSON, GraphML and GEXF are written by networkx's own writers. GraphML and GEXF
hold only scalar attributes, so lists (statement ids, sources, agreements and
events an edge goes through) are written space-separated (IRIs) or
``; ``-separated (labels), and missing values are left out.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from casec.network.model import NetworkModel

FORMATS = {
    "json": "application/json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "csv": "text/csv",
}
CSV_COLUMNS = [
    "source",
    "source_label",
    "source_type",
    "target",
    "target_label",
    "target_type",
    "relation",
    "role",
    "label",
    "directed",
    "via",
    "via_labels",
    "from_year",
    "to_year",
    "weight",
    "sources",
    "statements",
]


def node_link(graph: nx.MultiDiGraph, model: NetworkModel | None = None, evidence: bool = False) -> dict:
    """networkx's node-link form (``nodes``, ``links``); with ``evidence``, every statement's quotes too."""
    data = nx.node_link_data(graph, edges="links")
    data["counts"] = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    if evidence and model is not None:
        ids = {s for _, _, statements in graph.edges(data="statements") for s in statements}
        data["statements"] = model.evidence(ids)
    return data


def _scalar(value: object, label: bool = False) -> object:
    if isinstance(value, list | tuple | set | frozenset):
        return ("; " if label else " ").join(str(v) for v in value)
    return value


def flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with list attributes joined into strings and missing values dropped (for GraphML and GEXF)."""
    copy = nx.MultiDiGraph()
    copy.graph.update({k: _scalar(v) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, key, data in graph.edges(keys=True, data=True):
        copy.add_edge(
            u, v, key=key, **{k: _scalar(val, k.endswith("labels")) for k, val in data.items() if val is not None}
        )
    return copy


def graphml(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(flat(graph), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()


def gexf(graph: nx.MultiDiGraph) -> bytes:
    copy = flat(graph)
    # Gephi draws each edge's "label"; give every edge a unique id so parallel edges survive the round trip.
    for index, (_, _, data) in enumerate(copy.edges(data=True)):
        data["id"] = str(index)
    copy.graph.pop("name", None)
    buffer = io.BytesIO()
    nx.write_gexf(copy, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    return buffer.getvalue()


def edge_csv(graph: nx.MultiDiGraph) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for u, v, data in graph.edges(data=True):
        row = {k: _scalar(data.get(k), k.endswith("labels")) for k in CSV_COLUMNS if k in data}
        row.update(
            source=u,
            target=v,
            source_label=graph.nodes[u].get("label"),
            target_label=graph.nodes[v].get("label"),
            source_type=graph.nodes[u].get("type"),
            target_type=graph.nodes[v].get("type"),
            directed="true" if data.get("directed") else "false",
        )
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in CSV_COLUMNS})
    return buffer.getvalue()


def rows_csv(rows: list[dict[str, object]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return buffer.getvalue()


def render(graph: nx.MultiDiGraph, fmt: str, model: NetworkModel | None = None, evidence: bool = False) -> str | bytes:
    """The view in ``fmt`` (one of :data:`FORMATS`)."""
    import json

    if fmt == "json":
        return json.dumps(node_link(graph, model, evidence), ensure_ascii=False, indent=1)
    if fmt == "graphml":
        return graphml(graph)
    if fmt == "gexf":
        return gexf(graph)
    if fmt == "csv":
        return edge_csv(graph)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
