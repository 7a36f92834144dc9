"""The time model: what each status holds in which year, and how each year is known.

A derivation rule (run by :mod:`casec.store.derive` after the asserted-as-fact flag and before the closures),
written in Python because persistence, replacement and disagreement are a walk over years that SPARQL says badly.
docs/time-model.md states the rules, one paragraph each; this module follows it section by section:

* :func:`collect` reads the statements of every status (memberships, post holdings, assertions of a relation the
  ontology marks ``casec:persists``), the lifespans of organizations and holders, and the controlled lists.
* :func:`stated_points` turns each statement into the years it states (``StatusEvidence.points``), its dated
  starts and ends, and what ends it without a date.
* :func:`years_of` walks each status over the years: stated, inferred between stated years, open after the last,
  up to the first thing that ends it (its own end, a change to another status, the end of its organization or
  holder, the year before a source that says it is over).
* :func:`flag_disputes` marks the years where two exclusive statuses, or a holding and a negation, meet.
* :func:`periods` cuts each status into runs of one basis, and :func:`quads` writes them.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from casec.vocab import CASEC, NS, PERIOD, sparql_prologue

STATED, INFERRED, OPEN = CASEC + "StatedBasis", CASEC + "InferredBasis", CASEC + "OpenBasis"

MEMBERSHIP, POST, ASSERTION = "membership", "post", "assertion"
ABSENT = "absent"  # the role (or object marker) of an absence status
EXITS = frozenset({CASEC + "Withdrawal", CASEC + "Expulsion"})
SUSPENSION = CASEC + "Suspension"
SUSPENDED_MEMBER = CASEC + "SuspendedMember"

Q_STATEMENTS = """
SELECT ?st ?kind ?holder ?container ?role ?founding ?absent ?startYear ?endYear ?atYear ?endType ?reported WHERE {
  { ?st casec:assertedAsFact true } UNION { ?st casec:assertedAsAbsent true BIND (true AS ?absent) }
  {
    ?st a casec:Membership ; org:member ?holder ; org:organization ?container ; org:role ?stated .
    OPTIONAL { ?stated skos:broader ?broader }
    BIND (COALESCE(?broader, ?stated) AS ?role) BIND ("membership" AS ?kind)
    BIND (?stated = casec:FoundingMember AS ?founding)
  } UNION {
    ?st a casec:PostHolding ; org:member ?holder ; org:organization ?container ; org:role ?role .
    BIND ("post" AS ?kind)
  } UNION {
    ?st a casec:Assertion ; rdf:subject ?holder ; rdf:predicate ?container ; rdf:object ?role .
    FILTER EXISTS { ?container rdfs:subPropertyOf* ?persisting . ?persisting casec:persists true }
    FILTER (!isLiteral(?role))
    BIND ("assertion" AS ?kind)
  }
  OPTIONAL { ?st casec:startYear ?startYear }
  OPTIONAL { ?st casec:endYear ?endYear }
  OPTIONAL { ?st casec:atYear ?atYear }
  OPTIONAL { ?st casec:endType ?endType }
  OPTIONAL { ?st casec:reportedYear ?reported }
}"""
# Beginnings and ends of organizations, bodies, agreements, initiatives and persons.
Q_LIFESPANS = """
SELECT ?st ?entity ?predicate ?year WHERE {
  VALUES ?predicate { casec:foundingDate casec:signingDate casec:entryIntoForce casec:dissolutionDate casec:deathDate }
  ?st casec:assertedAsFact true ; rdf:subject ?entity ; rdf:predicate ?predicate ; rdf:object ?value .
  BIND (xsd:integer(SUBSTR(STR(?value), 1, 4)) AS ?year)
  FILTER (BOUND(?year))
}"""
# A succession ends its predecessor (not an agreement: a treaty lives on in the organization it became).
Q_SUCCESSIONS = """
SELECT ?st ?predecessor ?successor ?year ?agreement WHERE {
  ?st casec:assertedAsFact true ; rdf:subject ?predecessor ; rdf:predicate casec:predecessorOf ; rdf:object ?successor .
  OPTIONAL { ?st casec:atYear ?at } OPTIONAL { ?st casec:startYear ?start } OPTIONAL { ?st casec:endYear ?end }
  BIND (COALESCE(?at, ?start, ?end) AS ?year)
  BIND (EXISTS { ?predecessor a/rdfs:subClassOf* casec:Agreement } AS ?agreement)
}"""
Q_ROLES = """
SELECT ?role ?exclusive ?member WHERE {
  ?role a casec:MembershipRole .
  OPTIONAL { ?role casec:exclusive ?exclusive }
  BIND (EXISTS { ?role casec:directProperty casec:memberOf } AS ?member)
}"""
Q_PROPERTIES = """
SELECT DISTINCT ?property ?symmetric ?single WHERE {
  ?property rdfs:subPropertyOf* ?persisting . ?persisting casec:persists true .
  BIND (EXISTS { ?property a owl:SymmetricProperty } AS ?symmetric)
  BIND (EXISTS { ?property rdfs:subPropertyOf* ?one . ?one casec:oneValueAtATime true } AS ?single)
}"""
Q_LATEST = """
SELECT (MAX(xsd:integer(SUBSTR(STR(?issued), 1, 4))) AS ?year)
WHERE { ?source a casec:Source ; dcterms:issued ?issued }"""


# ---- what the store says ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Said:
    """One statement about a status, with the years it gives (None where it gives none)."""

    statement: str
    kind: str  # membership, post or assertion
    holder: str
    container: str  # organization (membership, post) or relation (assertion)
    role: str  # role (the status role: founding members are members), post, or the assertion's object
    founding: bool  # a founding membership: it begins with the organization
    absent: bool  # asserted as absent (negated): the source says it does not hold
    start: int | None
    end: int | None
    at: int | None
    end_type: str | None
    reported: int | None  # the year of its source


@dataclass
class Lifespan:
    begins: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # founding, signing, entry into force
    ends: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # dissolution, succession, death
    predecessors: set[str] = field(default_factory=set)

    @property
    def first(self) -> int | None:
        return min(self.begins, default=None)

    @property
    def last(self) -> int | None:
        return min(self.ends, default=None)


@dataclass
class World:
    said: list[Said]
    lifespans: dict[str, Lifespan]
    exclusive_roles: set[str]  # a member holds one of these in an organization at a time
    member_roles: set[str]  # membership proper (casec:memberOf): ends an application
    symmetric: set[str]
    single_valued: set[str]  # relations with one object at a time
    latest: int  # the year of the latest source: open years end there


def collect(store: ox.Store) -> World:
    def select(query: str) -> list[ox.QuerySolution]:
        return list(store.query(sparql_prologue() + query, use_default_graph_as_union=True))  # type: ignore[arg-type]

    properties = select(Q_PROPERTIES)
    symmetric = {row["property"].value for row in properties if _bool(row["symmetric"])}
    said = []
    for row in select(Q_STATEMENTS):
        holder, role = row["holder"].value, row["role"].value
        if row["kind"].value == ASSERTION and row["container"].value in symmetric and role < holder:
            holder, role = role, holder  # a symmetric relation is one status whichever way it is written
        said.append(
            Said(
                row["st"].value,
                row["kind"].value,
                holder,
                row["container"].value,
                role,
                _bool(row["founding"]),
                row["absent"] is not None,
                _int(row["startYear"]),
                _int(row["endYear"]),
                _int(row["atYear"]),
                row["endType"].value if row["endType"] is not None else None,
                _int(row["reported"]),
            )
        )
    lifespans: dict[str, Lifespan] = defaultdict(Lifespan)
    for row in select(Q_LIFESPANS):
        span, dated = lifespans[row["entity"].value], int(row["year"].value)
        ending = row["predicate"].value in (CASEC + "dissolutionDate", CASEC + "deathDate")
        (span.ends if ending else span.begins)[dated].add(row["st"].value)
    for row in select(Q_SUCCESSIONS):  # after the foundings: an undated succession is dated by the successor's
        predecessor, successor = row["predecessor"].value, row["successor"].value
        lifespans[successor].predecessors.add(predecessor)
        if _bool(row["agreement"]):
            continue
        succeeded, statements = _int(row["year"]), {row["st"].value}
        founded = lifespans[successor].first
        if succeeded is None and founded is not None:
            succeeded = founded
            statements |= lifespans[successor].begins[founded]
        if succeeded is not None:
            lifespans[predecessor].ends[succeeded] |= statements
    roles = select(Q_ROLES)
    latest = select(Q_LATEST)[0]["year"]
    return World(
        said,
        dict(lifespans),
        {row["role"].value for row in roles if _bool(row["exclusive"])},
        {row["role"].value for row in roles if _bool(row["member"])},
        symmetric,
        {row["property"].value for row in properties if _bool(row["single"])},
        _int(latest) or 0,
    )


# ---- statuses and the years their statements state -------------------------------------------------------------


# kind, holder, container, role or object ("" for the absence of any membership), absent
Key = tuple[str, str, str, str, bool]


@dataclass
class StatusEvidence:
    """What the statements say of one status (``key``): the years they state, its starts and ends, and the
    years worked out from them."""

    key: Key
    points: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # stated years
    starts: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # dated beginnings
    ends: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # dated ends (its last year)
    caps: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # undated ends: its last year at most
    years: dict[int, tuple[str, set[str]]] = field(default_factory=dict)  # year -> (basis, statements behind it)
    ended_by: dict[int, set[str]] = field(default_factory=dict)  # last year of a run -> what ended it
    disputed: set[int] = field(default_factory=set)
    after_exit: bool = False  # an absence an exit began

    @property
    def absent(self) -> bool:
        return self.key[4]

    @property
    def open_ended(self) -> bool:
        """An absence only negations state holds in their years, not after; everything else persists."""
        return not self.absent or self.after_exit


def _status_key(world: World, said: Said) -> Key:
    if said.absent and said.kind == MEMBERSHIP and said.role in world.member_roles:
        return (MEMBERSHIP, said.holder, said.container, "", True)  # "not a member": outside the organization
    return (said.kind, said.holder, said.container, said.role, said.absent)


def hard_end(world: World, key: Key) -> tuple[int | None, set[str]]:
    """The first end of the organization or body, or of the holder (or, for an assertion, of either side)."""
    kind, holder, container, role, _ = key
    spans = [world.lifespans[e] for e in (holder, container if kind != ASSERTION else role) if e in world.lifespans]
    years = [span.last for span in spans if span.last is not None]
    if not years:
        return None, set()
    last = min(years)
    return last, set().union(*(span.ends[last] for span in spans if span.last == last))


def _anchor(world: World, said: Said) -> tuple[int | None, set[str]]:
    """The start a statement implies without giving it: a founding member's is the founding, a party's the signing."""
    if said.start is not None or said.at is not None or said.absent:
        return None, set()
    entity = said.container if said.founding else said.holder if said.container == CASEC + "party" else None
    span = world.lifespans.get(entity or "")
    if span is None or span.first is None:
        return None, set()
    return span.first, span.begins[span.first]


def stated_points(world: World) -> dict[Key, StatusEvidence]:
    """Every status with the years its statements state, its dated starts and ends, and its undated ends."""
    statuses: dict[Key, StatusEvidence] = {}

    def status(key: Key) -> StatusEvidence:
        return statuses.setdefault(key, StatusEvidence(key))

    for said in world.said:
        key = _status_key(world, said)
        it, st = status(key), said.statement
        if said.absent:  # evidence of absence in its years: its period, its time, else its source's year
            given = [y for y in (said.start, said.end, said.at) if y is not None]
            for year in _range(said.start, said.end) or given or [y for y in (said.reported,) if y is not None]:
                it.points[year].add(st)
            continue
        last, _ = hard_end(world, key)
        begin, anchors = _anchor(world, said)
        if begin is not None:
            it.points[begin] |= {st, *anchors}
            it.starts[begin] |= {st, *anchors}
        for year in [*_range(said.start, said.end), *(y for y in (said.start, said.end, said.at) if y is not None)]:
            it.points[year].add(st)
        if said.start is not None:
            it.starts[said.start].add(st)
        if said.end is not None:
            it.ends[said.end].add(st)
        current = said.end is None and said.end_type is None and said.at is None
        if current and said.reported is not None and (last is None or said.reported <= last):
            it.points[said.reported].add(st)  # the source reports the status as current in its year
        if said.end is None and said.end_type is not None and said.reported is not None:
            it.caps[said.reported - 1].add(st)  # over, without a date: before the source's year
        if said.kind == MEMBERSHIP and said.end_type in (*EXITS, SUSPENSION):
            role = "" if said.end_type in EXITS else SUSPENDED_MEMBER
            exited = said.end if said.end is not None else said.reported
            if exited is not None:  # an exit starts an absence, a suspension a suspended membership
                after = status((MEMBERSHIP, said.holder, said.container, role, said.end_type in EXITS))
                after.points[exited].add(st)
                after.after_exit = True
                if said.end is not None:  # dated: it begins then (undated: it holds in the source's year)
                    after.starts[exited].add(st)
    return statuses


# ---- persistence ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cut:
    """Another status that stops this one: a dated change (this one holds through ``year``) or an undated
    observation of the other (this one holds at most through ``year``)."""

    year: int
    dated: bool
    statements: frozenset[str]


def rivals(world: World, statuses: dict[Key, StatusEvidence]) -> dict[Key, list[Key]]:
    """For each status, the statuses whose beginning or observation ends it (docs: what ends a status)."""
    groups: dict[tuple[str, str, str], list[Key]] = defaultdict(list)
    for key in statuses:
        kind, holder, container, role, absent = key
        if kind == MEMBERSHIP and (not absent or role == ""):
            groups[("member", holder, container)].append(key)
        elif kind == POST and not absent:
            groups[("holder", container, role)].append(key)  # another holder of the same post
            groups[("person", holder, container)].append(key)  # another post of the same person there
        elif kind == ASSERTION and container in world.single_valued and not absent:
            groups[("value", holder, container)].append(key)
    found: dict[Key, list[Key]] = defaultdict(list)
    for (group, *_), keys in groups.items():
        for key in keys:
            found[key] += [other for other in keys if other != key and _replaces(world, group, other, key)]
    for key in statuses:  # a negation ends the open years of what it negates
        negation = (*key[:4], True)
        if not key[4] and negation in statuses:
            found[key].append(negation)
    return found


def _replaces(world: World, group: str, other: Key, key: Key) -> bool:
    if group != "member":
        return True
    role, by = key[3], other[3]
    exclusive = {"", *world.exclusive_roles}
    if role not in exclusive:  # an application (or any role not exclusive) ends where membership begins
        return by in world.member_roles and not other[4]
    return by in exclusive


def cuts_for(others: Iterable[StatusEvidence]) -> list[Cut]:
    cuts = []
    for other in others:
        for year, statements in other.points.items():
            if year in other.starts:
                cuts.append(Cut(year, True, frozenset(other.starts[year])))
            else:
                cuts.append(Cut(year - 1, False, frozenset(statements)))
    return cuts


def years_of(status: StatusEvidence, cuts: list[Cut], end: tuple[int | None, set[str]], latest: int) -> None:
    """Fill ``status.years``: its stated years, the inferred years between two of them with nothing that ends it in
    between, and the years after the last stated year of a run up to what ends it."""
    points = sorted(status.points)
    if not points:
        return  # nothing fixes any year: no period (the statements keep their bounds)
    last_possible, _ = end
    stops = set(status.ends) | ({last_possible} if last_possible is not None else set())

    def applies(cut: Cut, year: int) -> bool:  # a rival that begins with this status does not end it
        return cut.year > year or (cut.year == year and cut.dated and year not in status.starts)

    for year in points:
        status.years[year] = (STATED, set(status.points[year]))
    followers: list[int | None] = [*points[1:], None]
    for year, following in zip(points, followers, strict=True):
        if following is not None and not _interrupted(year, following, stops, [c for c in cuts if applies(c, year)]):
            between = status.points[year] | status.points[following]
            for gap in range(year + 1, following):
                status.years[gap] = (INFERRED, set(between))
            continue
        _tail(status, year, following, [c for c in cuts if applies(c, year)], end, latest)


def _interrupted(year: int, following: int, stops: set[int], cuts: list[Cut]) -> bool:
    """Whether something ends the status between two of its stated years: one of its own dated ends, a rival that
    begins (dated) in between, or a rival seen (undated) strictly between."""
    if any(year <= stop < following for stop in stops):
        return True
    return any(cut.year < following - (0 if cut.dated else 1) for cut in cuts)


def _tail(
    status: StatusEvidence,
    year: int,
    following: int | None,
    cuts: list[Cut],
    end: tuple[int | None, set[str]],
    latest: int,
) -> None:
    """The years after the stated ``year`` up to the first thing that ends the status (before its next stated year)."""
    last_possible, end_statements = end
    if year in status.ends or (last_possible is not None and year >= last_possible):
        status.ended_by[year] = set(status.ends.get(year, set())) | (end_statements if year == last_possible else set())
        return
    # (the year it holds through, dated, statements): the earliest wins, a dated one at the same year
    candidates: list[tuple[int, bool, frozenset[str]]] = [(latest, False, frozenset())]
    if last_possible is not None:
        candidates.append((last_possible, True, frozenset(end_statements)))
    candidates += [(cap, False, frozenset(st)) for cap, st in status.caps.items() if cap >= year]
    candidates += [(cut.year, cut.dated, cut.statements) for cut in cuts]
    if following is not None:
        candidates.append((following - 1, False, frozenset()))
    if not status.open_ended:
        candidates.append((year, False, frozenset()))
    through, dated, statements = min(candidates, key=lambda c: (c[0], not c[1]))
    through = max(through, year)
    for gap in range(year + 1, through + 1):
        basis = (STATED if gap == through else INFERRED) if dated else OPEN
        status.years[gap] = (basis, set(status.points[year]) | (set(statements) if basis == STATED else set()))
    if statements:
        status.ended_by[through] = set(statements)


def _range(start: int | None, end: int | None) -> list[int]:
    return list(range(start, end + 1)) if start is not None and end is not None and start <= end else []


# ---- disagreements ----------------------------------------------------------------------------------------------


def flag_disputes(world: World, statuses: dict[Key, StatusEvidence]) -> None:
    """Two exclusive statuses of one member in one organization (or two values of a one-value relation) in a year,
    unless all but one of them end there by the change to the other; a status in a year its negation covers."""
    groups: dict[tuple[str, str, str], list[StatusEvidence]] = defaultdict(list)
    for key, status in statuses.items():
        kind, holder, container, role, absent = key
        exclusive_role = kind == MEMBERSHIP and (role == "" or (role in world.exclusive_roles and not absent))
        if exclusive_role or (kind == ASSERTION and container in world.single_valued and not absent):
            groups[(kind, holder, container)].append(status)
        if not absent and (*key[:4], True) in statuses:
            negation = statuses[(*key[:4], True)]
            for year in set(status.years) & set(negation.years):
                status.disputed.add(year)
                negation.disputed.add(year)
    for members in groups.values():
        for year in {year for status in members for year in status.years}:
            holding = [s for s in members if year in s.years]
            if len(holding) < 2:
                continue
            changing = any(year - 1 not in s.years or (year - 1) in s.ended_by for s in holding)
            staying = [s for s in holding if not (changing and (year + 1 not in s.years or year in s.ended_by))]
            if len(staying) > 1:
                for status in staying:
                    status.disputed.add(year)


# ---- periods ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: Key
    first: int
    last: int
    basis: str
    statements: frozenset[str]
    ended_by: frozenset[str]
    disputed: bool
    before_organization: bool
    predecessors: frozenset[str]

    def iri(self, holder: str, other: str) -> str:
        _, _, container, _, absent = self.key
        words = [_slug(holder), _slug(container), *(["not"] if absent else []), _slug(other), self.first, self.last]
        digest = hashlib.sha1("|".join(map(str, (*self.key, holder, self.first))).encode()).hexdigest()[:6]
        return PERIOD + "-".join(str(w) for w in [*words, digest] if w != "")


def periods(world: World, statuses: dict[Key, StatusEvidence]) -> list[Period]:
    """Each status cut into runs of consecutive years with one basis and one dispute flag."""
    found = []
    for status in statuses.values():
        run: list[int] = []
        for year in sorted(status.years):
            if run and (
                year != run[-1] + 1
                or status.years[year][0] != status.years[run[-1]][0]
                or (year in status.disputed) != (run[-1] in status.disputed)
                or run[-1] in status.ended_by
            ):
                found.append(_period(world, status, run))
                run = []
            run.append(year)
        if run:
            found.append(_period(world, status, run))
    return found


def _period(world: World, status: StatusEvidence, run: list[int]) -> Period:
    kind, holder, container, _, _ = status.key
    inside = container if kind != ASSERTION else holder if container == CASEC + "party" else ""
    span = world.lifespans.get(inside)
    before = bool(span and span.begins and run[0] < max(span.begins))  # before the founding, as any source dates it
    return Period(
        status.key,
        run[0],
        run[-1],
        status.years[run[0]][0],
        frozenset(s for year in run for s in status.years[year][1]),
        frozenset(status.ended_by.get(run[-1], set())),
        run[0] in status.disputed,
        before,
        frozenset(span.predecessors) if before and span else frozenset(),
    )


# ---- the rule ---------------------------------------------------------------------------------------------------


def model(world: World) -> list[Period]:
    statuses = stated_points(world)
    replacing = rivals(world, statuses)
    for key, status in statuses.items():
        cuts = cuts_for(statuses[other] for other in replacing.get(key, []))
        years_of(status, cuts, hard_end(world, key), world.latest)
    flag_disputes(world, statuses)
    return periods(world, statuses)


def derive(store: ox.Store) -> list[ox.Quad]:
    """The derivation step's entry: the periods and lifespans as quads of the default graph."""
    world = collect(store)
    return list(quads(world, model(world)))


