"""Where the sources disagree, one entry per disagreement.

A *disagreement* is one subject and one relation and, for a membership, one organization ("Uzbekistan's
membership in the CSTO: how it ended"). Its *claims* are the statements taking a side, each once with its
value, source and every quote. The query is ``queries/conflicts.rq`` (one row per claim, keyed by the
disagreement), so the command, the pages and the endpoint answer alike; this module groups its rows and
adds the structured quotes and the labels the readers need.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from casec.bundle import Bundle
from casec.store.interface import GraphStore
from casec.store.query_text import bind_iris
from casec.vocab import sparql_prologue

QUERY_FILE = "conflicts.rq"
EVIDENCE = (
    sparql_prologue()
    + """
SELECT ?statement ?line ?quote WHERE {
  VALUES ?statement { $these }
  ?statement casec:evidence ?evidence . ?evidence casec:line ?line ; oa:hasSelector/oa:exact ?quote .
}"""
)
LABELS = (
    sparql_prologue()
    + """
SELECT ?x ?label WHERE {
  VALUES ?x { $these }
  ?x rdfs:label ?label . FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
}"""
)


@dataclass(frozen=True)
class QuotedLine:
    """A quote and the line of its source it stands on."""

    line: int
    text: str


@dataclass(frozen=True)
class ConflictClaim:
    """One statement's side: its value (an IRI or a literal's text), source and quotes; for the end of a
    membership, the year it ended."""

    statement: str
    value: str
    value_label: str
    source: str
    source_label: str
    year: int | None
    quotes: tuple[QuotedLine, ...]


@dataclass(frozen=True)
class Disagreement:
    subject: str
    subject_label: str
    relation: str
    relation_label: str
    organization: str | None
    organization_label: str | None
    claims: tuple[ConflictClaim, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.relation, self.organization or "")

    @property
    def topic(self) -> str:
        """What it is about, as a phrase: "membership in the CSTO: how it ended", "founding date"."""
        if self.organization:
            return f"membership in the {self.organization_label}: how it ended"
        return self.relation_label

    @property
    def points(self) -> list[tuple[int | None, dict[str, list[ConflictClaim]]]]:
        """The claims by year (for a membership's end; one point otherwise), then by value."""
        by_year: dict[int | None, dict[str, list[ConflictClaim]]] = defaultdict(lambda: defaultdict(list))
        for claim in self.claims:
            by_year[claim.year][claim.value_label].append(claim)
        return [(year, dict(by_year[year])) for year in sorted(by_year, key=lambda y: y or 0)]

    def others(self, statement: str) -> list[ConflictClaim]:
        """The claims that contradict ``statement``'s: another value (in the same year, for an end)."""
        mine = next(c for c in self.claims if c.statement == statement)
        return [c for c in self.claims if c.year == mine.year and c.value != mine.value]

    def as_dict(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "subject_label": self.subject_label,
            "relation": self.relation,
            "relation_label": self.relation_label,
            "organization": self.organization,
            "organization_label": self.organization_label,
            "about": f"{self.subject_label} — {self.topic}",
            "claims": [
                {
                    "statement": c.statement,
                    "value": c.value,
                    "value_label": c.value_label,
                    "year": c.year,
                    "source": c.source,
                    "source_label": c.source_label,
                    "quotes": [{"line": q.line, "quote": q.text} for q in c.quotes],
                }
                for c in self.claims
            ],
        }


@dataclass(frozen=True)
class _Row:
    statement: str
    value: ox.NamedNode | ox.Literal
    source: str
    year: int | None


def find_conflicts(store: GraphStore, bundle: Bundle) -> list[Disagreement]:
    """Every disagreement, in the order of the query (subject, relation, organization)."""
    query = (bundle.queries / QUERY_FILE).read_text(encoding="utf-8")
    grouped: dict[tuple[str, str, str], list[_Row]] = defaultdict(list)
    for row in store.select(query):
        key = (row["subject"].value, row["relation"].value, _text(row["organization"]))
        year = int(row["year"].value) if row["year"] is not None else None
        grouped[key].append(_Row(row["statement"].value, row["value"], row["source"].value, year))
    if not grouped:
        return []
    rows = [row for claims in grouped.values() for row in claims]
    quotes = _quotes(store, {row.statement for row in rows})
    iris = {part for key in grouped for part in key if part} | {row.source for row in rows}
    labels = _labels(store, iris | {row.value.value for row in rows if isinstance(row.value, ox.NamedNode)})

    def claim(row: _Row) -> ConflictClaim:
        is_iri = isinstance(row.value, ox.NamedNode)
        value_label = _label(labels, row.value.value).lower() if is_iri else row.value.value
        return ConflictClaim(
            row.statement,
            row.value.value,
            value_label,
            row.source,
            _label(labels, row.source),
            row.year,
            quotes.get(row.statement, ()),
        )

    return [
        Disagreement(
            subject,
            _label(labels, subject),
            relation,
            _label(labels, relation),
            organization or None,
            _label(labels, organization) if organization else None,
            tuple(claim(row) for row in claims),
        )
        for (subject, relation, organization), claims in grouped.items()
    ]


def _quotes(store: GraphStore, statements: Iterable[str]) -> dict[str, tuple[QuotedLine, ...]]:
    found: dict[str, set[QuotedLine]] = defaultdict(set)
    for row in store.select(bind_iris(EVIDENCE, statements)):
        found[row["statement"].value].add(QuotedLine(int(row["line"].value), row["quote"].value))
    return {s: tuple(sorted(q, key=lambda q: (q.line, q.text))) for s, q in found.items()}


def _labels(store: GraphStore, iris: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for row in store.select(bind_iris(LABELS, sorted(iris))):
        found.setdefault(row["x"].value, row["label"].value)
    return found


def _label(labels: dict[str, str], iri: str) -> str:
    return labels.get(iri) or iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(term: object) -> str:
    return "" if term is None else term.value  # type: ignore[attr-defined]
