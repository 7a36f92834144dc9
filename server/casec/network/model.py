"""The network of who is linked to whom, built from the store with a few flat SPARQL SELECTs.

The model keeps *facts*: one link between two nodes, of one relation, backed by
one or two statements (two for "party to the same agreement" and "took part in
the same event", one per side) and the window of years in which those
statements are known to hold. A *view* (:meth:`NetworkModel.view`) filters the
facts (year, relations, organization, source) and folds them into a networkx
``MultiDiGraph`` with one edge per pair, relation and role; each edge carries
the ids of every statement behind it, so any line drawn can be traced to its
quotes.

Only :meth:`casec.store.GraphStore.query` is used, so an external SPARQL store
can stand behind the same code.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from casec.network.filters import Filters
from casec.network.relations import ACTORS, NODE_CLASSES, RELATIONS
from casec.store.interface import GraphStore
from casec.vocab import CASEC, ID, PREFIXES

ORG = PREFIXES["org"]


# Assertion predicates that become a direct edge of one relation.
_DIRECT = {
    ORG + "unitOf": "body-of",
    CASEC + "borders": "borders",
    CASEC + "predecessorOf": "predecessor-of",
    CASEC + "cooperatesWith": "cooperates-with",
    CASEC + "rivalOf": "rival-of",
    CASEC + "militaryPresenceIn": "military-presence",
}
_PARTY, _PARTICIPANT, _EVENT_DATE = CASEC + "party", CASEC + "participant", CASEC + "eventDate"
# Membership roles folded into one edge: founding and full members are both members.
ROLE_GROUPS = {
    CASEC + "FoundingMember": "member",
    CASEC + "Member": "member",
    CASEC + "SuspendedMember": "suspended member",
    CASEC + "Observer": "observer",
    CASEC + "DialoguePartner": "dialogue partner",
    CASEC + "Partner": "partner",
    CASEC + "Applicant": "applicant",
}
# Statements the sources present as opinion or projection never become edges (as in rules/*.rq).
NOT_EDGES = frozenset({CASEC + "Opinion", CASEC + "Projection"})

_PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("casec", "rdf", "rdfs", "org", "oa", "dcterms"))

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
       ?modality ?endType WHERE {
  {
    ?statement a casec:Membership ; org:member ?subject ; org:organization ?object ; org:role ?role .
    BIND ("membership" AS ?kind)
  } UNION {
    ?statement a casec:PostHolding ; org:member ?subject ; org:organization ?object ; org:role ?role .
    BIND ("post" AS ?kind)
  } UNION {
    VALUES ?predicate { org:unitOf casec:party casec:participant casec:borders casec:predecessorOf
                        casec:cooperatesWith casec:rivalOf casec:militaryPresenceIn casec:eventDate }
    ?statement a casec:Assertion ; rdf:predicate ?predicate ; rdf:subject ?subject ; rdf:object ?object .
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
}"""
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
        return self.iri[len(ID) :].split("/", 1)[0] if self.iri.startswith(ID) else ""

    @property
    def url(self) -> str:
        return "/id/" + self.iri[len(ID) :] if self.iri.startswith(ID) else self.iri


@dataclass(frozen=True)
class Quote:
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
    quotes: list[Quote] = field(default_factory=list)

    @property
    def dated(self) -> bool:
        """True when the statement gives its own time (not only its source's year)."""
        return self.start_year is not None or self.end_year is not None or self.at_year is not None


@dataclass(frozen=True)
class Fact:
    """One link: ``source`` → ``target`` (or between them, for undirected relations)."""

    relation: str
    source: str
    target: str
    qualifier: str  # membership role group, or the post's IRI; "" otherwise
    via: str | None  # the agreement or event a co-party / co-participation link goes through
    statements: tuple[str, ...]
    sources: frozenset[str]
    first: int | None
    last: int | None

    def holds_in(self, year: int) -> bool:
        return self.first is not None and self.last is not None and self.first <= year <= self.last


