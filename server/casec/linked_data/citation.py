"""Cite what you found: a source's reference as BibTeX, RIS and CSL-JSON, and a statement as one line.

The reference comes from the source's bibliographic record in ``data/sources.ttl`` (Dublin Core and BIBO), and
only from it: a field the record lacks is left out, never guessed. RDF keeps no order among several
``dcterms:creator`` values, so the authors are put in the order the source's label names them ("Rauf and Saud
2020, …"), and each author's family name is the longest ending of the ``foaf:name`` that the label uses ("de
Haas", "Das Kundu").

A statement's citation names the fact (subject — relation — object, its time, and how the source presents it),
each quote with its source and line, the statement's stable IRI and the version of the data (the store's
:meth:`~casec.store.interface.GraphStore.data_version`), so a reader can find the same statement again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

import pyoxigraph as ox

from casec.facts.wording import time_span
from casec.store.interface import GraphStore
from casec.store.query_text import bind_iri
from casec.vocab import BIBO, CASEC, DCTERMS, ORG, RDF, RDFS, sparql_prologue

RECORD = (
    sparql_prologue()
    + """
SELECT ?p ?o ?name ?partTitle ?partType ?issn WHERE {
  $this ?p ?o .
  OPTIONAL { ?o foaf:name ?name }
  OPTIONAL { ?o dcterms:title ?partTitle ; a ?partType . OPTIONAL { ?o bibo:issn ?issn } }
}"""
)
STATEMENT = (
    sparql_prologue()
    + """
SELECT ?p ?o ?label WHERE {
  $this ?p ?o . FILTER (!isBlank(?o))
  OPTIONAL { ?o rdfs:label ?label FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }
}"""
)
EVIDENCE = (
    sparql_prologue()
    + """
SELECT ?source ?sourceLabel ?line ?page ?quote WHERE {
  $this casec:evidence ?evidence .
  ?evidence oa:hasSource ?source ; casec:line ?line ; oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?evidence casec:page ?page }
  OPTIONAL { ?source rdfs:label ?sourceLabel }
} ORDER BY ?source ?line"""
)

# bibo class → (BibTeX entry type, RIS type, CSL type)
KINDS = {
    BIBO + "AcademicArticle": ("article", "JOUR", "article-journal"),
    BIBO + "Article": ("article", "JOUR", "article-journal"),
    BIBO + "Report": ("techreport", "RPRT", "report"),
    BIBO + "Book": ("book", "BOOK", "book"),
    BIBO + "Chapter": ("incollection", "CHAP", "chapter"),
    BIBO + "Thesis": ("phdthesis", "THES", "thesis"),
}
OTHER = ("misc", "GEN", "document")


@dataclass(frozen=True)
class Author:
    family: str
    given: str

    @property
    def inverted(self) -> str:
        """``"de Haas, Marcel"``, as BibTeX and RIS want names."""
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass
class Reference:
    """A source's bibliographic record, in the fields the three formats share."""

    iri: str
    kind: str  # the bibo class
    label: str = ""
    title: str = ""
    authors: list[Author] = field(default_factory=list)
    journal: str = ""
    series: str = ""
    issn: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    year: str = ""
    doi: str = ""
    isbn: str = ""
    publisher: str = ""
    place: str = ""
    languages: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """A citation key: first author's family name, year, first word of the title (``rauf2020prospects``)."""
        family = re.sub(r"\W", "", _ascii(self.authors[0].family if self.authors else "anon")).lower()
        word = next((w for w in re.findall(r"\w+", _ascii(self.title)) if len(w) > 3), "")
        return f"{family}{self.year}{word.lower()}"

    def to_bibtex(self) -> str:
        entry_type = KINDS.get(self.kind, OTHER)[0]
        fields = [
            ("author", " and ".join(a.inverted for a in self.authors)),
            ("title", "{" + _bibtex_escape(self.title) + "}"),  # inner braces keep the title's capitals
            ("journal", _bibtex_escape(self.journal)),
            ("series", _bibtex_escape(self.series)),
            ("institution" if entry_type == "techreport" else "publisher", _bibtex_escape(self.publisher)),
            ("address", _bibtex_escape(self.place)),
            ("year", self.year),
            ("volume", self.volume),
            ("number", self.issue),
            ("pages", self.pages.replace("-", "--")),
            ("doi", self.doi),
            ("issn", self.issn),
            ("isbn", self.isbn),
            ("language", ", ".join(self.languages)),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value.strip("{}"))
        return f"@{entry_type}{{{self.key},\n{body}\n}}\n"

    def to_ris(self) -> str:
        first, _, last = self.pages.partition("-")
        lines = [("TY", KINDS.get(self.kind, OTHER)[1])]
        lines += [("AU", a.inverted) for a in self.authors]
        lines += [
            ("TI", self.title),
            ("T2", self.journal or self.series),
            ("PY", self.year),
            ("VL", self.volume),
            ("IS", self.issue),
            ("SP", first),
            ("EP", last),
            ("DO", self.doi),
            ("SN", self.issn or self.isbn),
            ("PB", self.publisher),
            ("CY", self.place),
        ]
        lines += [("LA", language) for language in self.languages]
        text = "".join(f"{tag}  - {value}\n" for tag, value in lines if value)
        return text + "ER  - \n"

    def to_csl(self) -> dict[str, object]:
        item: dict[str, object] = {"id": self.key, "type": KINDS.get(self.kind, OTHER)[2], "title": self.title}
        if self.authors:
            item["author"] = [{"family": a.family, "given": a.given} if a.given else {"family": a.family} for a in
                              self.authors]  # fmt: skip
        if self.year:
            item["issued"] = {"date-parts": [[int(self.year)]]}
        for name, value in (
            ("container-title", self.journal),
            ("collection-title", self.series),
            ("volume", self.volume),
            ("issue", self.issue),
            ("page", self.pages),
            ("DOI", self.doi),
            ("ISSN", self.issn),
            ("ISBN", self.isbn),
            ("publisher", self.publisher),
            ("publisher-place", self.place),
            ("language", self.languages[0] if self.languages else ""),
        ):
            if value:
                item[name] = value
        return item

    def to_csl_json(self) -> str:
        return json.dumps([self.to_csl()], ensure_ascii=False, indent=2) + "\n"


