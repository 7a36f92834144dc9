"""Find passages: every quote the statements cite, searchable by its words, ranked, with the words marked.

Researchers start from words ("Kant air base", "drug trafficking"), not IRIs. Each distinct passage (a
source, a line, a quote) is one document of a SQLite FTS5 index (the standard library's ``sqlite3``;
chosen over tantivy and a pure-Python index by measurement, see ``bench/search.py``): the
``porter unicode61 remove_diacritics 2`` tokenizer forgives case, diacritics and inflection
(``trafficking`` finds *traffic*, ``bases`` finds *base*), BM25 ranks, ``highlight()`` marks the words.
A query's words must all occur (the last may be unfinished: ``terror`` finds *terrorism*); a phrase in
double quotes must occur as written. After the passages holding every word come, marked as such, those
holding only some of them (``Kant air base`` also finds "an airbase at Kant").

The index is built from the store through SPARQL, once per data version, in memory (a few thousand
quotes take tens of milliseconds; a hundred times as many, seconds — see the README).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

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

SCHEMA = """
CREATE TABLE passage (id INTEGER PRIMARY KEY, source TEXT NOT NULL, line INTEGER NOT NULL, quote TEXT NOT NULL);
CREATE TABLE support (passage INTEGER NOT NULL REFERENCES passage (id), statement TEXT NOT NULL, subject TEXT NOT NULL,
                      relation TEXT NOT NULL, object TEXT NOT NULL, object_is_iri INTEGER NOT NULL);
CREATE VIRTUAL TABLE passage_text USING fts5 (quote, content = 'passage', content_rowid = 'id',
                                              tokenize = 'porter unicode61 remove_diacritics 2');
"""
# highlight() brackets each matched word with these (control characters no quote holds)
OPEN, CLOSE = "\x02", "\x03"
MATCHES = f"""
SELECT p.id, p.source, p.line, highlight(passage_text, 0, '{OPEN}', '{CLOSE}'), bm25(passage_text)
FROM passage_text JOIN passage AS p ON p.id = passage_text.rowid
WHERE passage_text MATCH ? ORDER BY bm25(passage_text), p.source, p.line LIMIT ?"""
COUNT = "SELECT count(*) FROM passage_text WHERE passage_text MATCH ?"
SUPPORT = "SELECT statement, subject, relation, object, object_is_iri FROM support WHERE passage = ? ORDER BY statement"

_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"\w+")
LONGEST = 200  # characters of a query; the web and the command line refuse longer ones


@dataclass(frozen=True)
class Fact:
    """A statement the passage is evidence for, and what it relates (IRIs; ``object`` may be a literal)."""

    statement: str
    subject: str
    relation: str
    object: str
    object_is_iri: bool


@dataclass(frozen=True)
class Passage:
    source: str
    line: int
    quote: str
    marks: tuple[tuple[int, int], ...]  # [start, end) character offsets of the matched words in ``quote``
    score: float  # higher is better (BM25, sign flipped)
    all_words: bool  # False: the passage holds only some of the query's words
    facts: tuple[Fact, ...] = ()

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
    passages: list[Passage] = field(default_factory=list)
    total: int = 0  # passages holding every word (before the limit)
    partial_total: int = 0  # passages holding only some of the words


class PassageIndex:
    """The quotes of a store in an in-memory FTS5 index (one connection; build it per process)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

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
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.executescript(SCHEMA)
        ids: dict[tuple[str, int, str], int] = {}
        supports = {}  # a statement may cite the same passage twice (two evidence nodes): once is enough
        for statement, source, line, quote, subject, relation, obj, object_is_iri in rows:
            passage = ids.setdefault((source, line, quote), len(ids) + 1)
            supports[(passage, statement)] = (subject, relation, obj, int(object_is_iri))
        connection.executemany(
            "INSERT INTO passage (id, source, line, quote) VALUES (?, ?, ?, ?)", [(i, *k) for k, i in ids.items()]
        )
        connection.executemany("INSERT INTO support VALUES (?, ?, ?, ?, ?, ?)", [(*k, *v) for k, v in supports.items()])
        connection.execute("CREATE INDEX support_passage ON support (passage)")
        connection.execute("INSERT INTO passage_text (passage_text) VALUES ('rebuild')")
        connection.commit()
        return cls(connection)

    def __len__(self) -> int:
        return self.connection.execute("SELECT count(*) FROM passage").fetchone()[0]

    def search(self, query: str, limit: int = 20) -> PassageResult:
        """The passages holding every word, best first; then, up to ``limit``, those holding only some."""
        result = PassageResult(query)
        every, some = match_expressions(query)
        if every is None:
            return result
        result.total = self._count(every)
        result.passages = self._matches(every, limit, all_words=True)
        if some is not None:
            result.partial_total = self._count(some) - result.total
            if len(result.passages) < limit and result.partial_total:
                seen = {(p.source, p.line, p.quote) for p in result.passages}
                more = self._matches(some, limit + len(seen), all_words=False)
                result.passages += [p for p in more if (p.source, p.line, p.quote) not in seen][: limit - len(seen)]
        return result

    def _count(self, expression: str) -> int:
        return self.connection.execute(COUNT, (expression,)).fetchone()[0]

    def _matches(self, expression: str, limit: int, all_words: bool) -> list[Passage]:
        found = []
        for passage_id, source, line, highlighted, rank in self.connection.execute(MATCHES, (expression, limit)):
            quote, marks = _unmark(highlighted)
            facts = tuple(
                Fact(st, subject, relation, obj, bool(is_iri))
                for st, subject, relation, obj, is_iri in self.connection.execute(SUPPORT, (passage_id,))
            )
            found.append(Passage(source, line, quote, marks, round(-rank, 3), all_words, facts))
        return found


def match_expressions(query: str) -> tuple[str | None, str | None]:
    """The FTS5 expressions for ``query``: every word and phrase required, then any of them (None when that
    is the same). Each word or phrase reaches FTS5 as a quoted string, so its operators cannot be injected;
    FTS5 splits the string as it split the text (``Kyrgyzstan's`` is the phrase *kyrgyzstan s*)."""
    phrases = [text for text in _PHRASE.findall(query) if _WORD.search(text)]
    words = [chunk for chunk in _PHRASE.sub(" ", query).replace('"', " ").split() if _WORD.search(chunk)]
    terms = [_quoted(text) for text in phrases + words]
    if not terms:
        return None, None
    last = _WORD.findall(words[-1])[-1] if words else ""
    if words and len(last) >= 3 and query == query.rstrip() and not query.endswith('"'):
        terms[-1] += "*"  # the last word may be unfinished, as in a search box
    return " AND ".join(terms), (" OR ".join(terms) if len(terms) > 1 else None)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _unmark(highlighted: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    quote, marks, start, length = [], [], 0, 0
    for char in highlighted:
        if char == OPEN:
            start = length
        elif char == CLOSE:
            marks.append((start, length))
        else:
            quote.append(char)
            length += 1
    return "".join(quote), tuple(marks)


def _value(term: object) -> str:
    return "" if term is None else term.value  # type: ignore[attr-defined]
