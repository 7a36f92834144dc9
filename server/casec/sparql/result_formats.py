"""The serializations a SPARQL answer can take, by query form, with media types and short names."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    aliases: tuple[str, ...]
    results: ox.QueryResultsFormat | None = None  # SELECT / ASK
    rdf: ox.RdfFormat | None = None  # CONSTRUCT / DESCRIBE


TABULAR = (
    ResultFormat("json", "application/sparql-results+json", ("application/json",), results=ox.QueryResultsFormat.JSON),
    ResultFormat(
        "xml", "application/sparql-results+xml", ("application/xml", "text/xml"), results=ox.QueryResultsFormat.XML
    ),
    ResultFormat("csv", "text/csv", (), results=ox.QueryResultsFormat.CSV),
    ResultFormat("tsv", "text/tab-separated-values", (), results=ox.QueryResultsFormat.TSV),
)
GRAPH = (
    ResultFormat("turtle", "text/turtle", ("ttl", "application/x-turtle"), rdf=ox.RdfFormat.TURTLE),
    ResultFormat("ntriples", "application/n-triples", ("nt", "text/plain"), rdf=ox.RdfFormat.N_TRIPLES),
    ResultFormat("jsonld", "application/ld+json", ("json-ld", "json", "application/json"), rdf=ox.RdfFormat.JSON_LD),
    ResultFormat("rdfxml", "application/rdf+xml", ("xml", "rdf", "application/xml"), rdf=ox.RdfFormat.RDF_XML),
)


BY_NAME = {f.name: f for f in TABULAR + GRAPH}


def formats_for(form: str | None) -> tuple[ResultFormat, ...]:
    return GRAPH if form in ("CONSTRUCT", "DESCRIBE") else TABULAR


def by_name(form: str | None, name: str) -> ResultFormat | None:
    """The format a ``format=`` parameter asks for: a short name or a media type."""
    wanted = name.strip().lower()
    for candidate in formats_for(form):
        if wanted in (candidate.name, candidate.media_type, *candidate.aliases):
            return candidate
    return None


def by_media_type(form: str | None, media_type: str) -> ResultFormat:
    for candidate in formats_for(form):
        if media_type in (candidate.media_type, *candidate.aliases):
            return candidate
    raise KeyError(media_type)


def offered_media_types(form: str | None) -> list[str]:
    """Media types in order of preference; aliases last so that ``*/*`` picks the canonical type."""
    candidates = formats_for(form)
    return [c.media_type for c in candidates] + [a for c in candidates for a in c.aliases if "/" in a]