def reference(store: GraphStore, iri: str) -> Reference | None:
    """The reference of the source ``iri``; None if the store has no record of it."""
    found = Reference(iri, "")
    names: list[str] = []
    for row in store.select(bind_iri(RECORD, iri)):
        predicate, value = row["p"].value, row["o"]
        if predicate == RDF + "type":
            if value.value.startswith(BIBO):
                found.kind = value.value
        elif predicate == DCTERMS + "creator" and row["name"] is not None:
            if row["name"].value not in names:
                names.append(row["name"].value)
        elif predicate == DCTERMS + "isPartOf" and row["partTitle"] is not None:
            if row["partType"].value == BIBO + "Journal":
                found.journal = row["partTitle"].value
                found.issn = row["issn"].value if row["issn"] is not None else found.issn
            elif row["partType"].value == BIBO + "Series":
                found.series = row["partTitle"].value
        elif isinstance(value, ox.Literal):
            _set_literal(found, predicate, value.value)
    if not found.label and not found.title:
        return None
    found.authors = _authors(names, found.label)
    found.languages.sort(key=lambda language: (language != "en", language))
    return found


def _set_literal(found: Reference, predicate: str, value: str) -> None:
    simple = {
        RDFS + "label": "label",
        DCTERMS + "title": "title",
        DCTERMS + "issued": "year",
        DCTERMS + "publisher": "publisher",
        DCTERMS + "spatial": "place",
        BIBO + "volume": "volume",
        BIBO + "issue": "issue",
        BIBO + "pages": "pages",
        BIBO + "doi": "doi",
        BIBO + "isbn": "isbn",
    }
    if predicate in simple:
        setattr(found, simple[predicate], value[:4] if predicate == DCTERMS + "issued" else value)
    elif predicate == DCTERMS + "language" and value not in found.languages:
        found.languages.append(value)


def _authors(names: list[str], label: str) -> list[Author]:
    """Each name split into family and given name, in the order the label ("A and B 2020, …") names them."""
    named = label.split(",", 1)[0]
    authors = []
    for name in names:
        words = name.split()
        family_words = next(
            (words[i:] for i in range(len(words)) if re.search(r"\b" + re.escape(" ".join(words[i:])) + r"\b", named)),
            words[-1:],
        )
        authors.append(Author(" ".join(family_words), " ".join(words[: len(words) - len(family_words)])))
    position = {a.family: named.find(a.family) for a in authors}
    return sorted(authors, key=lambda a: (position[a.family] < 0, position[a.family], a.family))


