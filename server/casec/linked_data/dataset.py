"""The dataset read back through the store's SPARQL interface: casec's default graph and each source's graph.

Each graph is read with a CONSTRUCT that names it as the default graph (SPARQL Protocol
``default-graph-uri``), so the same code reads the embedded store, where casec's default graph is the
store's default graph, and an external store, where ``casec load`` put it in the named graph ``BASE_GRAPH``.
"""

from __future__ import annotations

import pyoxigraph as ox

from casec.store.interface import GraphStore, Scope
from casec.vocab import BASE_GRAPH

EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def base_graph(store: GraphStore) -> str:
    """Where the store keeps casec's default graph: ``""`` (its own default graph) or ``BASE_GRAPH``."""
    probe = f"ASK {{ GRAPH <{BASE_GRAPH}> {{ ?s ?p ?o }} }}"
    return BASE_GRAPH if store.ask(probe, Scope(default_graphs=[], named_graphs=[BASE_GRAPH])) else ""


def source_graphs(store: GraphStore) -> list[str]:
    return sorted(store.graph_names() - {BASE_GRAPH})


def split_dataset(store: GraphStore) -> Scope:
    """The scope under which the default graph is casec's default graph (not the union of all
    graphs) and the named graphs are the sources' graphs."""
    return Scope(default_graphs=[base_graph(store)], named_graphs=source_graphs(store))


def graph_quads(store: GraphStore, query: str, graph: str, as_graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """The triples a CONSTRUCT ``query`` builds with ``graph`` as its default graph, as quads in ``as_graph``.
    (CONSTRUCT rather than SELECT: its blank nodes come back intact from every store.)"""
    triples = store.construct(query, Scope(default_graphs=[graph], named_graphs=[]))
    return [ox.Quad(t.subject, t.predicate, t.object, as_graph) for t in triples]


def dataset_quads(store: GraphStore) -> list[ox.Quad]:
    """Every quad the store holds for casec: its default graph, then each source's graph."""
    quads = graph_quads(store, EVERYTHING, base_graph(store), ox.DefaultGraph())
    for name in source_graphs(store):
        quads += graph_quads(store, EVERYTHING, name, ox.NamedNode(name))
    return quads


def default_graph_quads(store: GraphStore) -> list[ox.Quad]:
    return graph_quads(store, EVERYTHING, base_graph(store), ox.DefaultGraph())