@dataclass
class NetworkModel:
    version: str
    nodes: dict[str, Node]
    facts: list[Fact]
    statements: dict[str, Statement]
    labels: dict[str, str]
    sources: dict[str, tuple[str, int | None]]  # source IRI → (label, year)
    build_seconds: float = 0.0

    # ---- what the views need -------------------------------------------------

    @property
    def years(self) -> tuple[int, int]:
        """The range of years the facts cover, capped at the latest source's year (later ends are plans)."""
        firsts = [f.first for f in self.facts if f.first is not None]
        lasts = [f.last for f in self.facts if f.last is not None]
        latest = max((year for _, year in self.sources.values() if year), default=None)
        if not firsts:
            return (latest or 0, latest or 0)
        last = max(lasts)
        return (min(firsts), min(last, latest) if latest else last)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def view(self, filters: Filters) -> nx.MultiDiGraph:
        """The facts that pass ``filters``, as a graph with one edge per pair, relation and role."""
        facts = [f for f in self.facts if _passes(f, filters)]
        if filters.organizations:
            facts = _around_organizations(facts, filters.organizations)
        graph = nx.MultiDiGraph(
            name="casec network",
            year=filters.year,
            relations=" ".join(sorted(filters.relations)),
            organization=" ".join(sorted(filters.organizations)),
            source=" ".join(sorted(filters.sources)),
            data_version=self.version,
        )
        grouped: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
        for fact in facts:
            key = f"{fact.relation}/{fact.qualifier}" if fact.qualifier else fact.relation
            grouped[(fact.source, fact.target, key)].append(fact)
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

    def _edge_attributes(self, facts: list[Fact]) -> dict[str, object]:
        first = facts[0]
        relation = RELATIONS[first.relation]
        statements = sorted({s for f in facts for s in f.statements})
        vias = sorted({f.via for f in facts if f.via})
        firsts = [f.first for f in facts if f.first is not None]
        lasts = [f.last for f in facts if f.last is not None]
        role = first.qualifier
        if first.relation == "leads":
            role = self.label(first.qualifier)
        label = relation.label
        if first.relation == "membership":
            label = {"member": "member of", "suspended member": "suspended member of"}.get(role, f"{role} of")
        elif role:
            label = f"{role} of"
        return {
            "relation": first.relation,
            "role": role,
            "label": label,
            "directed": relation.directed,
            "via": vias,
            "via_labels": [self.label(v) for v in vias],
            "statements": statements,
            "sources": sorted({s for f in facts for s in f.sources}),
            "from_year": min(firsts) if firsts else None,
            "to_year": max(lasts) if lasts else None,
            "spells": spells([(f.first, f.last) for f in facts if f.first is not None and f.last is not None]),
            "weight": len(statements),
        }

    def evidence(self, statement_ids: Iterable[str]) -> dict[str, dict[str, object]]:
        """Each statement with its source, window, modality and quotes, for JSON answers."""
        found = {}
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


def _passes(fact: Fact, filters: Filters) -> bool:
    if fact.relation not in filters.relations:
        return False
    if filters.sources and not fact.sources <= filters.sources:
        return False
    return filters.year is None or fact.holds_in(filters.year)


def _around_organizations(facts: list[Fact], organizations: frozenset[str]) -> list[Fact]:
    """The organizations, whoever is tied to them by membership, body-of or a post, and the links among them."""
    keep = set(organizations)
    for fact in facts:
        if fact.relation in ("membership", "body-of", "leads"):
            if fact.target in organizations:
                keep.add(fact.source)
            elif fact.source in organizations and fact.relation == "membership":
                keep.add(fact.target)
    return [f for f in facts if f.source in keep and f.target in keep]


# ---- building ---------------------------------------------------------------------


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
    rows: list[dict[str, str | None]] = []
    for row in store.select(Q_STATEMENTS):
        iri = row["statement"].value
        if iri not in statements:
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
            )
        rows.append(
            {
                "statement": iri,
                "kind": row["kind"].value,
                "subject": _value(row["subject"]),
                "predicate": _value(row["predicate"]),
                "object": _value(row["object"]),
                "role": _value(row["role"]),
            }
        )
    for row in store.select(Q_EVIDENCE):
        statement = statements.get(row["statement"].value)
        if statement is not None:
            statement.quotes.append(
                Quote(row["source"].value, _int(_value(row["line"])), _int(_value(row["page"])), row["quote"].value)
            )
    facts = _facts(rows, statements, nodes)
    model = NetworkModel(version, nodes, facts, statements, labels, sources)
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


