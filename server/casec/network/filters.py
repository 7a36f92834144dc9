"""The filters every network view and export takes: as of a year, relation types, organizations, sources.

:func:`parse_filters` reads them from text (query parameters, command-line flags) and names what is wrong
with a :class:`FilterError` carrying the HTTP status to answer with (400 malformed, 404 unknown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

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
    organizations: frozenset[str] = frozenset()  # empty: every organization
    sources: frozenset[str] = frozenset()  # empty: every source

    def as_params(self) -> dict[str, str]:
        params = {"relations": ",".join(sorted(self.relations))}
        if self.year is not None:
            params["year"] = str(self.year)
        if self.organizations:
            params["organization"] = ",".join(sorted(self.organizations))
        if self.sources:
            params["source"] = ",".join(sorted(self.sources))
        return params


def split(values: str | Iterable[str] | None) -> list[str]:
    """``a,b``, ``a b`` (as the JSON exports write them) or repeated values (or all three) as one list."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [part for value in values for part in re.split(r"[,\s]+", value) if part]


def parse_year(text: str | None) -> int | None:
    if text is None or text.strip() in ("", "all"):
        return None
    if not re.fullmatch(r"[0-9]{1,6}", text.strip()):  # int() would also take "1_999" and other scripts' digits
        raise FilterError(400, f"year must be a whole number such as 2013, not {text!r}")
    year = int(text.strip())
    if not YEARS[0] <= year <= YEARS[1]:
        raise FilterError(400, f"year must be between {YEARS[0]} and {YEARS[1]}, not {year}")
    return year


def parse_relations(values: str | Iterable[str] | None) -> frozenset[str]:
    from casec.network.relations import DEFAULT_RELATIONS, RELATIONS

    names = split(values)
    if not names:
        return DEFAULT_RELATIONS
    if names == ["all"]:
        return frozenset(RELATIONS)
    unknown = [name for name in names if name not in RELATIONS]
    if unknown:
        raise FilterError(400, f"unknown relation {', '.join(unknown)}; known: {', '.join(RELATIONS)}")
    return frozenset(names)