@dataclass(frozen=True)
class Quote:
    source: str
    source_label: str
    line: int
    page: str
    text: str


@dataclass
class StatementCitation:
    """What a reader needs to cite a statement and find it again."""

    iri: str
    fact: str
    quotes: list[Quote]
    data_version: str

    @property
    def line(self) -> str:
        """The citation as one line of plain text."""
        by_source: dict[str, list[Quote]] = {}
        for quote in self.quotes:
            by_source.setdefault(quote.source_label, []).append(quote)
        cited = " ".join(
            f"{label}, "
            + "; ".join(f'line {q.line}{f" (p. {q.page})" if q.page else ""}: "{q.text}"' for q in quotes)
            + ("" if quotes[-1].text.endswith((".", "!", "?")) else ".")
            for label, quotes in by_source.items()
        )
        return f"{self.fact}. {cited} casec statement {self.iri}, dataset version {self.data_version}."

    def as_dict(self) -> dict[str, object]:
        return {
            "statement": self.iri,
            "fact": self.fact,
            "evidence": [
                {"quote": q.text, "source": q.source, "sourceLabel": q.source_label, "line": q.line}
                | ({"page": q.page} if q.page else {})
                for q in self.quotes
            ],
            "dataVersion": self.data_version,
            "citation": self.line,
        }


def statement_citation(store: GraphStore, iri: str) -> StatementCitation | None:
    """The citation of the statement ``iri``; None if the store holds no evidence for it."""
    values: dict[str, list[tuple[str, str]]] = {}
    for row in store.select(bind_iri(STATEMENT, iri)):
        term, label = row["o"], row["label"]
        if label is not None:
            text = label.value
        elif isinstance(term, ox.NamedNode):
            text = _local(term.value)
        else:
            text = _readable(term)
        values.setdefault(row["p"].value, []).append((term.value, text))
    quotes = [
        Quote(
            row["source"].value,
            row["sourceLabel"].value if row["sourceLabel"] is not None else _local(row["source"].value),
            int(row["line"].value),
            row["page"].value if row["page"] is not None else "",
            row["quote"].value,
        )
        for row in store.select(bind_iri(EVIDENCE, iri))
    ]
    if not quotes:
        return None
    return StatementCitation(iri, fact_sentence(values), quotes, store.data_version() or "unknown")


def fact_sentence(values: dict[str, list[tuple[str, str]]]) -> str:
    """``Uzbekistan — member — Collective Security Treaty Organization, 2006–2012`` from a statement's values
    (predicate IRI → [(value, readable text)])."""

    def text(*predicates: str) -> str:
        return next((values[p][0][1] for p in predicates if p in values), "")

    relation = text(ORG + "role", RDF + "predicate")
    if text(CASEC + "negated") == "true":
        relation = "not " + relation
    obj = text(ORG + "organization", RDF + "object")
    if unit := text(CASEC + "unit"):
        obj += " " + unit
    sentence = " — ".join(part for part in (text(ORG + "member", RDF + "subject"), relation, obj) if part)
    start, end, at = text(CASEC + "start"), text(CASEC + "end"), text(CASEC + "at")
    when = time_span(start, end) or at
    if when:
        sentence += ", " + when
    modality = values.get(CASEC + "modality", [("", "")])[0]
    if modality[0] and modality[0] != CASEC + "Stated":
        claimant = text(CASEC + "claimant")
        sentence += f" ({modality[1]}{' of ' + claimant if claimant else ''})"
    return sentence


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def _readable(literal: ox.Literal) -> str:
    """A date as people write it: ``2019-11`` → ``November 2019``, ``2012-06-28`` → ``28 June 2012``."""
    value, datatype = literal.value, literal.datatype.value.rsplit("#", 1)[-1]
    if datatype == "gYearMonth" and re.fullmatch(r"\d{4}-\d\d", value):
        return f"{MONTHS[int(value[5:]) - 1]} {value[:4]}"
    if datatype == "date" and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return f"{int(value[8:])} {MONTHS[int(value[5:7]) - 1]} {value[:4]}"
    return value


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)
