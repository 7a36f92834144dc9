"""What a linked-data client gets for one casec IRI: the quads that describe it.

For an entity: its own triples (and the blank nodes they point to), the triples pointing at it,
and every statement about it (as member, organization, subject, object, post, claimant or
counterpart) with that statement's evidence: the source, the line and the verbatim quote. For a
source: also its whole named graph. Each quad keeps its graph, so TriG and N-Quads say which
source states what; every other format, JSON-LD included, gets one graph with the graphs merged:
a document about one thing is one graph to linked-data clients (rdflib reads a JSON-LD document's
named graphs into graphs of their own and leaves the document's graph nearly empty; Comunica's link
traversal follows the default graph).

Each graph is asked separately with a CONSTRUCT (see :mod:`casec.dumps`), so the same code runs on
the embedded store and on an external SPARQL server.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from casec.linked_data.dataset import EVERYTHING, base_graph, graph_quads, source_graphs
from casec.linked_data.serialization import RdfFormat, merge_graphs, serialize
from casec.store.interface import GraphStore
from casec.store.query_text import bind_iri, bind_iris
from casec.vocab import ID, sparql_prologue

# casec IRIs are https://w3id.org/casec/id/<kind>/<slug>; nothing else is inlined into a query
SAFE_IRI = re.compile(r"^" + re.escape(ID) + r"[a-z]+/[A-Za-z0-9_\-]+$")

PER_SOURCE_FORMATS = ("trig", "nquads")

STATEMENTS = (
    sparql_prologue()
    + """
SELECT DISTINCT ?st WHERE {
  VALUES ?link { org:member org:organization org:role rdf:subject rdf:object casec:claimant casec:counterpart }
  ?st ?link $this . FILTER (isIRI(?st))
}"""
)
DESCRIBE = """
CONSTRUCT { ?s ?p ?o } WHERE {
  { VALUES ?s { $these } ?s ?p ?o }
  UNION { VALUES ?x { $these } ?x ?p0 ?s . FILTER (isBlank(?s)) ?s ?p ?o }
  UNION { VALUES ?x { $these } ?x ?p0 ?b . FILTER (isBlank(?b)) ?b ?p1 ?s . FILTER (isBlank(?s)) ?s ?p ?o }
  UNION { ?s ?p $this . BIND ($this AS ?o) }
}"""
EXISTS = "ASK { { $this ?p ?o } UNION { ?s ?p $this } UNION { GRAPH $this { ?s ?p ?o } } }"


def describe(store: GraphStore, iri: str) -> list[ox.Quad]:
    if not SAFE_IRI.match(iri):
        raise ValueError(f"not a casec entity IRI: {iri}")
    statements = [row["st"].value for row in store.select(bind_iri(STATEMENTS, iri))]
    query = bind_iri(bind_iris(DESCRIBE, [iri, *statements]), iri)
    quads = graph_quads(store, query, base_graph(store), ox.DefaultGraph())
    for name in source_graphs(store):
        as_graph = ox.NamedNode(name)
        quads += graph_quads(store, EVERYTHING if name == iri else query, name, as_graph)
    return quads


def document(store: GraphStore, iri: str, fmt: RdfFormat) -> bytes:
    """The description of ``iri`` in ``fmt``: each source's graph apart in TriG and N-Quads, one graph otherwise."""
    quads = describe(store, iri)
    return serialize(quads if fmt.name in PER_SOURCE_FORMATS else merge_graphs(quads), fmt)


def exists(store: GraphStore, iri: str) -> bool:
    """True when the IRI is the subject or object of a triple, or names a graph."""
    if not SAFE_IRI.match(iri):
        return False
    return store.ask(bind_iri(EXISTS, iri))
