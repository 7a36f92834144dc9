"""The membership panel: one row per state, international organization and year, coded like the Correlates of War
IGO data (1 full member, 3 observer, 0 no membership, -9 missing), with the basis of each year and the sources
behind it. README.md ("Membership panel") documents the coding; in short:

* The rows follow the periods of the time model (docs/time-model.md): each membership period
  (``casec:StatusPeriod``) places the state in the status of its role for its years, each absence period
  (``casec:AbsencePeriod``: after a withdrawal, in the year of a negated membership) outside, coded 0.
* The codes and names of the roles are the ontology's (``casec:cowCode``, ``rdfs:label``).
* In a year where one status ends and another begins (observer until 2017, member from 2017; a withdrawal in
  2004) the status that begins wins: a year is coded by the status held at its end. That is a change, not a
  disagreement.
* An application never contradicts another status.
* If statuses still differ in a year, the row is flagged (``disagreement`` 1), coded -9, and ``claims`` lists each
  status with its sources; nothing is picked silently.
* ``basis`` is how the year is known: ``stated``, ``inferred`` or ``open`` (the surest of the statuses kept);
  empty where no source says anything that fixes the year, the only rows coded -9 but for disagreements.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from casec.store.interface import GraphStore
from casec.vocab import CASEC, membership_roles, sparql_prologue

PERIODS = (
    sparql_prologue()
    + """
SELECT ?period ?member ?organization ?role ?from ?to ?basis ?statement ?source WHERE {
  VALUES ?kind { casec:StatusPeriod casec:AbsencePeriod }
  ?period a ?kind ; org:member ?member ; org:organization ?organization ;
          casec:fromYear ?from ; casec:toYear ?to ; casec:basis ?basis .
  ?member a casec:State .
  ?organization a casec:InternationalOrganization .
  OPTIONAL { ?period org:role ?role }
  FILTER (BOUND(?role) || ?kind = casec:AbsencePeriod)
  OPTIONAL {
    ?period casec:derivedFrom ?statement .
    ?statement a casec:Membership ; org:member ?member ; org:organization ?organization ; casec:source ?source .
  }
}"""
)
NAMES = (
    sparql_prologue()
    + """
