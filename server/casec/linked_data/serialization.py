"""Write RDF out: the formats casec publishes (dumps, entity descriptions, VoID), and the JSON-LD context.

Serialization is pyoxigraph's. rdflib 7 was tried first and lost data on the way out, which the
round-trip tests caught: its Turtle/TriG writer turns ``"17"^^xsd:decimal`` into ``17.0`` (another
literal), and its JSON-LD writer puts a dataset's default graph under a blank-node graph name.
pyoxigraph writes every term as it is, and is about 40 times faster on the whole dataset.

JSON-LD is written expanded by pyoxigraph and then compacted here with casec's context (the
prefixes of :mod:`casec.vocab`): IRIs in property keys, ``@id`` and ``@type`` become
``prefix:local`` names; values are never touched, so expansion gives back the same quads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox

from casec.vocab import PREFIXES


@dataclass(frozen=True)
class RdfFormat:
    name: str
    extension: str
    media_type: str
    rdf: ox.RdfFormat
    quads: bool  # True: holds named graphs; False: one graph (the named graphs are merged or left out)

    @property
    def charset_media_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", "ttl", "text/turtle", ox.RdfFormat.TURTLE, quads=False),
    RdfFormat("trig", "trig", "application/trig", ox.RdfFormat.TRIG, quads=True),
    RdfFormat("nquads", "nq", "application/n-quads", ox.RdfFormat.N_QUADS, quads=True),
    RdfFormat("ntriples", "nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, quads=False),
    RdfFormat("jsonld", "jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, quads=True),
    RdfFormat("rdfxml", "rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML, quads=False),
)
PRETTY_UP_TO = 5000  # JSON-LD of fewer quads is indented for people; dumps are written compact

BY_EXTENSION = {f.extension: f for f in FORMATS}
BY_NAME = {f.name: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
# names a user may type for a format (``casec export --format ttl``)
ALIASES = {
    **{f.name: f for f in FORMATS},
    **{f.extension: f for f in FORMATS},
    "json-ld": BY_NAME["jsonld"],
    "xml": BY_NAME["rdfxml"],
    "rdf/xml": BY_NAME["rdfxml"],
    "n-quads": BY_NAME["nquads"],
    "n-triples": BY_NAME["ntriples"],
}


def json_ld_context() -> dict[str, object]:
    """casec's JSON-LD context: its prefixes. Published at ``/context.jsonld`` and used by every JSON-LD it writes."""
    return {"@context": dict(sorted(PREFIXES.items()))}


def sort_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """A stable order (default graph first, then by graph, subject, predicate, object) so dumps diff well."""

    def key(quad: ox.Quad) -> tuple[str, str, str, str]:
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        return graph, str(quad.subject), str(quad.predicate), str(quad.object)

    return sorted(quads, key=key)


def serialize(quads: Iterable[ox.Quad], fmt: RdfFormat, prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """``quads`` in ``fmt``. A single-graph format gets the triples of every quad (the graphs merged). Turtle,
    TriG and RDF/XML declare ``prefixes`` (default: casec's)."""
    ordered = sort_quads(quads)
    if fmt.rdf is ox.RdfFormat.JSON_LD:
        return _compact_json_ld(_written(ordered, fmt.rdf), pretty=len(ordered) < PRETTY_UP_TO)
    if fmt.quads:
        return _written(ordered, fmt.rdf, dict(prefixes) if fmt.rdf is ox.RdfFormat.TRIG else None)
    triples = _distinct(q.triple for q in ordered)
    declared = dict(prefixes) if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return _written(triples, fmt.rdf, declared)


def _written(
    terms: list[ox.Quad] | list[ox.Triple], rdf: ox.RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    # pyoxigraph's stubs type serialize() as ``bytes | None`` with no overload: given no output, it returns bytes
    return cast(bytes, ox.serialize(terms, format=rdf, prefixes=prefixes))


def merge_graphs(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads' triples, each once, in the default graph: one graph where there were several."""
    return [ox.Quad(t.subject, t.predicate, t.object) for t in _distinct(q.triple for q in quads)]


def _distinct(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    seen: set[ox.Triple] = set()
    kept = []
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            kept.append(triple)
    return kept


# ---------------------------------------------------------------- JSON-LD compaction


def _compact_json_ld(expanded: bytes, pretty: bool) -> bytes:
    document = json.loads(expanded) if expanded.strip() else []
    nodes = document if isinstance(document, list) else [document]
    compacted = {**json_ld_context(), "@graph": [_compact_node(node) for node in nodes]}
    return json.dumps(compacted, ensure_ascii=False, indent=1 if pretty else None).encode("utf-8")


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact_iri(iri: str) -> str:
    """``prefix:local`` for an IRI in one of casec's namespaces (the longest namespace wins), else the IRI.
    Only when ``local`` cannot be mistaken for something else: no ``//`` at its start, no ``:``-less trouble."""
    for name, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if not local.startswith("//") and all(c not in local for c in "#/?"):
                return f"{name}:{local}"
    return iri


def _compact_node(value: object) -> object:
    if isinstance(value, list):
        return [_compact_node(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "@value" in value:  # a literal: only its datatype is an IRI
        return {k: (compact_iri(v) if k == "@type" and isinstance(v, str) else v) for k, v in value.items()}
    compacted: dict[str, object] = {}
    for key, item in value.items():
        if key == "@id" and isinstance(item, str):
            compacted[key] = compact_iri(item)
        elif key == "@type":
            compacted[key] = [compact_iri(t) for t in item] if isinstance(item, list) else compact_iri(item)
        elif key.startswith("@"):
            compacted[key] = _compact_node(item)
        else:
            compacted[compact_iri(key)] = _compact_node(item)
    return compacted
