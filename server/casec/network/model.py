"""The network of who is linked to whom, built from the store with a few flat SPARQL SELECTs.

The model keeps *links*: one link between two nodes, of one relation, over a run of years with one basis. Links
of statuses (memberships, posts, bodies, borders, cooperation, rivalry, military presence, parties to agreements)
are the periods of the time model (docs/time-model.md): each holds in the years the sources place the status in,
stated, inferred or open, and names the statements behind those years. Links of events (taking part, the same
event, a predecessor) hold in the years their statements give. A *view* (:meth:`NetworkModel.view`) filters the
links (year, relations, organization, source) and folds them into a networkx ``MultiDiGraph`` with one edge per
pair, relation and role; each edge carries the ids of every statement behind it and the basis of its years, so any
line drawn can be traced to its quotes and to how sure its year is.

Only what the derivation step wrote (statements asserted as fact, periods) is read, through
:class:`casec.store.interface.GraphStore`, so an external SPARQL store can stand behind the same code.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from casec.facts.wording import years
from casec.network.filters import Filters
from casec.network.relations import ACTORS, NODE_CLASSES, RELATIONS
from casec.store.interface import GraphStore
from casec.vocab import CASEC, ID, ORG, Role, kind_of, local_url, membership_roles, sparql_prologue

# Relations (and their sub-properties) whose periods are links of one network relation.
_STATUS_RELATIONS = {
    ORG + "unitOf": "body-of",
    CASEC + "borders": "borders",
    CASEC + "cooperatesWith": "cooperates-with",
    CASEC + "rivalOf": "rival-of",
    CASEC + "militaryPresenceIn": "military-presence",
}
_PREDECESSOR, _PARTY, _PARTICIPANT, _EVENT_DATE = (
    CASEC + "predecessorOf",
    CASEC + "party",
    CASEC + "participant",
    CASEC + "eventDate",
)
BASES = {CASEC + "StatedBasis": "stated", CASEC + "InferredBasis": "inferred", CASEC + "OpenBasis": "open"}
SURER = ("stated", "inferred", "open")

_PROLOGUE = sparql_prologue()

Q_NODES = (
    _PROLOGUE
    + """SELECT ?entity ?top ?class ?iso3 WHERE {
  VALUES ?top { casec:State casec:InternationalOrganization casec:NonStateGroup casec:Body casec:Person casec:Event }
  ?class rdfs:subClassOf* ?top .
  ?entity a ?class .
  OPTIONAL { ?entity casec:iso3 ?iso3 }
}"""
)
Q_LABELS = (
    _PROLOGUE
    + f"""SELECT ?thing ?label WHERE {{
  ?thing rdfs:label ?label .
  FILTER (isIRI(?thing) && (STRSTARTS(STR(?thing), "{ID}") || STRSTARTS(STR(?thing), "{CASEC}")))
  FILTER (LANGMATCHES(LANG(?label), "en") || LANG(?label) = "")
}}"""
)
Q_STATEMENTS = (
    _PROLOGUE
    + """SELECT ?statement ?kind ?subject ?predicate ?object ?role ?source ?from ?to ?startYear ?endYear ?atYear
       ?modality ?endType ?asserted WHERE {
  {
    VALUES (?class ?kind) { (casec:Membership "membership") (casec:PostHolding "post") }
    ?statement a ?class ; org:member ?subject ; org:organization ?object ; org:role ?role .
  } UNION {
    # the relations drawn, the events, and what dates or ends a status (the statements behind periods)
    VALUES ?predicate { org:unitOf casec:borders casec:rivalOf casec:militaryPresenceIn casec:party casec:participant
                        casec:eventDate casec:predecessorOf casec:foundingDate casec:signingDate casec:entryIntoForce
                        casec:dissolutionDate casec:deathDate }
    ?statement rdf:predicate ?predicate ; rdf:subject ?subject ; rdf:object ?object .
    BIND ("assertion" AS ?kind)
  } UNION {
    ?statement rdf:predicate ?predicate ; rdf:subject ?subject ; rdf:object ?object .
    ?predicate rdfs:subPropertyOf* casec:cooperatesWith .
    BIND ("assertion" AS ?kind)
  }
  OPTIONAL { ?statement casec:source ?source }
  OPTIONAL { ?statement casec:fromYear ?from }
  OPTIONAL { ?statement casec:toYear ?to }
  OPTIONAL { ?statement casec:startYear ?startYear }
  OPTIONAL { ?statement casec:endYear ?endYear }
  OPTIONAL { ?statement casec:atYear ?atYear }
  OPTIONAL { ?statement casec:modality ?modality }
  OPTIONAL { ?statement casec:endType ?endType }
  OPTIONAL { ?statement casec:assertedAsFact ?asserted }
}"""
)
# The periods of the statuses the network draws: memberships and posts, and the relations above.
Q_PERIODS = (
    _PROLOGUE
    + """SELECT ?period ?subject ?predicate ?object ?role ?from ?to ?basis ?disputed ?statement WHERE {
  ?period a casec:StatusPeriod ; casec:fromYear ?from ; casec:toYear ?to ; casec:basis ?basis ;
          casec:derivedFrom ?statement .
  { ?period org:member ?subject ; org:organization ?object ; org:role ?role }
  UNION
  { ?period rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object }
  OPTIONAL { ?period casec:disputed ?disputed }
}"""
)
# One branch per relation with the relation written out: Virtuoso needs a property path's end given as a constant.
Q_RELATIONS = (
    _PROLOGUE
    + "SELECT ?property ?top WHERE {\n"
    + "\n  UNION\n".join(
        f"  {{ ?property rdfs:subPropertyOf* <{iri}> BIND (<{iri}> AS ?top) }}" for iri in (*_STATUS_RELATIONS, _PARTY)
    )
    + "\n}"
)
Q_EVIDENCE = (
    _PROLOGUE
    + """SELECT ?statement ?source ?line ?page ?quote WHERE {
  ?statement casec:evidence ?evidence .
  ?evidence oa:hasSource ?source ; oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?evidence casec:line ?line }
  OPTIONAL { ?evidence casec:page ?page }
}"""
)
Q_SOURCES = (
    _PROLOGUE
    + """SELECT ?source ?label ?issued WHERE {
  ?source a casec:Source .
  OPTIONAL { ?source rdfs:label ?label }
  OPTIONAL { ?source dcterms:issued ?issued }
}"""
)


@dataclass(frozen=True)
class Node:
    iri: str
    type: str
    label: str
    class_label: str
    iso3: str | None = None

    @property
    def kind(self) -> str:
        return kind_of(self.iri)

    @property
    def url(self) -> str:
        return local_url(self.iri)


@dataclass(frozen=True)
class StatementQuote:
    source: str
    line: int | None
    page: int | None
    text: str


@dataclass
class Statement:
    iri: str
    source: str | None
    first: int | None
    last: int | None
    modality: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    at_year: int | None = None
    end_type: str | None = None
    kind: str = ""  # membership, post or assertion
    subject: str | None = None
    object: str | None = None
    role: str | None = None  # org:role of a membership or post holding
    predicate: str | None = None  # rdf:predicate of an assertion
    asserted: bool = False  # casec:assertedAsFact: the only statements links come from
    quotes: list[StatementQuote] = field(default_factory=list)

    @property
    def dated(self) -> bool:
        """True when the statement gives its own time (not only its source's year)."""
        return self.start_year is not None or self.end_year is not None or self.at_year is not None


@dataclass(frozen=True)
class Link:
    """One link: ``source`` → ``target`` (or between them, for undirected relations), over the years ``first`` to
    ``last``, all known on one ``basis`` (stated, inferred, open)."""

    relation: str
    source: str
    target: str
    qualifier: str  # membership role, or the post's IRI; "" otherwise
    via: str | None  # the agreement or event a co-party / co-participation link goes through
    statements: tuple[str, ...]
    sources: frozenset[str]
    first: int | None
    last: int | None
    basis: str = "stated"
    disputed: bool = False

    def holds_in(self, year: int) -> bool:
        return self.first is not None and self.last is not None and self.first <= year <= self.last


@dataclass
class NetworkModel:
    version: str
    nodes: dict[str, Node]
    links: list[Link]
    statements: dict[str, Statement]
    labels: dict[str, str]
    sources: dict[str, tuple[str, int | None]]  # source IRI → (label, year)
    roles: dict[str, Role] = field(default_factory=dict)  # the ontology's membership roles, in display order
    build_seconds: float = 0.0

    # ---- what the views need -------------------------------------------------

    @property
    def years(self) -> tuple[int, int]:
        """The range of years the links cover, capped at the latest source's year (later ends are plans)."""
        firsts = [f.first for f in self.links if f.first is not None]
        lasts = [f.last for f in self.links if f.last is not None]
        latest = max((year for _, year in self.sources.values() if year), default=None)
        if not firsts:
            return (latest or 0, latest or 0)
        last = max(lasts)
        return (min(firsts), min(last, latest) if latest else last)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def view(self, filters: Filters) -> nx.MultiDiGraph:
        """The links that pass ``filters``, as a graph with one edge per pair, relation and role."""
        links = [f for f in self.links if _passes(f, filters)]
        if filters.organizations:
            links = _around_organizations(links, filters.organizations)
        graph = nx.MultiDiGraph(
            name="casec network",
            year=filters.year,
            relations=" ".join(sorted(filters.relations)),
            organization=" ".join(sorted(filters.organizations)),
            source=" ".join(sorted(filters.sources)),
            data_version=self.version,
        )
        grouped: dict[tuple[str, str, str], list[Link]] = defaultdict(list)
        for link in links:
            key = f"{link.relation}/{link.qualifier}" if link.qualifier else link.relation
            grouped[(link.source, link.target, key)].append(link)
        for (source, target, key), group in sorted(grouped.items()):
            for iri in (source, target):
                if iri not in graph:
                    graph.add_node(iri, **self.node_attributes(iri))
            graph.add_edge(source, target, key=key, **self._edge_attributes(group))
        return graph

    def node_attributes(self, iri: str) -> dict[str, object]:
        node = self.nodes[iri]
        attributes: dict[str, object] = {
            "label": node.label,
            "type": node.type,
            "class": node.class_label,
            "kind": node.kind,
            "url": node.url,
        }
        if node.iso3:
            attributes["iso3"] = node.iso3
        return attributes

    def _edge_attributes(self, links: list[Link]) -> dict[str, object]:
        first = links[0]
        relation = RELATIONS[first.relation]
        statements = sorted({s for f in links for s in f.statements})
        vias = sorted({f.via for f in links if f.via})
        firsts = [f.first for f in links if f.first is not None]
        lasts = [f.last for f in links if f.last is not None]
        role = first.qualifier
        if first.relation == "leads":
            role = self.label(first.qualifier)
        label = relation.label
        if first.relation == "membership":
            label = {"member": "member of", "suspended member": "suspended member of"}.get(role, f"{role} of")
        elif role:
            label = f"{role} of"
        bases = {f.basis for f in links}
        spans = sorted({(f.first, f.last, f.basis) for f in links if f.first is not None and f.last is not None})
        return {
            "relation": first.relation,
            "role": role,
            "label": label,
            "directed": relation.directed,
            "via": vias,
            "via_labels": [self.label(v) for v in vias],
            "statements": statements,
            "sources": sorted({s for f in links for s in f.sources}),
            "from_year": min(firsts) if firsts else None,
            "to_year": max(lasts) if lasts else None,
            "spells": spells([(f.first, f.last) for f in links if f.first is not None and f.last is not None]),
            # how the years shown are known: the surest basis among them, and each run of years with its basis
            "basis": next(b for b in SURER if b in bases),
            "periods": [f"{years(a, b)} {basis}" for a, b, basis in spans],
            "disputed": any(f.disputed for f in links),
            "weight": len(statements),
        }

    def evidence(self, statement_ids: Iterable[str]) -> dict[str, dict[str, object]]:
        """Each statement with its source, window, modality and quotes, for JSON answers."""
        found: dict[str, dict[str, object]] = {}
        for iri in sorted(set(statement_ids)):
            statement = self.statements.get(iri)
            if statement is None:
                continue
            source_label, _ = self.sources.get(statement.source or "", ("", None))
            found[iri] = {
                "source": statement.source,
                "source_label": source_label,
                "from_year": statement.first,
                "to_year": statement.last,
                "modality": self.label(statement.modality) if statement.modality else "stated as fact",
                "quotes": [
                    {"line": q.line, "page": q.page, "quote": q.text}
                    for q in sorted(statement.quotes, key=lambda q: (q.line or 0, q.text))
                ],
            }
        return found


def spells(windows: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The years a link holds, as merged runs of years ``[first, last]`` (a gap splits them: 1994–1999, 2006–2012)."""
    merged: list[list[int]] = []
    for first, last in sorted(windows):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return merged


def _passes(link: Link, filters: Filters) -> bool:
    if link.relation not in filters.relations:
        return False
    if filters.sources and not link.sources <= filters.sources:
        return False
    return filters.year is None or link.holds_in(filters.year)


def _around_organizations(links: list[Link], organizations: frozenset[str]) -> list[Link]:
    """The organizations, whoever is tied to them by membership, body-of or a post, and the links among them."""
    keep = set(organizations)
    for link in links:
        if link.relation in ("membership", "body-of", "leads"):
            if link.target in organizations:
                keep.add(link.source)
            elif link.source in organizations and link.relation == "membership":
                keep.add(link.target)
    return [f for f in links if f.source in keep and f.target in keep]


# ---- building ---------------------------------------------------------------------------------------------------


def data_version(store: GraphStore) -> str:
    """The store's own fingerprint of its data (the embedded files' hash, or what ``casec load`` recorded)."""
    return store.data_version() or "unversioned"


def build_model(store: GraphStore, version: str | None = None) -> NetworkModel:
    import time

    started = time.perf_counter()
    version = version if version is not None else data_version(store)
    labels = {row["thing"].value: row["label"].value for row in store.select(Q_LABELS)}
    nodes = _nodes(store, labels)
    sources = {}
    for row in store.select(Q_SOURCES):
        issued = row["issued"]
        year = _int(issued.value[:4]) if issued is not None else None
        sources[row["source"].value] = (row["label"].value if row["label"] else row["source"].value, year)

    statements: dict[str, Statement] = {}
    for row in store.select(Q_STATEMENTS):
        iri = row["statement"].value
        if iri in statements:
            continue
        statements[iri] = Statement(
            iri=iri,
            source=_value(row["source"]),
            first=_int(_value(row["from"])),
            last=_int(_value(row["to"])),
            modality=_value(row["modality"]),
            start_year=_int(_value(row["startYear"])),
            end_year=_int(_value(row["endYear"])),
            at_year=_int(_value(row["atYear"])),
            end_type=_value(row["endType"]),
            kind=row["kind"].value,
            subject=_value(row["subject"]),
            object=_value(row["object"]),
            role=_value(row["role"]),
            predicate=_value(row["predicate"]),
            asserted=_value(row["asserted"]) in ("true", "1"),
        )
    for row in store.select(Q_EVIDENCE):
        statement = statements.get(row["statement"].value)
        if statement is not None:
            statement.quotes.append(
                StatementQuote(
                    row["source"].value, _int(_value(row["line"])), _int(_value(row["page"])), row["quote"].value
                )
            )
    roles = membership_roles(store)
    links = _links(store, roles, statements, nodes)
    model = NetworkModel(version, nodes, links, statements, labels, sources, roles)
    model.build_seconds = time.perf_counter() - started
    return model


def _nodes(store: GraphStore, labels: dict[str, str]) -> dict[str, Node]:
    """Each entity of a node class once: its type by the order of NODE_CLASSES, its most specific class."""
    typed: dict[str, list[tuple[int, bool, str]]] = defaultdict(list)
    iso3: dict[str, str] = {}
    order = list(NODE_CLASSES)
    for row in store.select(Q_NODES):
        iri, top, class_iri = row["entity"].value, row["top"].value, row["class"].value
        if iri.startswith(ID):
            typed[iri].append((order.index(top), class_iri == top, class_iri))
            if row["iso3"] is not None:
                iso3[iri] = row["iso3"].value
    found = {}
    for iri, classes in typed.items():
        rank, _, class_iri = min(classes)  # Council rather than Body
        found[iri] = Node(
            iri,
            NODE_CLASSES[order[rank]],
            labels.get(iri, iri.rsplit("/", 1)[-1]),
            labels.get(class_iri, class_iri.rsplit("#", 1)[-1]),
            iso3.get(iri),
        )
    return found


@dataclass
class _Period:
    subject: str
    predicate: str | None
    object: str
    role: str | None
    first: int
    last: int
    basis: str
    disputed: bool
    statements: set[str] = field(default_factory=set)


def _periods(store: GraphStore) -> list[_Period]:
    found: dict[str, _Period] = {}
    for row in store.select(Q_PERIODS):
        iri = row["period"].value
        if iri not in found:
            found[iri] = _Period(
                row["subject"].value,
                _value(row["predicate"]),
                row["object"].value,
                _value(row["role"]),
                int(row["from"].value),
                int(row["to"].value),
                BASES[row["basis"].value],
                _value(row["disputed"]) in ("true", "1"),
            )
        found[iri].statements.add(row["statement"].value)
    return list(found.values())


def _window(statement: Statement) -> tuple[int | None, int | None]:
    """The years one statement places its fact in (rules/20-years.rq); a one-sided window is read as that year."""
    first, last = statement.first, statement.last
    if first is None:
        first = last
    if last is None:
        last = first
    return first, last


def _links(
    store: GraphStore, roles: dict[str, Role], statements: dict[str, Statement], nodes: dict[str, Node]
) -> list[Link]:
    relation_of = {row["property"].value: row["top"].value for row in store.select(Q_RELATIONS)}

    def fits(relation: str, source: str | None, target: str | None) -> bool:
        r = RELATIONS[relation]
        return (
            source in nodes
            and target in nodes
            and source != target
            and nodes[source].type in r.sources
            and nodes[target].type in r.targets
        )

    def link(
        relation: str,
        source: str,
        target: str,
        qualifier: str,
        via: str | None,
        ids: Iterable[str],
        window: tuple[int | None, int | None],
        basis: str = "stated",
        disputed: bool = False,
    ) -> Link:
        if not RELATIONS[relation].directed and target < source:
            source, target = target, source
        ids = tuple(sorted(ids))
        sources = frozenset(statements[i].source or "" for i in ids if i in statements)
        return Link(relation, source, target, qualifier, via, ids, sources, *window, basis, disputed)

    links: set[Link] = set()
    # statuses: the periods of the time model
    parties: dict[str, list[_Period]] = defaultdict(list)
    for period in _periods(store):
        common = (period.statements, (period.first, period.last), period.basis, period.disputed)
        if period.role is not None and period.role in roles:
            if fits("membership", period.subject, period.object):
                links.add(link("membership", period.subject, period.object, roles[period.role].label, None, *common))
        elif period.role is not None:
            if fits("leads", period.subject, period.object):
                links.add(link("leads", period.subject, period.object, period.role, None, *common))
        elif relation_of.get(period.predicate or "") == _PARTY:
            if period.object in nodes and nodes[period.object].type in ACTORS:
                parties[period.subject].append(period)
        elif (top := relation_of.get(period.predicate or "")) and fits(
            _STATUS_RELATIONS[top], period.subject, period.object
        ):
            links.add(link(_STATUS_RELATIONS[top], period.subject, period.object, "", None, *common))
    for agreement, held in parties.items():  # parties to the same agreement in the years both are parties
        for mine, theirs in itertools.combinations(sorted(held, key=lambda p: (p.object, p.first)), 2):
            first, last = max(mine.first, theirs.first), min(mine.last, theirs.last)
            if mine.object != theirs.object and first <= last and fits("co-party", mine.object, theirs.object):
                basis = max(mine.basis, theirs.basis, key=SURER.index)
                ids = mine.statements | theirs.statements
                links.add(
                    link(
                        "co-party",
                        mine.object,
                        theirs.object,
                        "",
                        agreement,
                        ids,
                        (first, last),
                        basis,
                        mine.disputed or theirs.disputed,
                    )
                )
    # events: the years their statements give
    participants: dict[str, list[tuple[str, str]]] = defaultdict(list)
    event_years: dict[str, list[int]] = defaultdict(list)
    for statement in statements.values():
        if not statement.asserted or statement.kind != "assertion":
            continue
        subject, obj = statement.subject or "", statement.object or ""
        if statement.predicate == _EVENT_DATE:
            year = _int(obj[:4])
            if year is not None:
                event_years[subject].append(year)
        elif statement.predicate == _PARTICIPANT:
            participants[subject].append((obj, statement.iri))
        elif statement.predicate == _PREDECESSOR and fits("predecessor-of", subject, obj):
            links.add(link("predecessor-of", subject, obj, "", None, (statement.iri,), _window(statement)))
    # Taking part in an event happens at the event: a participant statement that gives no time of its own
    # holds in the year(s) of the event's date, not only in its source's year.
    for event, given in event_years.items():
        for _, iri in participants.get(event, []):
            statement = statements[iri]
            if not statement.dated:
                statement.first, statement.last = min(given), max(given)
    for event, members in participants.items():
        for actor, iri in members:
            if fits("participation", actor, event):
                links.add(link("participation", actor, event, "", None, (iri,), _window(statements[iri])))
        for (one, said_one), (other, said_other) in itertools.combinations(sorted(members), 2):
            (first_one, last_one), (first_other, last_other) = (
                _window(statements[said_one]),
                _window(statements[said_other]),
            )
            if one == other or not fits("co-participation", one, other):
                continue
            if first_one is None or last_one is None or first_other is None or last_other is None:
                continue
            both = (max(first_one, first_other), min(last_one, last_other))
            if both[0] <= both[1]:  # the two statements hold in a common year
                links.add(link("co-participation", one, other, "", event, (said_one, said_other), both))
    return sorted(
        links, key=lambda f: (f.relation, f.source, f.target, f.qualifier, f.via or "", f.statements, f.first or 0)
    )


def _value(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None