SELECT ?x ?label ?iso3 WHERE {
  { ?x a casec:State } UNION { ?x a casec:InternationalOrganization }
  OPTIONAL { ?x rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?x casec:iso3 ?iso3 }
}"""
)

NONE, MISSING = "none", -9
APPLICANT, SUSPENDED_MEMBER = CASEC + "Applicant", CASEC + "SuspendedMember"
BASES = {CASEC + "StatedBasis": "stated", CASEC + "InferredBasis": "inferred", CASEC + "OpenBasis": "open"}
SURER = ("stated", "inferred", "open")

COLUMNS = (
    "state",
    "state_iso3",
    "state_label",
    "organization",
    "organization_label",
    "year",
    "status",
    "casec_status",
    "suspended",
    "disagreement",
    "claims",
    "sources",
    "statements",
    "basis",
)


@dataclass(frozen=True)
class Status:
    """What a period places the state in: a role (its ontology label and COW code) or none."""

    name: str
    code: int
    suspended: bool = False
    applicant: bool = False


@dataclass
class Spell:
    """One period of the time model: a status for the years ``first`` to ``last`` on one basis."""

    status: Status
    first: int
    last: int
    basis: str
    statements: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Row:
    state: str
    organization: str
    year: int
    status: int
    casec_status: str
    suspended: bool
    disagreement: bool
    claims: dict[str, list[str]]  # status -> sources
    sources: list[str]
    statements: list[str]
    basis: str  # stated, inferred, open; "" where nothing fixes the year


def spells_of(store: GraphStore) -> dict[tuple[str, str], list[Spell]]:
    """Every membership and absence period of a state in an international organization, by (state, organization)."""
    roles = membership_roles(store)
    statuses = {
        iri: Status(role.label, role.cow_code if role.cow_code is not None else MISSING, iri == SUSPENDED_MEMBER)
        for iri, role in roles.items()
    }
    statuses[APPLICANT] = Status(roles[APPLICANT].label, roles[APPLICANT].cow_code or 0, applicant=True)
    none = Status(NONE, 0)
    found: dict[str, tuple[tuple[str, str], Spell]] = {}
    for row in store.select(PERIODS):
        period = row["period"].value
        if period not in found:
            status = statuses.get(row["role"].value) if row["role"] is not None else none
            if status is None:
                continue
            spell = Spell(status, int(row["from"].value), int(row["to"].value), BASES[row["basis"].value])
            found[period] = ((row["member"].value, row["organization"].value), spell)
        if row["statement"] is not None:
            found[period][1].statements.add(row["statement"].value)
            found[period][1].sources.add(row["source"].value)
    pairs: dict[tuple[str, str], list[Spell]] = defaultdict(list)
    for pair, spell in found.values():
        pairs[pair].append(spell)
    return dict(pairs)


def panel(store: GraphStore) -> list[Row]:
    rows: list[Row] = []
    for (state, organization), spells in sorted(spells_of(store).items(), key=lambda item: (item[0][1], item[0][0])):
        rows.extend(pair_rows(state, organization, spells))
    return rows


def pair_rows(state: str, organization: str, spells: list[Spell]) -> Iterable[Row]:
    held: dict[Status, set[int]] = defaultdict(set)
    for spell in spells:
        held[spell.status] |= set(range(spell.first, spell.last + 1))
    for year in range(min(s.first for s in spells), max(s.last for s in spells) + 1):
        kept = _resolve(year, [s for s in spells if s.first <= year <= s.last], held)
        statuses = {s.status for s in kept}
        if len(statuses) > 1:  # an application goes with any status
            kept = [s for s in kept if not s.status.applicant]
            statuses = {s.status for s in kept}
        by_status: dict[str, set[str]] = defaultdict(set)
        for spell in kept:
            by_status[spell.status.name] |= spell.sources
        if not kept:
            code, name, disagreement = MISSING, "unknown", False
        elif len(statuses) == 1:
            only = next(iter(statuses))
            code, name, disagreement = only.code, only.name, False
        else:
            code, name, disagreement = MISSING, "disputed", True
        bases = {s.basis for s in kept}
        yield Row(
            state,
            organization,
            year,
            code,
            name,
            bool(statuses) and all(s.suspended for s in statuses),
            disagreement,
            {status: sorted(sources) for status, sources in sorted(by_status.items())},
            sorted({source for s in kept for source in s.sources}),
            sorted({statement for s in kept for statement in s.statements}),
            next((basis for basis in SURER if basis in bases), ""),
        )


def _resolve(year: int, covering: list[Spell], held: dict[Status, set[int]]) -> list[Spell]:
    """Drop a status that ends this year when another begins this year: the year is coded by the new one (an
    application, which goes with any status, replaces none)."""
    beginning = {s.status for s in covering if year - 1 not in held[s.status] and not s.status.applicant}
    ending = {s.status for s in covering if year + 1 not in held[s.status]} - beginning
    if not beginning:
        return covering
    return [s for s in covering if s.status not in ending]


def disputed_years(rows: Iterable[Row]) -> dict[tuple[str, str], list[int]]:
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        if row.disagreement:
            found[(row.state, row.organization)].append(row.year)
    return dict(found)


def to_csv(store: GraphStore, rows: list[Row]) -> str:
    names: dict[str, tuple[str, str]] = {}
    for row in store.select(NAMES):
        iri = row["x"].value
        label = row["label"].value if row["label"] is not None else names.get(iri, ("", ""))[0]
        iso3 = row["iso3"].value if row["iso3"] is not None else names.get(iri, ("", ""))[1]
        names[iri] = (label, iso3)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        state_label, iso3 = names.get(row.state, ("", ""))
        organization_label = names.get(row.organization, ("", ""))[0]
        writer.writerow(
            [
                _slug(row.state),
                iso3,
                state_label,
                _slug(row.organization),
                organization_label,
                row.year,
                row.status,
                row.casec_status,
                int(row.suspended),
                int(row.disagreement),
                "; ".join(f"{status}: {' '.join(_slug(s) for s in sources)}" for status, sources in row.claims.items()),
                " ".join(_slug(s) for s in row.sources),
                " ".join(_slug(s) for s in row.statements),
                row.basis,
            ]
        )
    return buffer.getvalue()


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]
