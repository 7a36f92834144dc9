"""What a source page shows: the document's bibliographic record and every fact curated from it, in
the order of the text (by line), each passage's quote once with the facts it supports."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from casec.store.query_text import bind_iri
from casec.vocab import BIBO, sparql_prologue
from casec.web.entity_view import MODALITIES
from casec.web.read_cache import conflicts, label_of
from casec.web.sentences import when
from casec.web.services import services

RECORD = (
    sparql_prologue()
    + """
SELECT ?p ?value ?name WHERE {
  $this ?p ?node .
  OPTIONAL { ?node foaf:name|dcterms:title ?name }
  BIND (IF(isBlank(?node), "", ?node) AS ?value)
}"""
)
FACTS = (
    sparql_prologue()
    + """
SELECT ?st ?type ?subject ?rel ?object ?role ?start ?end ?at ?endType ?modality ?unit ?line ?page ?quote WHERE {
  GRAPH $this {
    ?st casec:evidence ?evidence . ?evidence casec:line ?line ; oa:hasSelector/oa:exact ?quote .
    OPTIONAL { ?evidence casec:page ?page }
    ?st a ?type . FILTER (?type IN (casec:Membership, casec:PostHolding, casec:Assertion))
    OPTIONAL { ?st org:member ?subject }
    OPTIONAL { ?st rdf:subject ?subject }
    OPTIONAL { ?st org:organization ?object }
    OPTIONAL { ?st rdf:object ?object }
    OPTIONAL { ?st rdf:predicate ?rel }
    OPTIONAL { ?st org:role ?role }
    OPTIONAL { ?st casec:start ?start }
    OPTIONAL { ?st casec:end ?end }
    OPTIONAL { ?st casec:at ?at }
    OPTIONAL { ?st casec:endType ?endType }
    OPTIONAL { ?st casec:modality ?modality }
    OPTIONAL { ?st casec:unit ?unit }
  }
} ORDER BY ?line ?st"""
)


# the record's fields as a reader names them (the label is the page's title)
RECORD_NAMES = {
    "creator": "authors",
    "isPartOf": "published in",
    "issued": "published",
    "identifier": "file",
}
SKIPPED = ("#type", "#label")


@dataclass
class SourceFact:
    """A statement curated from the source, as its page lists it under the passage that is its evidence."""

    statement: str
    subject: str
    relation: str
    object: str
    object_is_iri: bool
    when: str
    end_type: str
    modality: str
    modality_label: str
    unit: str
    disputed: bool

    @property
    def slug(self) -> str:
        return self.statement.rsplit("/", 1)[-1]


@dataclass
class SourcePassage:
    """A quote at a line of the source, once, with the statements it is evidence for."""

    line: int
    page: str
    quote: str
    facts: list[SourceFact] = field(default_factory=list)


@dataclass
class SourceView:
    iri: str
    label: str
    record: list[tuple[str, list[str]]]
    doi: str
    passages: list[SourcePassage]

    @property
    def fact_count(self) -> int:
        return len({f.statement for p in self.passages for f in p.facts})


def source_view(iri: str) -> SourceView:
    store = services().store
    record: dict[str, list[str]] = {}
    doi = ""
    for row in store.select(bind_iri(RECORD, iri)):
        predicate, value = row["p"].value, row["value"]
        if predicate.endswith(SKIPPED):
            continue
        if row["name"] is not None and value.value == "":  # a blank node: a person, a journal
            text = row["name"].value
        elif isinstance(value, ox.NamedNode):
            text = label_of(value.value)
        else:
            text = value.value
        if predicate == BIBO + "doi":
            doi = text
        name = RECORD_NAMES.get(label_of(predicate), label_of(predicate))
        if text and text not in record.setdefault(name, []):
            record[name].append(text)
    label = label_of(iri)
    disputed = conflicts()
    passages: dict[tuple[int, str], SourcePassage] = {}
    seen: set[tuple[str, int, str]] = set()
    for row in store.select(bind_iri(FACTS, iri)):
        line, quote, st = int(row["line"].value), row["quote"].value, row["st"].value
        if (st, line, quote) in seen:
            continue
        seen.add((st, line, quote))
        passage = passages.setdefault((line, quote), SourcePassage(line, _text(row["page"]), quote))
        passage.facts.append(_fact(row, st in disputed))
    ordered = sorted(passages.values(), key=lambda p: (p.line, p.quote))
    return SourceView(iri, label, sorted(record.items()), doi, ordered)


def _fact(row: ox.QuerySolution, disputed: bool) -> SourceFact:
    kind = row["type"].value.rsplit("#", 1)[-1]
    relation = label_of(row["role"].value) if kind != "Assertion" and row["role"] is not None else ""
    if kind == "Assertion" and row["rel"] is not None:
        relation = label_of(row["rel"].value)
    obj = row["object"]
    modality, modality_label = ("stated", "stated by the source")
    if row["modality"] is not None:
        modality, modality_label = MODALITIES.get(row["modality"].value, (modality, modality_label))
    return SourceFact(
        row["st"].value,
        row["subject"].value if row["subject"] is not None else "",
        relation,
        obj.value if obj is not None else "",
        isinstance(obj, ox.NamedNode),
        when(_text(row["start"]), _text(row["end"]), _text(row["at"])),
        label_of(row["endType"].value) if row["endType"] is not None else "",
        modality,
        modality_label,
        _text(row["unit"]),
        disputed,
    )


def _text(term: object) -> str:
    return "" if term is None else term.value  # type: ignore[attr-defined]
