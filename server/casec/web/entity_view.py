"""What an entity page shows, gathered with a few SPARQL queries: a summary (names, key dates with their
sources, members or memberships from the time model, counts per relation), then every statement about the
entity grouped by relation and by the entity on the other side, each statement with its evidence (quote,
source, line) and its modality, the sources side by side, disagreements flagged. Groups come in the order
that matters (memberships in the organizations the sources discuss most first, then by time).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from casec.facts.conflicts import Disagreement
from casec.facts.status_periods import Periods, StatusPeriod
from casec.facts.wording import years
from casec.store.query_text import bind_iri
from casec.vocab import CASEC, ORG, RDFS, SKOS, kind_of, sparql_prologue
from casec.web.read_cache import cached, conflicts, disputed, label_of, labels, periods, statement_counts
from casec.web.sentences import DATE_TYPES, short_name, source_name, when
from casec.web.services import services

NAME_PREDICATES = {RDFS + "label": "label", SKOS + "prefLabel": "preferred label", SKOS + "altLabel": "also called"}

NAMES = (
    sparql_prologue()
    + """
SELECT ?p ?name WHERE { VALUES ?p { rdfs:label skos:prefLabel skos:altLabel } $this ?p ?name }"""
)
TYPES = sparql_prologue() + "SELECT DISTINCT ?type WHERE { $this a ?type }"
ATTRIBUTES = (
    sparql_prologue()
    + """
SELECT ?p ?value WHERE {
  $this ?p ?value . FILTER (isLiteral(?value))
  FILTER (?p NOT IN (rdfs:label, skos:prefLabel, skos:altLabel, rdfs:comment))
  FILTER NOT EXISTS { ?assertion rdf:predicate ?p }
}"""
)
COMMENTS = sparql_prologue() + "SELECT ?comment WHERE { $this rdfs:comment|skos:definition ?comment }"
INVERSES = (
    sparql_prologue()
    + """
SELECT ?p ?inverse WHERE {
  { ?p owl:inverseOf ?inverse } UNION { ?inverse owl:inverseOf ?p }
  UNION { ?p a owl:SymmetricProperty BIND (?p AS ?inverse) }
}"""
)

STATEMENTS = (
    sparql_prologue()
    + """
