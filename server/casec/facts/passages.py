"""Find passages: every quote the statements cite, searchable by its words, ranked, with the words marked.

Researchers start from words ("Kant air base", "drug trafficking"), not IRIs. Each distinct passage (a
source, a line, a quote) is one document of a tantivy index (chosen over SQLite FTS5 and a pure-Python index
by measurement, ``bench/search.py``: as fast at today's size, 30 to 85 times faster for a hundred times more
sources, in the same memory). Its words are indexed twice: stemmed (lower case, accents folded, Snowball's
English stemmer: ``trafficking`` finds *traffic*, ``bases`` finds *base*) and unstemmed, for the last word of a
query, which may be unfinished (``terror`` finds *terrorism* and *terrorist*). A query's words must all occur;
a phrase in double quotes must occur as written; BM25 ranks. After the passages holding every word come,
marked as such, those holding only some of them (``Kant air base`` also finds "an airbase at Kant").

The user's text never reaches a query parser: it is cut into words by the same analyzers that cut the quotes,
and the query is built from those terms. The index is built from the store through SPARQL, in memory, once
per process and data version (:func:`casec.web.search_page.passage_index`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
import tantivy

from casec.store.interface import GraphStore
from casec.vocab import sparql_prologue

EVIDENCE = (
    sparql_prologue()
    + """
SELECT ?st ?source ?line ?quote ?subject ?relation ?object WHERE {
  ?st casec:evidence ?evidence .
  ?evidence oa:hasSource ?source ; casec:line ?line ; oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?st org:member|rdf:subject ?subject }
  OPTIONAL { ?st org:role|rdf:predicate ?relation }
  OPTIONAL { ?st org:organization|rdf:object ?object }
}"""
)

_PHRASE = re.compile(r'"([^"]*)"')
_SPANS = re.compile(r"\w+")
LONGEST = 200  # characters of a query; the web and the command line refuse longer ones
SHORTEST_PREFIX = 3  # an unfinished last word must have this many letters to match as a beginning
WRITER_HEAP = 50_000_000  # bytes tantivy may buffer while indexing


def _analyzer(stem: bool) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
    builder = builder.filter(tantivy.Filter.ascii_fold())
    return (builder.filter(tantivy.Filter.stemmer("english")) if stem else builder).build()


STEMMED, WORDS = _analyzer(stem=True), _analyzer(stem=False)


@dataclass(frozen=True)
class PassageFact:
    """A statement the passage is evidence for, and what it relates (IRIs; ``object`` may be a literal)."""

    statement: str
    subject: str
    relation: str
    object: str
    object_is_iri: bool


@dataclass(frozen=True)
class PassageHit:
    """A passage a search found: a quote at a source's line, with the query's words marked."""

    source: str
    line: int
    quote: str
    marks: tuple[tuple[int, int], ...]  # [start, end) character offsets of the matched words in ``quote``
    score: float  # BM25: higher is better
    all_words: bool  # False: the passage holds only some of the query's words
    facts: tuple[PassageFact, ...] = ()

    def pieces(self) -> list[tuple[str, bool]]:
        """The quote cut into (text, matched) runs, for rendering with the words marked."""
        runs, at = [], 0
        for start, end in self.marks:
            if start > at:
                runs.append((self.quote[at:start], False))
            runs.append((self.quote[start:end], True))
            at = end
        if at < len(self.quote):
            runs.append((self.quote[at:], False))
        return runs


@dataclass
class PassageResult:
    query: str
    passages: list[PassageHit] = field(default_factory=list)
    total: int = 0  # passages holding every word (before the limit)
    partial_total: int = 0  # passages holding only some of the words


@dataclass(frozen=True)
class Terms:
    """What a query looks for, in the index's own terms."""

    phrases: list[list[str]]  # each word or quoted phrase, stemmed: every one must occur
    prefix: str | None  # the unfinished last word, unstemmed

    def stems(self) -> set[str]:
        return {stem for phrase in self.phrases for stem in phrase}


def terms_of(query: str) -> Terms:
    """Cut ``query`` as the quotes were cut: quoted phrases, then the other words (``Kyrgyzstan's`` is the
    phrase *kyrgyzstan s*); the last word is also looked for as the beginning of a word."""
    quoted = [STEMMED.analyze(text) for text in _PHRASE.findall(query)]
    loose = _PHRASE.sub(" ", query).replace('"', " ").split()
    phrases = [words for words in quoted + [STEMMED.analyze(chunk) for chunk in loose] if words]
    last = WORDS.analyze(loose[-1]) if loose else []
    open_end = query == query.rstrip() and not query.endswith('"')
    prefix = last[-1] if open_end and len(last) == 1 and len(last[0]) >= SHORTEST_PREFIX else None
    return Terms(phrases, prefix)


