"""Who held which status in which organization, stretch by stretch, and on what basis: the one place the
pages read the time model from.

The time model derives ``casec:StatusPeriod`` nodes (``rules/``): a member, an organization, a role, the
years ``casec:fromYear``–``casec:toYear``, the ``casec:basis`` (stated by a source, inferred by a rule, or
open: the end is not known), the statements behind it (``casec:derivedFrom``) and ``casec:disputed`` where
the sources disagree. A store without them (data loaded before the time model) gets stretches read off the
membership panel instead: runs of years with one status, stated where a statement gives both ends (or a
point in time), open where the end is only the source's year; nothing is marked inferred there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from casec.facts.membership_panel import Row, panel
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
# the fallback: which membership statements state both ends of their window (or a point in time)
STATED_WINDOWS = (
    sparql_prologue()
    + """
SELECT ?st WHERE {
  ?st a casec:Membership .
  { ?st casec:atYear ?at } UNION { ?st casec:startYear ?start ; casec:endYear ?end }
}"""
)
# the panel's statuses as the roles a StatusPeriod carries
STATUS_ROLES = {
    "member": CASEC + "Member",
    "suspended member": CASEC + "SuspendedMember",
    "observer": CASEC + "Observer",
    "dialogue partner": CASEC + "DialoguePartner",
    "partner": CASEC + "Partner",
    "applicant": CASEC + "Applicant",
}


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
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


@dataclass(frozen=True)
class Periods:
    periods: tuple[StatusPeriod, ...]
    from_time_model: bool  # False: read off the membership panel (the store has no casec:StatusPeriod)

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
    rows: dict[str, dict[str, object]] = {}
    statements: dict[str, set[str]] = defaultdict(set)
    for row in store.select(PERIODS):
        iri = row["period"].value
        if row["statement"] is not None:
            statements[iri].add(row["statement"].value)
        if iri in rows:
            continue
        basis = row["basis"]
        rows[iri] = {
            "member": row["member"].value,
            "organization": row["organization"].value,
            "role": row["role"].value,
            "first": int(row["from"].value),
            "last": int(row["to"].value),
            "basis": BASES.get(basis.value, "open") if basis is not None else "open",
            "disputed": row["disputed"] is not None and row["disputed"].value in ("true", "1"),
        }
    if rows:
        periods = (StatusPeriod(**fields, statements=tuple(sorted(statements[iri]))) for iri, fields in rows.items())
        return Periods(tuple(sorted(periods, key=_order)), True)
    stated = {row["st"].value for row in store.select(STATED_WINDOWS)}
    return Periods(tuple(sorted(_from_panel(panel(store), stated), key=_order)), False)


def _order(period: StatusPeriod) -> tuple[str, str, int, str]:
    return (period.organization, period.member, period.first, period.role)


def _from_panel(rows: Iterable[Row], stated: set[str]) -> list[StatusPeriod]:
    """Runs of consecutive years in which a state held one status on one basis."""
    found: list[StatusPeriod] = []
    runs: dict[tuple[str, str, str], dict[str, object]] = {}  # open runs by (state, organization, status)
    for row in rows:  # ordered by organization, state and year
        statuses = [s for s in (row.claims if row.disagreement else [row.casec_status]) if s in STATUS_ROLES]
        basis = "stated" if any(s in stated for s in row.statements) else "open"
        for key in [k for k in runs if k[:2] == (row.state, row.organization) and k[2] not in statuses]:
            found.append(_close(runs.pop(key)))
        for status in statuses:
            key = (row.state, row.organization, status)
            run = runs.get(key)
            continues = (basis, row.disagreement, row.year - 1)
            if run is not None and (run["basis"], run["disputed"], run["last"]) != continues:
                found.append(_close(runs.pop(key)))
                run = None
            if run is None:
                run = runs[key] = {
                    "member": row.state,
                    "organization": row.organization,
                    "role": STATUS_ROLES[status],
                    "first": row.year,
                    "basis": basis,
                    "disputed": row.disagreement,
                    "statements": set(),
                }
            run["last"] = row.year
            run["statements"].update(row.statements)  # type: ignore[attr-defined]
    found.extend(_close(run) for run in runs.values())
    return found


def _close(run: dict[str, object]) -> StatusPeriod:
    return StatusPeriod(
        member=str(run["member"]),
        organization=str(run["organization"]),
        role=str(run["role"]),
        first=int(run["first"]),  # type: ignore[arg-type]
        last=int(run["last"]),  # type: ignore[arg-type]
        basis=str(run["basis"]),
        disputed=bool(run["disputed"]),
        statements=tuple(sorted(run["statements"])),  # type: ignore[arg-type]
    )