SELECT ?st ?kind ?dir ?rel ?other ?where ?role ?start ?end ?at ?endType ?modality ?claimant ?unit ?measure
       ?counterpart ?reported ?from ?to ?source ?line ?page ?quote WHERE {
  {
    ?st a casec:Membership ; org:member $this ; org:organization ?other ; org:role ?role .
    BIND ("membership" AS ?kind) BIND ("out" AS ?dir)
  } UNION {
    ?st a casec:Membership ; org:organization $this ; org:member ?other ; org:role ?role .
    BIND ("membership" AS ?kind) BIND ("in" AS ?dir)
  } UNION {
    ?st a casec:PostHolding ; org:member $this ; org:organization ?other ; org:role ?role .
    BIND ("post" AS ?kind) BIND ("out" AS ?dir)
  } UNION {
    ?st a casec:PostHolding ; org:organization $this ; org:member ?other ; org:role ?role .
    BIND ("post" AS ?kind) BIND ("in" AS ?dir)
  } UNION {
    ?st a casec:PostHolding ; org:role $this ; org:member ?other ; org:organization ?where .
    BIND ("post" AS ?kind) BIND ("role" AS ?dir)
  } UNION {
    ?st a casec:Assertion ; rdf:subject $this ; rdf:predicate ?rel ; rdf:object ?other .
    BIND ("assertion" AS ?kind) BIND ("out" AS ?dir)
  } UNION {
    ?st a casec:Assertion ; rdf:object $this ; rdf:predicate ?rel ; rdf:subject ?other .
    BIND ("assertion" AS ?kind) BIND ("in" AS ?dir)
  } UNION {
    ?st a casec:Assertion ; casec:counterpart $this ; rdf:predicate ?rel ; rdf:subject ?where ; rdf:object ?other .
    BIND ("assertion" AS ?kind) BIND ("counterpart" AS ?dir)
  } UNION {
    ?st casec:claimant $this .
    OPTIONAL { ?st rdf:subject|org:member ?where }
    OPTIONAL { ?st rdf:object|org:organization ?other }
    OPTIONAL { ?st rdf:predicate ?rel }
    OPTIONAL { ?st org:role ?role }
    BIND ("claim" AS ?kind) BIND ("claimant" AS ?dir)
  }
  ?st casec:evidence ?evidence .
  ?evidence oa:hasSource ?source ; casec:line ?line ; oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?evidence casec:page ?page }
  OPTIONAL { ?st casec:start ?start }
  OPTIONAL { ?st casec:end ?end }
  OPTIONAL { ?st casec:at ?at }
  OPTIONAL { ?st casec:endType ?endType }
  OPTIONAL { ?st casec:modality ?modality }
  OPTIONAL { ?st casec:claimant ?claimant }
  OPTIONAL { ?st casec:unit ?unit }
  OPTIONAL { ?st casec:measure ?measure }
  OPTIONAL { ?st casec:counterpart ?counterpart }
  OPTIONAL { ?st casec:reportedYear ?reported }
  OPTIONAL { ?st casec:fromYear ?from }
  OPTIONAL { ?st casec:toYear ?to }
}"""
)

# how a relation reads from its object's side (before an inverse the ontology names: org:hasUnit has no label here)
INBOUND = {
    CASEC + "addresses": "addressed by",
    CASEC + "faces": "faced by",
    CASEC + "organizer": "organizer of",
    CASEC + "eventPlace": "place of",
    CASEC + "locatedIn": "location of",
    CASEC + "seat": "seat of",
    CASEC + "initiatedBy": "initiator of",
    CASEC + "involves": "involved in",
    CASEC + "militaryPresenceIn": "hosts the military presence of",
    CASEC + "threatFrom": "source of the threat",
    CASEC + "establishes": "established by",
    CASEC + "partOf": "has part",
    CASEC + "signingPlace": "signing place of",
    ORG + "unitOf": "has unit",
    CASEC + "backedBy": "backs",
    CASEC + "fundedBy": "funds",
    CASEC + "chairs": "chaired by",
    CASEC + "opposes": "opposed by",
    CASEC + "activity": "state of activity of",
    SKOS + "broader": "narrower threats",
}
FIXED_SECTIONS = {
    ("membership", "out"): (0, "Memberships"),
    ("membership", "in"): (1, "Members"),
    ("post", "out"): (2, "Posts held"),
    ("post", "in"): (3, "Office holders"),
    ("post", "role"): (4, "Holders of this post"),
}
# after memberships and posts: agreements, events, threats, then the rest alphabetically
FIRST_RELATIONS = [CASEC + "party", CASEC + "participant", CASEC + "addresses", CASEC + "faces"]
MODALITIES = {
    CASEC + "ReportedClaim": ("reported", "reported claim"),
    CASEC + "Opinion": ("opinion", "the author's opinion"),
    CASEC + "Projection": ("projection", "projection"),
    CASEC + "Stated": ("stated", "stated by the source"),
}


ROLE_RANK = {
    CASEC + "FoundingMember": 0,
    CASEC + "Member": 0,
    CASEC + "SuspendedMember": 1,
    CASEC + "Observer": 2,
    CASEC + "DialoguePartner": 3,
    CASEC + "Partner": 4,
    CASEC + "Applicant": 5,
}
OPEN_SECTION = 4  # a section of at most this many groups is unfolded (its groups' evidence stays folded)
SMALL_PAGE = 8  # an entity with at most this many statements shows everything unfolded


@dataclass
class Evidence:
    source: str
    source_label: str
    line: int
    page: str
    quote: str


@dataclass
class Contradiction:
    """Another statement that contradicts this one, in the disagreement ``anchor`` of /conflicts."""

    statement: str
    value: str
    other_value: str
    source_label: str
    anchor: str = ""


@dataclass
class StatementView:
    iri: str
    role: str = ""
    role_iri: str = ""
    when: str = ""
    first_year: int | None = None
    end_type: str = ""
    modality: str = "stated"
    modality_label: str = "stated by the source"
    claimant: str = ""
    figure: str = ""
    where: str = ""
    relation: str = ""
    other: str = ""
    source: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    conflicts: list[Contradiction] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def source_name(self) -> str:
        return source_name(label_of(self.source))


@dataclass
class Column:
    source: str
    source_label: str
    statements: list[StatementView]


@dataclass
class Group:
    other: str  # an IRI, or a literal's text
    other_is_iri: bool
    statements: list[StatementView] = field(default_factory=list)
    disputed_years: str = ""
    periods: list[StatusPeriod] = field(default_factory=list)

    @property
    def columns(self) -> list[Column]:
        by_source: dict[str, list[StatementView]] = defaultdict(list)
        for statement in self.statements:
            by_source[statement.source].append(statement)
        return [Column(source, label_of(source), by_source[source]) for source in sorted(by_source)]

    @property
    def flagged(self) -> bool:
        return bool(self.disputed_years) or any(s.conflicts for s in self.statements)

    @property
    def sources(self) -> int:
        return len({s.source for s in self.statements})

    @property
    def first_year(self) -> int:
        return min((s.first_year for s in self.statements if s.first_year is not None), default=9999)

    @property
    def role_rank(self) -> int:
        return min((ROLE_RANK.get(s.role_iri, 9) for s in self.statements), default=9)

    @property
    def digest(self) -> str:
        """One line for the folded group: the status periods (memberships), else the times the statements give."""
        if self.periods:
            return "; ".join(_period_phrase(p) for p in self.periods)
        times = list(dict.fromkeys(s.when for s in self.statements if s.when and not s.when.startswith("as of")))
        roles = list(dict.fromkeys(s.role for s in self.statements if s.role))
        return ", ".join([*roles[:2], *times[:3]]) + (" …" if len(times) > 3 else "")


@dataclass
class Section:
    key: str
    title: str
    order: tuple[int, str]
    groups: list[Group]

    @property
    def flagged(self) -> int:
        return sum(1 for g in self.groups if g.flagged)

    @property
    def open(self) -> bool:
        """Memberships and members always (a line per group), other sections when short."""
        return self.key.startswith("membership-") or len(self.groups) <= OPEN_SECTION


@dataclass
class EntityName:
    """A name of the entity as its page lists it; ``kind`` says which (label, preferred label, also called)."""

    text: str
    language: str
    kind: str


@dataclass
class KeyDate:
    """A date the sources give for the entity (founded, signed, in force…), each value with who says it."""

    relation: str
    values: dict[str, list[StatementView]]

    @property
    def disputed(self) -> bool:
        return len(self.values) > 1 and any(s.conflicts for ss in self.values.values() for s in ss)


@dataclass
class StatusLine:
    """In the summary: one organization's members in a role (an organization's page), or one organization and
    the entity's periods in it (a member's page)."""

    label: str
    entries: list[tuple[str, str, list[StatusPeriod]]]  # (IRI, short name, periods)


@dataclass
class Summary:
    as_of: int | None
    statuses: list[StatusLine]
    key_dates: list[KeyDate]


@dataclass
class EntityView:
    iri: str
    label: str
    names: list[EntityName]
    types: list[str]
    comments: list[str]
    attributes: list[tuple[str, str]]
    sections: list[Section]
    summary: Summary

    @property
    def kind(self) -> str:
        return kind_of(self.iri)

    @property
    def statement_count(self) -> int:
        return len({s.iri for section in self.sections for g in section.groups for s in g.statements})

    @property
    def source_count(self) -> int:
        return len({s.source for section in self.sections for g in section.groups for s in g.statements})

    @property
    def unfolded(self) -> bool:
        """Few statements: nothing to fold."""
        return self.statement_count <= SMALL_PAGE

    @property
    def other_names(self) -> list[EntityName]:
        """Every name but the label, each text once."""
        seen = {self.label}
        found = []
        for name in self.names:
            if name.text not in seen:
                seen.add(name.text)
                found.append(name)
        return found


def entity_view(iri: str) -> EntityView:
    store = services().store

    def rows(template: str) -> list[ox.QuerySolution]:
        return list(store.select(bind_iri(template, iri)))

    names = [
        EntityName(row["name"].value, row["name"].language or "", NAME_PREDICATES[row["p"].value])
        for row in rows(NAMES)
    ]
    names.sort(key=lambda n: (n.kind != "label", n.language != "en", n.language, n.text))
    types = sorted({row["type"].value for row in rows(TYPES)}, key=lambda t: (not t.startswith(CASEC), t))
    comments = sorted({row["comment"].value for row in rows(COMMENTS)})
    attributes = sorted((label_of(row["p"].value), row["value"].value) for row in rows(ATTRIBUTES))
    label = labels().get(iri) or (names[0].text if names else iri.rsplit("/", 1)[-1])
    found_periods = periods()
    sections, key_dates = _sections(iri, rows(STATEMENTS), found_periods)
    summary = Summary(*_statuses(iri, found_periods), key_dates)
    return EntityView(iri, label, names, types, comments, attributes, sections, summary)


def _statuses(iri: str, known: Periods) -> tuple[int | None, list[StatusLine]]:
    """An organization's members as of the latest year its periods reach; a member's periods, by organization."""
    rank = statement_counts()
    as_member = [p for p in known.of(member=iri) if p.role in ROLE_RANK]  # memberships, not posts
    if as_member:
        by_org: dict[str, list[StatusPeriod]] = defaultdict(list)
        for period in as_member:
            by_org[period.organization].append(period)
        ordered = sorted(by_org, key=lambda o: (-rank.get(o, 0), min(p.first for p in by_org[o]), label_of(o)))
        return None, [StatusLine("Memberships", [(org, short_name(org), by_org[org]) for org in ordered])]
    members = [p for p in known.of(organization=iri) if p.role in ROLE_RANK]
    if not members:
        return None, []
    as_of = max(p.last for p in members)
    by_role: dict[str, list[StatusPeriod]] = defaultdict(list)
    for period in members:
        if period.holds_in(as_of):
            by_role[period.role].append(period)
    lines = [
        StatusLine(
            _plural_role(role),
            [
                (p.member, label_of(p.member), [p])
                for p in sorted(by_role[role], key=lambda p: label_of(p.member).casefold())
            ],
        )
        for role in sorted(by_role, key=lambda r: (ROLE_RANK.get(r, 9), r))
    ]
    return as_of, lines


def _plural_role(role: str) -> str:
    name = label_of(role)
    plural = {"member": "Members", "founding member": "Founding members"}.get(name.lower())
    return plural or (name[:1].upper() + name[1:] + "s")


def _period_phrase(period: StatusPeriod) -> str:
    text = f"{label_of(period.role)} {period.years}"
    return text + (" (disputed)" if period.disputed else "")


def _sections(iri: str, rows: list[ox.QuerySolution], time_model: Periods) -> tuple[list[Section], list[KeyDate]]:
    statements: dict[str, StatementView] = {}
    placement: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)  # (kind, dir, rel, other) -> statements
    dated: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # relation -> date -> statements
    found_conflicts = conflicts()
    for row in rows:
        st = row["st"].value
        view = statements.get(st)
        if view is None:
            view = statements[st] = _statement(row, found_conflicts.get(st))
        evidence = Evidence(
            row["source"].value,
            label_of(row["source"].value),
            int(row["line"].value),
            _text(row["page"]),
            row["quote"].value,
        )
        if evidence not in view.evidence:
            view.evidence.append(evidence)
        if not view.source:
            view.source = evidence.source
        kind, direction = row["kind"].value, row["dir"].value
        other = row["other"]
        key = (kind, direction, _text(row["rel"]), _term_key(other))
        if st not in placement[key]:
            placement[key].append(st)
        if kind == "assertion" and direction == "out" and _is_date(other) and st not in dated[key[2]][other.value]:
            dated[key[2]][other.value].append(st)

    inverses = _inverses()
    pairs = disputed()
    sections: dict[tuple[str, str, str], Section] = {}
    groups: dict[tuple[tuple[str, str, str], str], Group] = {}
    for (kind, direction, relation, other), members in placement.items():
        if inverses.get(relation) == relation:  # a symmetric relation reads the same both ways: one section
            direction = "out" if direction == "in" else direction
        section_key = (kind, direction, relation if kind == "assertion" else "")
        section = sections.get(section_key)
        if section is None:
            section = sections[section_key] = _section(kind, direction, relation, inverses)
        group = groups.get((section_key, other))
        if group is None:
            group = Group(other.removeprefix("iri:").removeprefix("lit:"), other.startswith("iri:"))
            groups[(section_key, other)] = group
            if kind == "membership" and group.other_is_iri:
                member, organization = (iri, group.other) if direction == "out" else (group.other, iri)
                group.disputed_years = _year_ranges(pairs.get((member, organization), []))
                group.periods = time_model.of(member, organization)
            section.groups.append(group)
        known = {s.iri for s in group.statements}
        group.statements.extend(statements[s] for s in members if s not in known)
        group.statements.sort(key=lambda s: (s.source, s.when, s.iri))
    rank = statement_counts()
    for (kind, direction, _), section in sections.items():
        section.groups.sort(key=lambda g: _group_order(g, kind, direction, rank))
    key_dates = [
        KeyDate(label_of(relation), {value: [statements[s] for s in sts] for value, sts in sorted(values.items())})
        for relation, values in sorted(dated.items(), key=lambda item: label_of(item[0]))
    ]
    return sorted(sections.values(), key=lambda s: s.order), key_dates


def _group_order(group: Group, kind: str, direction: str, rank: dict[str, int]) -> tuple[int, int, str]:
    """What matters first: memberships in the organizations the sources discuss most, then by time; members
    by role, then by time; otherwise the entities the sources discuss most, then by time."""
    name = label_of(group.other).casefold() if group.other_is_iri else group.other
    weight = -rank.get(group.other, 0) if group.other_is_iri else 0
    if kind == "membership" and direction == "in":
        return (group.role_rank, group.first_year, name)
    return (weight, group.first_year, name)


def _statement(row: ox.QuerySolution, disagreement: Disagreement | None) -> StatementView:
    view = StatementView(row["st"].value)
    if row["role"] is not None:
        view.role = label_of(row["role"].value)
        view.role_iri = row["role"].value
    # the source's year says when an undated statement holds, but not for a date itself or an end without a date
    own_time = row["endType"] is not None or _is_date(row["other"])
    reported = "" if own_time else _text(row["reported"])
    view.when = when(_text(row["start"]), _text(row["end"]), _text(row["at"]), reported)
    if row["from"] is not None:
        view.first_year = int(row["from"].value)
    if row["endType"] is not None:
        view.end_type = label_of(row["endType"].value)
    if row["modality"] is not None:
        view.modality, view.modality_label = MODALITIES.get(row["modality"].value, ("stated", "stated by the source"))
    if row["claimant"] is not None:
        view.claimant = row["claimant"].value
    unit, measure = _text(row["unit"]), _text(row["measure"])
    view.figure = " ".join(part for part in (measure and f"({measure})", unit) if part)
    if row["where"] is not None:
        view.where = row["where"].value
    if row["rel"] is not None:
        view.relation = row["rel"].value
    if row["other"] is not None:
        view.other = row["other"].value
    view.conflicts = contradictions(view.iri, disagreement)
    return view


def contradictions(statement: str, disagreement: Disagreement | None) -> list[Contradiction]:
    """The claims that contradict ``statement`` in its disagreement, if it takes a side in one."""
    if disagreement is None:
        return []
    mine = next(c for c in disagreement.claims if c.statement == statement)
    return [
        Contradiction(c.statement, mine.value_label, c.value_label, c.source_label, disagreement_anchor(disagreement))
        for c in disagreement.others(statement)
    ]


def disagreement_anchor(disagreement: Disagreement) -> str:
    """The id of a disagreement on /conflicts: ``uzbekistan-endType-csto``."""
    parts = [disagreement.subject, disagreement.relation, disagreement.organization or ""]
    return "-".join(p.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] for p in parts if p)


def _section(kind: str, direction: str, relation: str, inverses: dict[str, str]) -> Section:
    if (kind, direction) in FIXED_SECTIONS:
        rank, title = FIXED_SECTIONS[(kind, direction)]
        return Section(f"{kind}-{direction}", title, (rank, ""), [])
    if kind == "claim":
        return Section("claims", "Claims attributed to it", (90, ""), [])
    name = label_of(relation)
    if direction == "out":
        title = name
    elif direction == "counterpart":
        title = f"counterpart ({name})"
    elif relation in INBOUND:
        title = INBOUND[relation]
    elif relation in inverses:
        title = label_of(inverses[relation])
    else:
        title = f"is {name} of"
    rank = FIRST_RELATIONS.index(relation) if relation in FIRST_RELATIONS else len(FIRST_RELATIONS)
    slug = relation.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return Section(f"{slug}-{direction}", title[:1].upper() + title[1:], (10 + rank, title.casefold()), [])


def _inverses() -> dict[str, str]:
    def build() -> dict[str, str]:
        return {row["p"].value: row["inverse"].value for row in services().store.select(INVERSES)}

    return cached("inverses", build)


def _year_ranges(stated: list[int]) -> str:
    """``[1999, 2000, 2001, 2012]`` → ``"1999–2001, 2012"``."""
    parts: list[str] = []
    ordered = sorted(set(stated))
    start = previous = None
    for year in [*ordered, None]:
        if year is not None and previous is not None and year == previous + 1:
            previous = year
            continue
        if start is not None and previous is not None:
            parts.append(years(start, previous))
        start = previous = year
    return ", ".join(parts)


# what a variable of casec's queries is bound to in a solution (they bind no quoted triples), or None if unbound
Bound = ox.NamedNode | ox.BlankNode | ox.Literal | None


def _is_date(term: Bound) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value in DATE_TYPES


def _term_key(term: Bound) -> str:
    if term is None:
        return "lit:"
    if isinstance(term, ox.Literal):
        return "lit:" + term.value
    return "iri:" + term.value


def _text(term: Bound) -> str:
    return "" if term is None else term.value