def _window(statement: Statement) -> tuple[int | None, int | None]:
    """The years a statement is known to hold (rules/20-years.rq); a one-sided window is read as that one year."""
    first, last = statement.first, statement.last
    if first is None:
        first = last
    if last is None:
        last = first
    return first, last


def _facts(rows: list[dict[str, str | None]], statements: dict[str, Statement], nodes: dict[str, Node]) -> list[Fact]:
    def usable(iri: str) -> bool:
        return statements[iri].modality not in NOT_EDGES

    def fits(relation: str, source: str | None, target: str | None) -> bool:
        r = RELATIONS[relation]
        return (
            source in nodes
            and target in nodes
            and source != target
            and nodes[source].type in r.sources
            and nodes[target].type in r.targets
        )

    def fact(relation: str, source: str, target: str, qualifier: str, via: str | None, ids: tuple[str, ...]):
        windows = [_window(statements[i]) for i in ids]
        if any(w[0] is None for w in windows):
            first = last = None
        else:
            first, last = max(w[0] for w in windows), min(w[1] for w in windows)
            if first > last:  # both statements never hold in one year: the link has no year
                first = last = None
        if not RELATIONS[relation].directed and target < source:
            source, target = target, source
        return Fact(
            relation,
            source,
            target,
            qualifier,
            via,
            ids,
            frozenset(statements[i].source or "" for i in ids),
            first,
            last,
        )

    facts: set[Fact] = set()
    parties: dict[str, list[tuple[str, str]]] = defaultdict(list)
    participants: dict[str, list[tuple[str, str]]] = defaultdict(list)
    event_years: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        iri, subject, obj = row["statement"], row["subject"], row["object"]
        assert iri is not None
        if row["predicate"] == _EVENT_DATE:
            year = _int((obj or "")[:4])
            if year is not None and usable(iri):
                event_years[subject or ""].append(year)
            continue
        if not usable(iri):
            continue
        if row["kind"] == "membership":
            group = ROLE_GROUPS.get(row["role"] or "")
            if group and fits("membership", subject, obj):
                facts.add(fact("membership", subject, obj, group, None, (iri,)))  # type: ignore[arg-type]
        elif row["kind"] == "post":
            if fits("leads", subject, obj):
                facts.add(fact("leads", subject, obj, row["role"] or "", None, (iri,)))  # type: ignore[arg-type]
        elif row["predicate"] == _PARTY:
            if obj in nodes and nodes[obj].type in ACTORS:
                parties[subject or ""].append((obj, iri))
        elif row["predicate"] == _PARTICIPANT:
            participants[subject or ""].append((obj or "", iri))
        elif (relation := _DIRECT.get(row["predicate"] or "")) and fits(relation, subject, obj):
            facts.add(fact(relation, subject, obj, "", None, (iri,)))  # type: ignore[arg-type]

    # Taking part in an event happens at the event: a participant statement that gives no time of its own
    # holds in the year(s) of the event's date, not only in its source's year.
    for event, years in event_years.items():
        for _, iri in participants.get(event, []):
            statement = statements[iri]
            if not statement.dated:
                statement.first, statement.last = min(years), max(years)
    for event, members in participants.items():
        for actor, iri in members:
            if fits("participation", actor, event):
                facts.add(fact("participation", actor, event, "", None, (iri,)))
    for relation, groups in (("co-party", parties), ("co-participation", participants)):
        for via, members in groups.items():
            for (a, sa), (b, sb) in itertools.combinations(sorted(members), 2):
                if a != b and fits(relation, a, b):
                    facts.add(fact(relation, a, b, "", via, (sa, sb)))
    return sorted(facts, key=lambda f: (f.relation, f.source, f.target, f.qualifier, f.via or "", f.statements))


def _value(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None
