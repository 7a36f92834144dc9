"""The whole dataset as quads, read through the store's SPARQL interface, and its dumps.

``dump.ttl``, ``dump.nt`` and ``dump.rdf`` hold the default graph (the ontology, the entities, the
source records and the derived direct edges); ``dump.trig``, ``dump.nq`` and ``dump.jsonld`` hold the
whole dataset: the default graph and each source's named graph.

Each graph is read with a CONSTRUCT that names it as the default graph (SPARQL Protocol
``default-graph-uri``), so the dumps read the same in the embedded store, where casec's default graph
is the store's default graph, and in an external store, where ``casec load`` put it in the named
graph ``BASE_GRAPH``.
"""

from __future__ import annotations

import pyoxigraph as ox

from .namespaces import BASE_GRAPH
from .rdf_serialize import RdfFormat, serialize
from .store import GraphStore

EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def base_graph(store: GraphStore) -> str:
    """Where the store keeps casec's default graph: ``""`` (its own default graph) or ``BASE_GRAPH``."""
    probe = f"ASK {{ GRAPH <{BASE_GRAPH}> {{ ?s ?p ?o }} }}"
    return BASE_GRAPH if bool(store.query(probe, default_graphs=[], named_graphs=[BASE_GRAPH])) else ""


def source_graphs(store: GraphStore) -> list[str]:
    return sorted(store.graph_names() - {BASE_GRAPH})


def split_dataset(store: GraphStore) -> dict[str, list[str]]:
    """Query options under which the default graph is casec's default graph (not the union of all
    graphs) and the named graphs are the sources' graphs."""
    return {"default_graphs": [base_graph(store)], "named_graphs": source_graphs(store)}


def graph_quads(store: GraphStore, query: str, graph: str, as_graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """The triples a CONSTRUCT ``query`` builds with ``graph`` as its default graph, as quads in ``as_graph``.
    (CONSTRUCT rather than SELECT: its blank nodes come back intact from every store.)"""
    triples = store.query(query, default_graphs=[graph], named_graphs=[])
    return [ox.Quad(t.subject, t.predicate, t.object, as_graph) for t in triples]


def dataset_quads(store: GraphStore) -> list[ox.Quad]:
    """Every quad the store holds for casec: its default graph, then each source's graph."""
    quads = graph_quads(store, EVERYTHING, base_graph(store), ox.DefaultGraph())
    for name in source_graphs(store):
        quads += graph_quads(store, EVERYTHING, name, ox.NamedNode(name))
    return quads


def default_graph_quads(store: GraphStore) -> list[ox.Quad]:
    return graph_quads(store, EVERYTHING, base_graph(store), ox.DefaultGraph())


def dump(store: GraphStore, fmt: RdfFormat) -> bytes:
    """The dump in ``fmt``: the whole dataset for a quad format, the default graph for a triple format."""
    return serialize(dataset_quads(store) if fmt.quads else default_graph_quads(store), fmt)