class PassageIndex:
    """The quotes of a store in an in-memory tantivy index (build it in the process that searches it)."""

    def __init__(self, index: tantivy.Index, schema: tantivy.Schema) -> None:
        self.index = index
        self.schema = schema
        self.searcher = index.searcher()

    @classmethod
    def build(cls, store: GraphStore) -> PassageIndex:
        return cls.from_rows(
            (
                row["st"].value,
                row["source"].value,
                int(row["line"].value),
                row["quote"].value,
                _value(row["subject"]),
                _value(row["relation"]),
                _value(row["object"]),
                isinstance(row["object"], ox.NamedNode),
            )
            for row in store.select(EVIDENCE)
        )

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, int, str, str, str, str, bool]]) -> PassageIndex:
        """From (statement, source, line, quote, subject, relation, object, object_is_iri) tuples."""
        passages: dict[tuple[str, int, str], dict[str, list[object]]] = {}
        for statement, source, line, quote, subject, relation, obj, object_is_iri in rows:
            facts = passages.setdefault((source, line, quote), {})
            facts.setdefault(statement, [statement, subject, relation, obj, object_is_iri])
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("quote", stored=True, tokenizer_name="casec_stemmed")
        builder.add_text_field("words", tokenizer_name="casec_words", index_option="basic")
        builder.add_text_field("source", stored=True, tokenizer_name="raw", index_option="basic")
        builder.add_integer_field("line", stored=True)
        builder.add_bytes_field("facts", stored=True)
        schema = builder.build()
        index = tantivy.Index(schema)
        index.register_tokenizer("casec_stemmed", STEMMED)
        index.register_tokenizer("casec_words", WORDS)
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
        for (source, line, quote), facts in passages.items():
            writer.add_document(
                tantivy.Document(
                    quote=quote,
                    words=quote,
                    source=source,
                    line=line,
                    facts=json.dumps(sorted(facts.values())).encode(),
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        return cls(index, schema)

    def __len__(self) -> int:
        return self.searcher.num_docs

    def search(self, query: str, limit: int = 20) -> PassageResult:
        """The passages holding every word, best first; then, up to ``limit``, those holding only some."""
        result = PassageResult(query)
        terms = terms_of(query)
        if not terms.phrases:
            return result
        wanted = [self._phrase(words, prefix=terms.prefix if i == len(terms.phrases) - 1 else None)
                  for i, words in enumerate(terms.phrases)]  # fmt: skip
        every = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in wanted])
        result.total, result.passages = self._matches(every, limit, terms, all_words=True)
        if len(wanted) > 1:
            some = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, q) for q in wanted] + [(tantivy.Occur.MustNot, every)]
            )
            room = max(0, limit - len(result.passages))
            result.partial_total, partial = self._matches(some, room, terms, all_words=False)
            result.passages += partial
        return result

    def _phrase(self, words: list[str], prefix: str | None) -> tantivy.Query:
        exact = (
            tantivy.Query.term_query(self.schema, "quote", words[0])
            if len(words) == 1
            else tantivy.Query.phrase_query(self.schema, "quote", list[str | tuple[int, str]](words))
        )
        if prefix is None:
            return exact
        beginning = tantivy.Query.regex_query(self.schema, "words", re.escape(prefix) + ".*")
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, exact), (tantivy.Occur.Should, beginning)])

    def _matches(self, query: tantivy.Query, limit: int, terms: Terms, all_words: bool) -> tuple[int, list[PassageHit]]:
        found = self.searcher.search(query, max(limit, 1), count=True)
        passages = []
        for score, address in found.hits[:limit]:
            doc = self.searcher.doc(address)
            quote = doc["quote"][0]
            facts = tuple(PassageFact(*fact) for fact in json.loads(bytes(doc["facts"][0])))
            passages.append(
                PassageHit(
                    doc["source"][0], doc["line"][0], quote, marks(quote, terms), round(score, 3), all_words, facts
                )
            )
        passages.sort(key=lambda p: (-p.score, p.source, p.line))
        return found.count or 0, passages  # type: ignore[attr-defined]  # (count=True gives it; the stub lacks it)


def marks(quote: str, terms: Terms) -> tuple[tuple[int, int], ...]:
    """The spans of ``quote``'s words that the query looks for (by stem, or by the unfinished last word)."""
    stems = terms.stems()
    found = []
    for match in _SPANS.finditer(quote):
        word = match.group()
        if set(STEMMED.analyze(word)) & stems or (
            terms.prefix and any(w.startswith(terms.prefix) for w in WORDS.analyze(word))
        ):
            found.append(match.span())
    return tuple(found)


def _value(term: object) -> str:
    return "" if term is None else term.value  # type: ignore[attr-defined]
