"""What a statement page shows: a sentence saying what the statement says ("Uzbekistan — member of the CSTO,
2006–2012, according to Rauf and Saud 2020"), the curated properties once (each linked), what the graph's
rules derive from it (the years it holds, the status periods it supports), the disagreement it takes a side
in, and its evidence (quote, source, line)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from casec.facts.status_periods import StatusPeriod
from casec.facts.wording import years
from casec.store.query_text import bind_iri
from casec.vocab import CASEC, PREFIXES, SOURCE, sparql_prologue
from casec.web.entity_view import MODALITIES, Contradiction, Evidence, contradictions
from casec.web.read_cache import conflicts, label_of, periods
from casec.web.sentences import name_with_article, relation_phrase, short_name, source_name, statement_title, when
from casec.web.services import services

ORG, RDF = PREFIXES["org"], PREFIXES["rdf"]
# each property once, with whether a source's graph holds it (curated) or only the rules' (derived)
PROPERTIES = (
    sparql_prologue()
    + f"""
SELECT ?p ?o (MAX(?in_source) AS ?curated) WHERE {{
  $this ?p ?o . FILTER (!isBlank(?o))
  # what the derivation writes (the ontology marks it casec:derived) is never the source's, wherever it lies
  OPTIONAL {{
    GRAPH ?g {{ $this ?p ?o }} FILTER (STRSTARTS(STR(?g), "{SOURCE}"))
    FILTER NOT EXISTS {{ ?p casec:derived true }}
    BIND (1 AS ?in_source)
  }}
}} GROUP BY ?p ?o"""
)
EVIDENCE = (
    sparql_prologue()
    + """
SELECT ?source ?line ?page ?quote WHERE {
  $this casec:evidence ?evidence .
  ?evidence oa:hasSource ?source ; casec:line ?line ; oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?evidence casec:page ?page }
} ORDER BY ?source ?line"""
)
# what a statement says first, then its qualifiers
ORDER = [
    "member", "organization", "role", "subject", "predicate", "object", "start", "end", "at",
    "end type", "modality", "claimant", "unit", "measure", "counterpart",
]  # fmt: skip
# derived properties that only restate a curated one (the year of the start, …) or are shown elsewhere
RESTATED = {CASEC + name for name in ("startYear", "endYear", "atYear", "source", "reportedYear")} | {RDF + "type"}


@dataclass
class Property:
    name: str
    value: str
    is_iri: bool


@dataclass
class StatementPage:
    iri: str
    title: str
    type: str
    properties: list[Property]
    holds: str  # the years the graph reads it as holding ("2006–2012"), derived
    derived: list[Property]
    periods: list[StatusPeriod]
    evidence: list[Evidence] = field(default_factory=list)
    conflicts: list[Contradiction] = field(default_factory=list)
    disagreement_topic: str = ""
    modality: str = "stated"
    modality_label: str = "stated by the source"

    @property
    def slug(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


def statement_view(iri: str) -> StatementPage:
    store = services().store
    values: dict[str, list[ox.NamedNode | ox.Literal]] = {}
    properties, derived = [], []
    for row in store.select(bind_iri(PROPERTIES, iri)):
        predicate, value = row["p"].value, row["o"]
        values.setdefault(predicate, []).append(value)
        if predicate.endswith("#evidence"):
            continue
        item = Property(label_of(predicate), value.value, isinstance(value, ox.NamedNode))
        if row["curated"] is not None and predicate != RDF + "type":
            properties.append(item)
        elif predicate not in RESTATED and predicate not in (CASEC + "fromYear", CASEC + "toYear"):
            derived.append(item)
    properties.sort(key=lambda p: (ORDER.index(p.name) if p.name in ORDER else len(ORDER), p.name, p.value))
    derived.sort(key=lambda p: (p.name, (label_of(p.value) if p.is_iri else p.value).casefold()))  # values together
    evidence = [
        Evidence(
            row["source"].value,
            label_of(row["source"].value),
            int(row["line"].value),
            row["page"].value if row["page"] is not None else "",
            row["quote"].value,
        )
        for row in store.select(bind_iri(EVIDENCE, iri))
    ]
    disagreement = conflicts().get(iri)
    page = StatementPage(
        iri=iri,
        title=_title(values, evidence),
        type=_first(values, RDF + "type"),
        properties=properties,
        holds=_holds(values),
        derived=derived,
        periods=[p for p in periods().periods if iri in p.statements],
        evidence=evidence,
        conflicts=contradictions(iri, disagreement),
        disagreement_topic=f"{disagreement.subject_label} — {disagreement.topic}" if disagreement else "",
    )
    modality = _first(values, CASEC + "modality")
    if modality:
        page.modality, page.modality_label = MODALITIES.get(modality, ("stated", "stated by the source"))
    return page


def _first(values: dict[str, list[ox.NamedNode | ox.Literal]], predicate: str) -> str:
    found = values.get(predicate)
    return found[0].value if found else ""


def _title(values: dict[str, list[ox.NamedNode | ox.Literal]], evidence: list[Evidence]) -> str:
    """The statement as a sentence: who — what (role or relation) whom, when, according to which source."""

    def name(predicate: str) -> str:
        found = values.get(predicate)
        if not found:
            return ""
        term = found[0]
        return name_with_article(term.value) if isinstance(term, ox.NamedNode) else term.value

    time = when(_first(values, CASEC + "start"), _first(values, CASEC + "end"), _first(values, CASEC + "at"))
    sources = list(dict.fromkeys(e.source_label for e in evidence))
    source = source_name(sources[0]) if sources else ""
    role = _first(values, ORG + "role")
    if role:  # a membership or post holding: "Uzbekistan — member of the CSTO"
        subject = short_name(_first(values, ORG + "member"))
        return statement_title(subject, f"{label_of(role)} of {name(ORG + 'organization')}", time, source)
    subject = _first(values, RDF + "subject")
    relation = _first(values, RDF + "predicate")
    if subject and relation:
        # a figure reads with what it measures and its unit: "share of businesses in the corporation: 51 per cent"
        what = _first(values, CASEC + "measure") or label_of(relation)
        value = " ".join(part for part in (name(RDF + "object"), _first(values, CASEC + "unit")) if part)
        phrase = relation_phrase(what, value)
        subject_text = short_name(subject) if subject.startswith("http") else subject
        return statement_title(subject_text, phrase, time, source)
    return statement_title("", "Statement", time, source)


def _holds(values: dict[str, list[ox.NamedNode | ox.Literal]]) -> str:
    first, last = _first(values, CASEC + "fromYear"), _first(values, CASEC + "toYear")
    return years(first, last) if first and last else first or last
