"""What the graph holds: counts per class and per source (CLI and home page)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from casec.store.interface import GraphStore
from casec.vocab import sparql_prologue

CLASS_COUNTS = (
    sparql_prologue()
    + """
SELECT ?class (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?thing) AS ?count) WHERE {
  ?thing a ?class .
  FILTER (STRSTARTS(STR(?class), STR(casec:)))
  FILTER (isIRI(?thing))
  OPTIONAL { ?class rdfs:label ?name }
} GROUP BY ?class ORDER BY DESC(?count) ?class
"""
)

SOURCE_COUNTS = (
    sparql_prologue()
    + """
SELECT ?source ?label ?year (COUNT(DISTINCT ?statement) AS ?statements) (COUNT(DISTINCT ?evidence) AS ?quotes) WHERE {
  ?source a casec:Source .
  OPTIONAL { ?source rdfs:label ?label }
  OPTIONAL { ?source dcterms:issued ?year }
  OPTIONAL { GRAPH ?source { ?statement casec:evidence ?evidence } }
} GROUP BY ?source ?label ?year ORDER BY ?source
"""
)


@dataclass(frozen=True)
class Count:
    iri: str
    label: str
    count: int
    extra: int | None = None


def class_counts(store: GraphStore) -> list[Count]:
    return [
        Count(row["class"].value, _text(row["label"]), int(row["count"].value)) for row in store.select(CLASS_COUNTS)
    ]


def source_counts(store: GraphStore) -> list[Count]:
    return [
        Count(row["source"].value, _text(row["label"]), int(row["statements"].value), int(row["quotes"].value))
        for row in store.select(SOURCE_COUNTS)
    ]


def _text(term: ox.Literal | None) -> str:
    return term.value if term is not None else ""
