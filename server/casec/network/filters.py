"""The filters every network view and export takes: as of a year, relation types, organization, source.

:func:`parse_filters` reads them from text (query parameters, command-line flags) and names what is wrong
with a :class:`FilterError` carrying the HTTP status to answer with (400 malformed, 404 unknown).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..namespaces import ID, PREFIXES, SOURCE

if TYPE_CHECKING:
    from .model import NetworkModel

YEARS = (1800, 2100)


class FilterError(ValueError):
    """A filter value that cannot be used; ``status`` is 400 (malformed) or 404 (names nothing known)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    relations: frozenset[str] = field(default_factory=frozenset)
    organization: str | None = None
    sources: frozenset[str] = frozenset()  # empty: every source

    def as_params(self) -> dict[str, str]:
        params = {"relations": ",".join(sorted(self.relations))}
        if self.year is not None:
            params["year"] = str(self.year)
        if self.organization:
            params["organization"] = self.organization
        if self.sources:
            params["source"] = ",".join(sorted(self.sources))
        return params


def split(values: str | Iterable[str] | None) -> list[str]:
    """``a,b`` or repeated values (or both) as one list, blanks dropped."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def parse_year(text: str | None) -> int | None:
    if text is None or text.strip() in ("", "all"):
        return None
    try:
        year = int(text.strip())
    except ValueError:
        raise FilterError(400, f"year must be a whole number such as 2013, not {text!r}") from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise FilterError(400, f"year must be between {YEARS[0]} and {YEARS[1]}, not {year}")
    return year


def parse_relations(values: str | Iterable[str] | None) -> frozenset[str]:
    from .model import DEFAULT_RELATIONS, RELATIONS

    names = split(values)
    if not names:
        return DEFAULT_RELATIONS
    if names == ["all"]:
        return frozenset(RELATIONS)
    unknown = [name for name in names if name not in RELATIONS]
    if unknown:
        raise FilterError(400, f"unknown relation {', '.join(unknown)}; known: {', '.join(RELATIONS)}")
    return frozenset(names)


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
    organization: str | None = None,
    sources: str | Iterable[str] | None = None,
) -> Filters:
    org = None
    if organization and organization.strip():
        org = resolve_entity(model, organization, "organization")
        if model.nodes[org].type not in ("organization", "group", "body"):
            raise FilterError(400, f"{org} is a {model.nodes[org].type}, not an organization")
    return Filters(
        year=parse_year(year),
        relations=parse_relations(relations),
        organization=org,
        sources=frozenset(resolve_source(model, s) for s in split(sources)),
    )
