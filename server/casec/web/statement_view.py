"""What a statement page shows: what the statement says (its properties, each linked), its evidence
(quote, source, line) and the statements that disagree with it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from casec.vocab import sparql_prologue
from casec.web.entity_view import Conflict, Evidence, short_value
from casec.web.read_cache import conflicts, label_of
from casec.web.services import services

PROPERTIES = (
    sparql_prologue()
    + """
SELECT ?p ?o WHERE { <IRI> ?p ?o . FILTER (!isBlank(?o)) }"""
)
EVIDENCE = (
    sparql_prologue()
    + """
SELECT ?source ?line ?page ?quote WHERE {
  <IRI> casec:evidence ?evidence .
  ?evidence oa:hasSource ?source ; casec:line ?line ; oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?evidence casec:page ?page }
} ORDER BY ?source ?line"""
)
# what a statement says first, then its qualifiers, then what the rules derived
ORDER = [
    "type", "member", "organization", "role", "subject", "predicate", "object", "start", "end", "at",
    "end type", "modality", "claimant", "unit", "measure", "counterpart",
]  # fmt: skip


@dataclass
class Property:
    name: str
    value: str
    is_iri: bool


@dataclass
class StatementPage:
    iri: str
    properties: list[Property]
    evidence: list[Evidence] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


def statement_view(iri: str) -> StatementPage:
    store = services().store
    properties = []
    for row in store.select(PROPERTIES.replace("<IRI>", f"<{iri}>")):
        name, value = label_of(row["p"].value), row["o"]
        if row["p"].value.endswith("#evidence"):
            continue
        properties.append(Property(name, value.value, isinstance(value, ox.NamedNode)))
    properties.sort(key=lambda p: (ORDER.index(p.name) if p.name in ORDER else len(ORDER), p.name, p.value))
    evidence = [
        Evidence(
            row["source"].value,
            label_of(row["source"].value),
            int(row["line"].value),
            row["page"].value if row["page"] is not None else "",
            row["quote"].value,
        )
        for row in store.select(EVIDENCE.replace("<IRI>", f"<{iri}>"))
    ]
    disagreements = [
        Conflict(d.other, short_value(d.value), short_value(d.other_value), label_of(d.other_source))
        for d in conflicts().get(iri, [])
    ]
    return StatementPage(iri, properties, evidence, disagreements)
