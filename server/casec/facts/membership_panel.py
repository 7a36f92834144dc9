"""The membership panel: one row per state, international organization and year, coded like the
Correlates of War IGO data (1 full member, 3 observer, 0 no membership, -9 missing), with the
sources behind each row. README.md ("Membership panel") documents the coding; in short:

* Each membership statement (not an opinion or projection) places a state in a status for the
  years of its window (``casec:fromYear`` … ``casec:toYear``, see ``rules/20-years.rq``).
* A membership that ended by withdrawal or suspension (``casec:endType``) holds until the year
  before its end; from the end year on, the same source places the state outside the organization
  (withdrawal) or suspended (suspension), up to the source's own year or the next status the same
  source gives. So a year is coded by the status held at its end.
* In a year where one status ends and another begins (observer until 2017, member from 2017) the
  new status wins; that is a change, not a disagreement.
* An application never contradicts another status.
* If statuses still differ in a year, the row is flagged (``disagreement`` 1), coded -9, and
  ``claims`` lists each status with its sources; nothing is picked silently.
* Years between the first and last year the sources speak to, that no source covers, are -9.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from casec.store.interface import GraphStore
from casec.vocab import CASEC, sparql_prologue

MEMBERSHIPS = (
    sparql_prologue()
    + """
SELECT ?st ?member ?organization ?role ?from ?to ?endYear ?atYear ?endType ?reported ?source WHERE {
  ?st a casec:Membership ; org:member ?member ; org:organization ?organization ; org:role ?role ;
      casec:source ?source .
  ?member a casec:State .
  ?organization a casec:InternationalOrganization .
  OPTIONAL { ?st casec:fromYear ?from }
  OPTIONAL { ?st casec:toYear ?to }
  OPTIONAL { ?st casec:endYear ?endYear }
  OPTIONAL { ?st casec:atYear ?atYear }
  OPTIONAL { ?st casec:endType ?endType }
  OPTIONAL { ?st casec:reportedYear ?reported }
  FILTER NOT EXISTS { ?st casec:modality ?modality FILTER (?modality IN (casec:Opinion, casec:Projection)) }
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

# status: (COW IGO code, name in the casec_status column)
MEMBER, SUSPENDED, OBSERVER, DIALOGUE, PARTNER, APPLICANT, NONE = (
    "member",
    "suspended member",
    "observer",
    "dialogue partner",
    "partner",
    "applicant",
    "none",
)
COW_CODE = {MEMBER: 1, SUSPENDED: 1, OBSERVER: 3, DIALOGUE: 3, PARTNER: 3, APPLICANT: 0, NONE: 0}
MISSING = -9
ROLE_STATUS = {
    CASEC + "FoundingMember": MEMBER,
    CASEC + "Member": MEMBER,
    CASEC + "SuspendedMember": SUSPENDED,
    CASEC + "Observer": OBSERVER,
    CASEC + "DialoguePartner": DIALOGUE,
    CASEC + "Partner": PARTNER,
    CASEC + "Applicant": APPLICANT,
}
END_STATUS = {CASEC + "Withdrawal": NONE, CASEC + "Suspension": SUSPENDED}
POSITIVE = {MEMBER, SUSPENDED, OBSERVER, DIALOGUE, PARTNER}
LONGEST_WINDOW = 200  # years; a window longer than this is a data error, not a panel

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
)


@dataclass(frozen=True)
class Claim:
    """One statement placing a state in a status for the years ``first`` to ``last``."""

    status: str
    first: int
    last: int
    statement: str
    source: str


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


def claims_of(store: GraphStore) -> dict[tuple[str, str], list[Claim]]:
    """Every claim, by (state IRI, organization IRI)."""
    statements = []
    for row in store.select(MEMBERSHIPS):
        status = ROLE_STATUS.get(row["role"].value)
        if status is None:
            continue
        statements.append(
            (
                row["member"].value,
                row["organization"].value,
                row["st"].value,
                row["source"].value,
                status,
                _int(row["from"]),
                _int(row["to"]),
                _int(row["endYear"]),
                _int(row["atYear"]),
                END_STATUS.get(row["endType"].value) if row["endType"] is not None else None,
                _int(row["reported"]),
            )
        )
    # per source and pair: the years a status begins (where an "after the end" stops) and the years a
    # membership ends by withdrawal or suspension (where a status with no stated end stops)
    starts: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    ends: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for member, organization, _st, source, status, first, _last, end, _at, after, _reported in statements:
        if first is not None and status in POSITIVE:
            starts[(member, organization, source)].append(first)
        if after is not None and end is not None:
            ends[(member, organization, source)].append(end)
    pairs: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for member, organization, st, source, status, first, last, end, at, after, reported in statements:
        claims = pairs[(member, organization)]
        if first is not None and last is not None and end is None and at is None:
            # no stated end: the window runs to the source's year, unless the same source says it ended
            stops = [year - 1 for year in ends[(member, organization, source)] if year > first]
            last = min([last, *stops])
        if after is not None and end is not None and last == end:
            if first is not None and first < end:
                claims.append(Claim(status, first, end - 1, st, source))
            resumes = [year for year in starts[(member, organization, source)] if year > end]
            stop = min([reported if reported is not None and reported >= end else end] + [y - 1 for y in resumes])
            claims.append(Claim(after, end, max(end, stop), st, source))
        elif first is not None and last is not None and 0 <= last - first <= LONGEST_WINDOW:
            claims.append(Claim(status, first, last, st, source))
        elif first is None and last is not None:
            claims.append(Claim(status, last, last, st, source))
    return {pair: claims for pair, claims in pairs.items() if claims}


def panel(store: GraphStore) -> list[Row]:
    rows = []
    for (state, organization), claims in sorted(claims_of(store).items(), key=lambda item: (item[0][1], item[0][0])):
        rows.extend(pair_rows(state, organization, claims))
    return rows


def pair_rows(state: str, organization: str, claims: list[Claim]) -> Iterable[Row]:
    first, last = min(c.first for c in claims), max(c.last for c in claims)
    for year in range(first, last + 1):
        covering = [c for c in claims if c.first <= year <= c.last]
        kept = _resolve(year, covering)
        statuses = {c.status for c in kept}
        if len(statuses) > 1:
            statuses.discard(APPLICANT)  # an application goes with any status
            kept = [c for c in kept if c.status in statuses]
        by_status: dict[str, list[str]] = defaultdict(list)
        for claim in kept:
            if claim.source not in by_status[claim.status]:
                by_status[claim.status].append(claim.source)
        sources = sorted({c.source for c in kept})
        statements = sorted({c.statement for c in kept})
        if not kept:
            status, name, disagreement = MISSING, "unknown", False
        elif len(statuses) == 1:
            name = next(iter(statuses))
            status, disagreement = COW_CODE[name], False
        else:
            status, name, disagreement = MISSING, "disputed", True
        yield Row(
            state,
            organization,
            year,
            status,
            name,
            statuses == {SUSPENDED},
            disagreement,
            {k: sorted(v) for k, v in sorted(by_status.items())},
            sources,
            statements,
        )


def _resolve(year: int, covering: list[Claim]) -> list[Claim]:
    """Drop a status that ends this year when a different status begins this year and goes on."""
    beginning = {c.status for c in covering if c.first == year and c.last > year}
    return [c for c in covering if not (c.last == year and beginning - {c.status})]


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
            ]
        )
    return buffer.getvalue()


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _int(term: object) -> int | None:
    if term is None:
        return None
    try:
        return int(term.value)  # type: ignore[attr-defined]
    except ValueError:
        return None