def quads(world: World, found: list[Period]) -> Iterator[ox.Quad]:
    rdf, org, xsd = NS["rdf"], NS["org"], NS["xsd"]
    true = ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))

    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer"))

    for period in found:
        kind, holder, container, role, absent = period.key
        ways = [(holder, role)]
        if kind == ASSERTION and container in world.symmetric and holder != role:
            ways.append((role, holder))  # a symmetric relation holds both ways: a period each way
        for subject, other in ways:
            triples: list[tuple[str, ox.NamedNode | ox.Literal]] = [
                (rdf + "type", ox.NamedNode(CASEC + ("AbsencePeriod" if absent else "StatusPeriod"))),
                (CASEC + "fromYear", integer(period.first)),
                (CASEC + "toYear", integer(period.last)),
                (CASEC + "basis", ox.NamedNode(period.basis)),
            ]
            if kind == ASSERTION:
                names = (rdf + "subject", rdf + "predicate", rdf + "object")
            else:
                names = (org + "member", org + "organization", org + "role")
            triples += [
                (name, ox.NamedNode(value))
                for name, value in zip(names, (subject, container, other), strict=True)
                if value
            ]
            triples += [(CASEC + "derivedFrom", ox.NamedNode(s)) for s in sorted(period.statements)]
            triples += [(CASEC + "endedBy", ox.NamedNode(s)) for s in sorted(period.ended_by)]
            triples += [(CASEC + "predecessor", ox.NamedNode(p)) for p in sorted(period.predecessors)]
            triples += [(CASEC + "disputed", true)] if period.disputed else []
            triples += [(CASEC + "beforeOrganization", true)] if period.before_organization else []
            node = ox.NamedNode(period.iri(subject, other))
            for predicate, value in triples:
                yield ox.Quad(node, ox.NamedNode(predicate), value, ox.DefaultGraph())
    for entity, span in sorted(world.lifespans.items()):
        for name, year in (("lifespanFrom", span.first), ("lifespanTo", span.last)):
            if year is not None:
                yield ox.Quad(ox.NamedNode(entity), ox.NamedNode(CASEC + name), integer(year), ox.DefaultGraph())


def _slug(iri: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", re.split(r"[/#]", iri)[-1].lower()).strip("-")


def _int(term: ox.Literal | None) -> int | None:
    if term is None:
        return None
    try:
        return int(term.value)
    except ValueError:
        return None


def _bool(term: ox.Literal | None) -> bool:
    return term is not None and term.value in ("true", "1")
