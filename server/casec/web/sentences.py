"""How the pages say things: a time in words, an organization by its short name, a statement as a sentence
("Uzbekistan — member of the CSTO, 2006–2012, according to Rauf and Saud 2020")."""

from __future__ import annotations

from casec.facts.wording import time_span
from casec.vocab import ID, XSD, sparql_prologue
from casec.web.read_cache import cached, label_of
from casec.web.services import services

DATE_TYPES = frozenset({XSD + "date", XSD + "gYear", XSD + "gYearMonth"})
SHORT_KINDS = ("org/", "body/")  # organizations and bodies go by their acronyms ("the CSTO")
ACRONYMS = (
    sparql_prologue()
    + """
SELECT ?x ?name WHERE {
  ?x skos:altLabel ?name . FILTER (isIRI(?x) && LANGMATCHES(LANG(?name), "en"))
  FILTER (REGEX(STR(?name), "^[A-Z][A-Z0-9-]{1,9}$"))
}"""
)
# a relation whose label ends so reads as a verb phrase ("borders China"); others as a noun ("seat: Moscow")
VERB_ENDINGS = (" of", " with", " in", " by", " from", " as", " to")


def when(start: str = "", end: str = "", at: str = "", reported: str = "") -> str:
    """A statement's time in words; ``reported`` (its source's year) only when it states no time."""
    if start or end:
        return time_span(start, end)
    if at:
        return f"in {at}"
    if reported:
        return f"as of {reported}, the source's year"
    return ""


def source_name(label: str) -> str:
    """A source's short name: ``"Rauf and Saud 2020, Prospects of …"`` → ``"Rauf and Saud 2020"``."""
    return label.split(",", 1)[0]


def short_name(iri: str) -> str:
    """An organization's or body's acronym (CSTO for the Collective Security Treaty Organization), else its
    label. Of several acronyms, the one spelling the label's initials wins (CSTO over ODKB)."""
    return _acronyms().get(iri) or label_of(iri)


def name_with_article(iri: str) -> str:
    """How a name reads inside a sentence: "the CSTO", "the Shanghai Cooperation Organisation", "China"."""
    name = short_name(iri)
    return f"the {name}" if iri.startswith(tuple(ID + kind for kind in SHORT_KINDS)) else name


def _acronyms() -> dict[str, str]:
    def build() -> dict[str, str]:
        found: dict[str, list[str]] = {}
        for row in services().store.select(ACRONYMS):
            if row["x"].value.startswith(tuple(ID + kind for kind in SHORT_KINDS)):
                found.setdefault(row["x"].value, []).append(row["name"].value)
        return {
            iri: min(names, key=lambda n: (not _spells(label_of(iri), n), len(n), n)) for iri, names in found.items()
        }

    return cached("acronyms", build)


def _spells(label: str, acronym: str) -> bool:
    initials = "".join(word[0] for word in label.replace("-", " ").split() if word[:1].isupper())
    return initials.upper() == acronym.replace("-", "").upper()


def relation_phrase(relation_label: str, other: str) -> str:
    """``"borders", "China"`` → "borders China"; ``"seat", "Moscow"`` → "seat: Moscow"."""
    verb = relation_label.endswith(VERB_ENDINGS) or (relation_label.endswith(("s", "ed")) and " " not in relation_label)
    return f"{relation_label} {other}" if verb else f"{relation_label}: {other}"


def statement_title(subject: str, phrase: str, time: str, source: str) -> str:
    """``Uzbekistan — member of the CSTO, 2006–2012, according to Rauf and Saud 2020``."""
    parts = [f"{subject} — {phrase}" if subject else phrase]
    if time:
        parts.append(time)
    if source:
        parts.append(f"according to {source}")
    return ", ".join(parts)
