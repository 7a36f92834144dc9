"""Questions about a network view: how two entities are connected (with the quotes), an entity's
neighbourhood, and who is central (degree, betweenness, eigenvector centrality, Louvain communities).

Paths, neighbourhoods and centralities ignore edge direction: "linked to" is symmetric here.
"""

from __future__ import annotations

import itertools
from typing import Any, TypedDict

import networkx as nx

from casec.network.model import NetworkModel

LOUVAIN_SEED = 2013
METRIC_COLUMNS = [
    "iri",
    "label",
    "type",
    "degree",
    "degree_centrality",
    "betweenness",
    "eigenvector",
    "community",
]


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per linked pair, weighted by the number of statements behind it."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += data.get("weight", 1)
        else:
            simple.add_edge(u, v, weight=data.get("weight", 1))
    return simple


def edges_between(graph: nx.MultiDiGraph, a: str, b: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every link between ``a`` and ``b``, either way, with its attributes (networkx's, of any type)."""
    found = []
    for u, v in ((a, b), (b, a)):
        if graph.has_edge(u, v):
            found += [(u, v, key, data) for key, data in graph[u][v].items()]
    return found


def shortest_paths(
    graph: nx.MultiDiGraph, model: NetworkModel, start: str, end: str, limit: int = 5
) -> list[dict[str, object]]:
    """Up to ``limit`` shortest connections from ``start`` to ``end``; each hop lists every link between
    its two ends with the statements and quotes behind it. Empty when they are not connected."""
    if start not in graph or end not in graph:
        return []
    simple = undirected(graph)
    try:
        found = list(itertools.islice(nx.all_shortest_paths(simple, start, end), limit))
    except nx.NetworkXNoPath:
        return []
    paths = []
    for nodes in found:
        hops = []
        for a, b in itertools.pairwise(nodes):
            links = []
            for u, v, key, data in edges_between(graph, a, b):
                links.append(
                    {
                        "key": key,
                        "source": u,
                        "target": v,
                        **{k: data[k] for k in ("relation", "role", "label", "directed", "via", "via_labels")},
                        "from_year": data["from_year"],
                        "to_year": data["to_year"],
                        "statements": [
                            {"id": iri, **evidence} for iri, evidence in model.evidence(data["statements"]).items()
                        ],
                    }
                )
            hops.append({"from": _node(graph, a), "to": _node(graph, b), "links": links})
        paths.append({"length": len(nodes) - 1, "nodes": [_node(graph, n) for n in nodes], "hops": hops})
    return paths


def _node(graph: nx.MultiDiGraph, iri: str) -> dict[str, object]:
    data = graph.nodes[iri]
    return {"iri": iri, "label": data.get("label"), "type": data.get("type"), "url": data.get("url")}


def ego(graph: nx.MultiDiGraph, center: str, radius: int) -> nx.MultiDiGraph:
    """The entity, everything within ``radius`` links of it, and all links among them."""
    if center not in graph:
        return graph.subgraph([]).copy()
    near = nx.single_source_shortest_path_length(undirected(graph), center, cutoff=radius)
    return graph.subgraph(near).copy()


def communities(simple: nx.Graph) -> list[list[str]]:
    """Louvain communities (weighted, fixed seed), largest first, then by their first member."""
    if simple.number_of_edges() == 0:
        return [[n] for n in sorted(simple)]
    found = nx.community.louvain_communities(simple, weight="weight", seed=LOUVAIN_SEED)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


class Metrics(TypedDict):
    """What /network/metrics and `casec graph --format metrics` answer."""

    nodes: int
    edges: int
    linked_pairs: int
    communities: list[dict[str, object]]
    metrics: list[dict[str, object]]


def metrics(graph: nx.MultiDiGraph) -> Metrics:
    """Per node: degree (distinct neighbours), degree, betweenness and eigenvector centrality, community."""
    simple = undirected(graph)
    degree = nx.degree_centrality(simple) if len(simple) > 1 else dict.fromkeys(simple, 0.0)
    betweenness = nx.betweenness_centrality(simple, normalized=True)
    eigenvector = _eigenvector(simple)
    groups = communities(simple)
    community_of = {node: index for index, members in enumerate(groups) for node in members}
    rows: list[dict[str, object]] = [
        {
            "iri": node,
            "label": data.get("label"),
            "type": data.get("type"),
            "degree": simple.degree(node),
            "degree_centrality": round(degree[node], 6),
            "betweenness": round(betweenness[node], 6),
            "eigenvector": None if eigenvector is None else round(eigenvector[node], 6),
            "community": community_of[node],
        }
        for node, data in sorted(
            simple.nodes(data=True),
            key=lambda item: (-round(betweenness[item[0]], 6), -simple.degree(item[0]), item[0]),
        )
    ]
    return {
        "nodes": simple.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "linked_pairs": simple.number_of_edges(),
        "communities": [
            {"id": index, "size": len(members), "members": members} for index, members in enumerate(groups)
        ],
        "metrics": rows,
    }


def _eigenvector(simple: nx.Graph) -> dict[str, float] | None:
    """Eigenvector centrality per connected component would not compare across components; networkx's
    power iteration on the whole graph gives small components values near zero, as it should."""
    if simple.number_of_edges() == 0:
        return dict.fromkeys(simple, 0.0)
    try:
        centrality: dict[str, float] = nx.eigenvector_centrality(simple, max_iter=2000, tol=1e-8, weight=None)
        return centrality
    except nx.PowerIterationFailedConvergence:
        return None
