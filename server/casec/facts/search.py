"""Find entities by any of their names, in any language, forgiving case, diacritics and unfinished words.

Every ``rdfs:label``, ``skos:prefLabel`` and ``skos:altLabel`` of a casec entity is folded once
(Unicode NFKD, combining marks dropped, case-folded, apostrophes dropped, other punctuation made
a space), and so is the query; a query then matches a name exactly, as its beginning, as the
beginnings of its words, or inside it, in that order of rank. The preferred label counts a little
more than a variant, and an entity that many statements mention a little more than a rare one, so
``kyrg`` finds Kyrgyzstan before the Kyrgyz Foreign Policy Concept.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from casec.store.interface import GraphStore
from casec.vocab import ID, RDFS, SKOS, kind_of, sparql_prologue

RDFS_LABEL, SKOS_PREF, SKOS_ALT = RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel"
# A 404's suggestions read at most this much of the slug: casec's slugs are under 70 characters, so a longer
# one is no near-miss of any, and difflib's cost grows with the product of the lengths it compares.
SUGGESTION_INPUT = 100

LABELS = (
    sparql_prologue()
    + f"""
SELECT ?s ?p ?label WHERE {{
  VALUES ?p {{ rdfs:label skos:prefLabel skos:altLabel }}
  ?s ?p ?label .
  FILTER (isIRI(?s) && isLiteral(?label) && STRSTARTS(STR(?s), "{ID}"))
}}"""
)
TYPES = (
    sparql_prologue()
    + f"""
SELECT DISTINCT ?s ?type WHERE {{
  ?s a ?type . FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{ID}") && STRSTARTS(STR(?type), STR(casec:)))
}}"""
)
MENTIONS = (
    sparql_prologue()
    + """
SELECT ?x (COUNT(DISTINCT ?st) AS ?n) WHERE {
  VALUES ?link { org:member org:organization org:role rdf:subject rdf:object }
  ?st ?link ?x . FILTER (isIRI(?x))
} GROUP BY ?x"""
)

# letters NFKD does not take apart
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"})
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """The form names are compared in: ``"Güvenlik Anlaşması"`` → ``"guvenlik anlasmasi"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = _APOSTROPHES.sub("", bare.casefold().translate(_LETTERS))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


@dataclass(frozen=True)
class IndexedName:
    """One name of an entity as the index compares it (``folded``)."""

    text: str
    language: str
    predicate: str
    folded: str


@dataclass
class Entry:
    iri: str
    names: list[IndexedName] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    mentions: int = 0

    @property
    def kind(self) -> str:
        return kind_of(self.iri)

    @property
    def label(self) -> str:
        """The English ``rdfs:label``, else any label, else the slug."""
        ranked = sorted(self.names, key=lambda n: (n.predicate != RDFS_LABEL, n.language != "en", n.text))
        return ranked[0].text if ranked else self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    kind: str
    types: list[str]
    score: float
    matched: str
    matched_language: str

    def as_dict(self) -> dict[str, object]:
        return {
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "types": self.types,
            "score": round(self.score, 2),
            "matched": self.matched,
            "matchedLanguage": self.matched_language,
        }


class LabelIndex:
    """The names of every casec entity, folded, held in memory (a few hundred entities: a scan is instant)."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries

    @classmethod
    def build(cls, store: GraphStore) -> LabelIndex:
        entries: dict[str, Entry] = {}
        for row in store.select(LABELS):
            iri, label = row["s"].value, row["label"]
            entry = entries.setdefault(iri, Entry(iri))
            name = IndexedName(label.value, label.language or "", row["p"].value, fold(label.value))
            if name not in entry.names:
                entry.names.append(name)
        for row in store.select(TYPES):
            if (typed := entries.get(row["s"].value)) is not None:
                typed.types.append(row["type"].value)
        for row in store.select(MENTIONS):
            if (mentioned := entries.get(row["x"].value)) is not None:
                mentioned.mentions = int(row["n"].value)
        return cls(entries)

    def search(self, query: str, limit: int = 20, kind: str | None = None) -> list[Hit]:
        wanted = fold(query)
        if not wanted:
            return []
        hits = []
        for entry in self.entries.values():
            if kind and entry.kind != kind:
                continue
            best: tuple[float, IndexedName] | None = None
            for name in entry.names:
                score = _match(wanted, name.folded)
                if not score:
                    continue
                score += {RDFS_LABEL: 4.0, SKOS_PREF: 3.0}.get(name.predicate, 0.0)
                if best is None or (score, -len(name.text)) > (best[0], -len(best[1].text)):
                    best = (score, name)
            if best is not None:
                score = best[0] + min(5.0, math.log2(1 + entry.mentions))
                hits.append(
                    Hit(entry.iri, entry.label, entry.kind, sorted(entry.types), score, best[1].text, best[1].language)
                )
        hits.sort(key=lambda h: (-h.score, len(h.label), h.label.casefold(), h.iri))
        return hits[:limit]

    def suggestions(self, slug: str, kind: str | None = None, limit: int = 5) -> list[Hit]:
        """Entities whose slug or names are close to ``slug`` (for a 404 page). Bounded work whatever the slug:
        it is cut to ``SUGGESTION_INPUT`` characters, and difflib's cheap upper bounds skip most entities."""
        slug = slug[:SUGGESTION_INPUT]
        words = slug.replace("-", " ").replace("_", " ")
        found = {hit.iri: hit for hit in self.search(words, limit=limit)}
        matcher = SequenceMatcher(None, slug.lower())
        scored = []
        for entry in self.entries.values():
            matcher.set_seq2(entry.iri.rsplit("/", 1)[-1].lower())
            bonus = 0.1 if kind and entry.kind == kind else 0.0
            if matcher.real_quick_ratio() + bonus < 0.6 or matcher.quick_ratio() + bonus < 0.6:
                continue
            ratio = matcher.ratio() + bonus
            if ratio >= 0.6:
                scored.append((ratio, entry))
        scored.sort(key=lambda item: (-item[0], item[1].iri))
        for ratio, entry in scored[:limit]:
            found.setdefault(
                entry.iri, Hit(entry.iri, entry.label, entry.kind, sorted(entry.types), ratio * 100, "", "")
            )
        return sorted(found.values(), key=lambda h: -h.score)[:limit]


def _match(query: str, name: str) -> float:
    if name == query:
        return 100.0
    if name.startswith(query):
        return 85.0
    if name.replace(" ", "").startswith(query.replace(" ", "")):
        return 80.0
    words = name.split()
    if all(any(word.startswith(token) for word in words) for token in query.split()):
        return 70.0
    if len(query) >= 3 and query in name:
        return 50.0
    return 0.0
