"""Who held which status in which organization, stretch by stretch, and on what basis: the one place the
pages read the time model from.

The time model derives ``casec:StatusPeriod`` nodes (``rules/``): a member, an organization, a role, the
years ``casec:fromYear``–``casec:toYear``, the ``casec:basis`` (stated by a source, inferred by a rule, or
open: the end is not known), the statements behind it (``casec:derivedFrom``) and ``casec:disputed`` where
the sources disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from casec.facts.wording import years
from casec.store.interface import GraphStore
from casec.vocab import CASEC, sparql_prologue

BASES = {CASEC + "StatedBasis": "stated", CASEC + "InferredBasis": "inferred", CASEC + "OpenBasis": "open"}
BASIS_NAMES = {
    "stated": "stated by the sources",
    "inferred": "inferred by the graph's rules",
    "open": "open: the end is not stated",
}
PERIODS = (
    sparql_prologue()
    + """
SELECT ?period ?member ?organization ?role ?from ?to ?basis ?disputed ?statement WHERE {
  ?period a casec:StatusPeriod ; org:member ?member ; org:organization ?organization ; org:role ?role ;
          casec:fromYear ?from ; casec:toYear ?to .
  OPTIONAL { ?period casec:basis ?basis }
  OPTIONAL { ?period casec:disputed ?disputed }
  OPTIONAL { ?period casec:derivedFrom ?statement }
}"""
)


@dataclass(frozen=True)
class StatusPeriod:
    member: str
    organization: str
    role: str
    first: int
    last: int
    basis: str  # stated, inferred, open
    disputed: bool
    statements: tuple[str, ...]

    def holds_in(self, year: int) -> bool:
        return self.first <= year <= self.last

    @property
    def years(self) -> str:
        return years(self.first, self.last)


@dataclass(frozen=True)
class Periods:
    periods: tuple[StatusPeriod, ...]

    def of(self, member: str | None = None, organization: str | None = None) -> list[StatusPeriod]:
        return [
            p
            for p in self.periods
            if (member is None or p.member == member) and (organization is None or p.organization == organization)
        ]

    @property
    def latest_year(self) -> int | None:
        return max((p.last for p in self.periods), default=None)


def status_periods(store: GraphStore) -> Periods:
    periods: dict[str, StatusPeriod] = {}
    statements: dict[str, set[str]] = defaultdict(set)
    for row in store.select(PERIODS):
        iri = row["period"].value
        if row["statement"] is not None:
            statements[iri].add(row["statement"].value)
        if iri in periods:
            continue
        basis = row["basis"]
        periods[iri] = StatusPeriod(
            member=row["member"].value,
            organization=row["organization"].value,
            role=row["role"].value,
            first=int(row["from"].value),
            last=int(row["to"].value),
            basis=BASES.get(basis.value, "open") if basis is not None else "open",
            disputed=row["disputed"] is not None and row["disputed"].value in ("true", "1"),
            statements=(),
        )
    found = (replace(period, statements=tuple(sorted(statements[iri]))) for iri, period in periods.items())
    return Periods(tuple(sorted(found, key=_order)))


def _order(period: StatusPeriod) -> tuple[str, str, int, str]:
    return (period.organization, period.member, period.first, period.role)
