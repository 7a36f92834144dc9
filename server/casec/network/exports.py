"""A network view as node-link JSON, GraphML, GEXF (Gephi) or a CSV edge list.

JSON, GraphML and GEXF are written by networkx's own writers. GraphML and GEXF
hold only scalar attributes, so lists (statement ids, sources, agreements and
events an edge goes through) are written space-separated (IRIs) or
``; ``-separated (labels), and missing values are left out.

GEXF is a dynamic graph, so Gephi's timeline plays the network over the years:
each edge carries a spell for each run of years it holds (its ``spells``), each
node the union of its edges' spells. Times are years as numbers; a year Y is the
span from Y to Y+1, so the years 1994–1999 are the spell ``start="1994.0"
end="2000.0"``. A link the sources give no year for carries no spell, and Gephi
shows it throughout (as does any node with such a link).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import networkx as nx

from casec.network.model import spells as spells_of

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


def node_link(graph: nx.MultiDiGraph, model: NetworkModel | None = None, evidence: bool = False) -> dict[str, object]:
    """networkx's node-link form (``nodes``, ``links``); with ``evidence``, every statement's quotes too."""
    data: dict[str, object] = nx.node_link_data(graph, edges="links")
    data["counts"] = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    if evidence and model is not None:
        ids = {s for _, _, statements in graph.edges(data="statements") for s in statements}
        data["statements"] = model.evidence(ids)
    return data


def _scalar(value: object, label: bool = False) -> object:
    if isinstance(value, list | tuple | set | frozenset):
        return ("; " if label else " ").join(str(v) for v in value)
    return value


def _spells_text(runs: list[list[int]]) -> str:
    """``[[1994, 1999], [2006, 2012]]`` → ``"1994-1999 2006-2012"`` (for GraphML)."""
    return " ".join(f"{a}-{b}" for a, b in runs)


def gexf_spells(runs: list[list[int]]) -> list[tuple[float, float]]:
    """Runs of years as GEXF spells: the years a–b are the times a to b + 1."""
    return [(float(a), float(b + 1)) for a, b in runs]


def flat(graph: nx.MultiDiGraph, spells: bool = False) -> nx.MultiDiGraph:
    """A copy with list attributes joined into strings and missing values dropped (for GraphML and GEXF); with
    ``spells``, each edge's runs of years as GEXF spells, and each node's the union of its edges'."""
    copy = nx.MultiDiGraph()
    copy.graph.update({k: _scalar(v) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, key, data in graph.edges(keys=True, data=True):
        attributes = {
            k: _scalar(val, k.endswith("labels")) for k, val in data.items() if val is not None and k != "spells"
        }
        runs = data.get("spells") or []
        if spells and runs:
            attributes["spells"] = gexf_spells(runs)
        elif runs:
            attributes["spells"] = _spells_text(runs)
        copy.add_edge(u, v, key=key, **attributes)
    if spells:
        copy.graph["mode"] = "dynamic"
        for node in copy.nodes:
            runs = [graph.edges[e].get("spells") or [] for e in graph.edges(node, keys=True)]
            runs += [graph.edges[e].get("spells") or [] for e in graph.in_edges(node, keys=True)]
            if runs and all(runs):  # a node with an undated link is there throughout
                copy.nodes[node]["spells"] = gexf_spells(spells_of(window for r in runs for window in r))
    return copy


def graphml(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(flat(graph), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()


def gexf(graph: nx.MultiDiGraph) -> bytes:
    copy = flat(graph, spells=True)
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
