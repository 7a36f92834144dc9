"""Filters read from text (query parameters, command-line flags), entities and sources resolved in the model."""

from __future__ import annotations

from collections.abc import Iterable

from casec.network.filters import FilterError, Filters, parse_relations, parse_year, split
from casec.network.model import NetworkModel
from casec.vocab import ID, PREFIXES, SOURCE


def resolve_entity(model: NetworkModel, text: str, what: str = "entity") -> str:
    """An entity's IRI from its IRI, ``kind/slug``, ``prefix:slug`` or a slug only one entity has."""
    text = text.strip()
    if not text:
        raise FilterError(400, f"empty {what}")
    candidates = [text]
    if not text.startswith(("http://", "https://")):
        candidates.append(ID + text.strip("/"))
        prefix, _, local = text.partition(":")
        if local and prefix in PREFIXES:
            candidates.append(PREFIXES[prefix] + local)
    for candidate in candidates:
        if candidate in model.nodes:
            return candidate
    if "/" not in text and ":" not in text:
        matches = [iri for iri in model.nodes if iri.rsplit("/", 1)[-1] == text]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise FilterError(400, f"{what} {text!r} is ambiguous: {', '.join(sorted(matches))}")
    raise FilterError(404, f"unknown {what} {text!r}: no state, organization, body, person or event has this IRI")


def resolve_source(model: NetworkModel, text: str) -> str:
    """A source's IRI from its IRI, its file stem (``000_cf6bc392400e9cf7``) or a unique stem prefix (``000``)."""
    text = text.strip()
    if text in model.sources:
        return text
    stem = text.removeprefix("src:").removeprefix(SOURCE).removesuffix(".txt")
    matches = [iri for iri in model.sources if iri.removeprefix(SOURCE).startswith(stem)] if stem else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise FilterError(400, f"source {text!r} is ambiguous: {', '.join(sorted(matches))}")
    raise FilterError(404, f"unknown source {text!r}; known: {', '.join(sorted(model.sources))}")


def parse_filters(
    model: NetworkModel,
    year: str | None = None,
    relations: str | Iterable[str] | None = None,
    organization: str | Iterable[str] | None = None,
    sources: str | Iterable[str] | None = None,
) -> Filters:
    organizations = set()
    for text in split(organization):
        org = resolve_entity(model, text, "organization")
        if model.nodes[org].type not in ("organization", "group", "body"):
            raise FilterError(400, f"{org} is a {model.nodes[org].type}, not an organization")
        organizations.add(org)
    return Filters(
        year=parse_year(year),
        relations=parse_relations(relations),
        organizations=frozenset(organizations),
        sources=frozenset(resolve_source(model, s) for s in split(sources)),
    )
