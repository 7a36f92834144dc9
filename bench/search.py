"""Which full-text library should find passages? SQLite FTS5 against tantivy against a pure-Python index.

``python bench/search.py [--scale 1 100] [--repeat 30] [--json FILE]`` (``pip install '.[bench]'`` for tantivy
and snowballstemmer). For each corpus — the bundled quotes (1x) and a synthetic corpus a hundred times larger —
and each candidate, in a fresh process of its own (so memory figures do not mix):

* **build**: seconds from the list of passages in memory to an index that answers;
* **memory**: growth of the process's resident set (RSS, ``/proc/self/status``) from before the build to after
  it, the corpus already loaded; for SQLite also the database's own size (pages × page size);
* **latency**: each query of ``QUERIES`` ``--repeat`` times after one warm-up, p50 and p95 in milliseconds by
  nearest rank over all runs, for the top 20 passages with their words marked (what ``/search`` asks for);
* **hits**: passages found for "drug trafficking" and "Kant air base" (every word), so a candidate that
  finds nothing cannot look fast.

The candidates do the same work: case, diacritics and English inflection forgiven, every word required, the
last as a prefix, ranked by BM25, the matched words marked.

* ``sqlite-fts5``: the standard library's ``sqlite3``, an in-memory FTS5 table (``porter unicode61
  remove_diacritics 2``), BM25 by ``ORDER BY rank``, ``highlight()`` for the marks, the statements of each
  passage from a side table;
* ``tantivy``: the ``tantivy`` wheel (Rust), an in-RAM index, simple tokenizer + lowercase + ASCII folding +
  English stemmer, its query parser, its snippet generator for the marks;
* ``casec-search``: what casec chose and ``/search`` runs, :class:`casec.facts.passages.PassageIndex` (tantivy):
  every word, then the passages holding only some (a second query), each passage's statements (stored with it),
  the words marked;
* ``pure-python``: a dict from stem to postings, BM25 by hand, ``snowballstemmer``'s English stemmer, prefix
  terms by a scan of the sorted vocabulary (bisect).

The synthetic corpus keeps the real passages and adds 99 copies of each made of words drawn from the real
quotes' word frequencies, at the real lengths, with one word in twenty replaced by a new one (so the
vocabulary grows, as it does with new sources). Its statements are made up; only sizes and word statistics
matter here.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import multiprocessing
import random
import re
import resource
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

QUERIES = [
    "drug trafficking",
    "Kant air base",
    "terror",
    "Uzbekistan withdrew",
    "peacekeeping forces",
    "Collective Rapid Reaction",
    "Shanghai",
    "Afghanistan border",
    "kyrgyzstán",
    "military exercises",
    "extremism separatism",
    "observer status",
]
Row = tuple[str, str, int, str, str, str, str, bool]


def real_rows() -> list[Row]:
    from casec.bundle import default_bundle
    from casec.facts.passages import EVIDENCE
    from casec.store.embedded import EmbeddedStore
    from casec.store.load import bundle_files

    store = EmbeddedStore(bundle_files(default_bundle()))

    def value(term: object) -> str:
        return "" if term is None else term.value  # type: ignore[attr-defined]

    return [
        (
            row["st"].value,
            row["source"].value,
            int(row["line"].value),
            row["quote"].value,
            value(row["subject"]),
            value(row["relation"]),
            value(row["object"]),
            True,
        )
        for row in store.select(EVIDENCE)
    ]


def synthetic_rows(rows: list[Row], scale: int, seed: int = 20261203) -> list[Row]:
    if scale == 1:
        return rows
    rng = random.Random(seed)
    words = Counter(word for row in rows for word in row[3].split())
    vocabulary, weights = list(words), list(words.values())
    grown = list(rows)
    for copy in range(1, scale):
        for statement, source, line, quote, subject, relation, obj, is_iri in rows:
            length = len(quote.split())
            drawn = rng.choices(vocabulary, weights, k=length)
            text = " ".join(w if rng.random() > 0.05 else f"{w.strip('.,;')}{rng.randrange(10**6):x}" for w in drawn)
            grown.append((f"{statement}-{copy}", f"{source}-{copy}", line, text, subject, relation, obj, is_iri))
    return grown


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Fts5:
    """SQLite FTS5 (stdlib ``sqlite3``), in memory: ``porter unicode61 remove_diacritics 2``, BM25 (``rank``),
    ``highlight()`` for the marks, the statements per passage in a side table."""

    name = "sqlite-fts5"
    SCHEMA = """
    CREATE TABLE passage (id INTEGER PRIMARY KEY, source TEXT, line INTEGER, quote TEXT);
    CREATE TABLE support (passage INTEGER, statement TEXT, subject TEXT, relation TEXT, object TEXT);
    CREATE VIRTUAL TABLE passage_text USING fts5 (quote, content = 'passage', content_rowid = 'id',
                                                  tokenize = 'porter unicode61 remove_diacritics 2');
    """

    def __init__(self, rows: list[Row]) -> None:
        import sqlite3

        self.connection = sqlite3.connect(":memory:")
        self.connection.executescript(self.SCHEMA)
        ids: dict[tuple[str, int, str], int] = {}
        support = []
        for statement, source, line, quote, subject, relation, obj, _is_iri in rows:
            passage = ids.setdefault((source, line, quote), len(ids) + 1)
            support.append((passage, statement, subject, relation, obj))
        self.connection.executemany("INSERT INTO passage VALUES (?, ?, ?, ?)", [(i, *k) for k, i in ids.items()])
        self.connection.executemany("INSERT INTO support VALUES (?, ?, ?, ?, ?)", support)
        self.connection.execute("CREATE INDEX support_passage ON support (passage)")
        self.connection.execute("INSERT INTO passage_text (passage_text) VALUES ('rebuild')")
        self.connection.commit()

    def search(self, query: str) -> int:
        words = [f'"{w}"' for w in re.findall(r"\w+", query)]
        if len(words[-1]) >= 5:  # quoted: 3 letters and the quotes
            words[-1] += "*"
        expression = " AND ".join(words)
        rows = self.connection.execute(
            "SELECT rowid, highlight(passage_text, 0, '[', ']') FROM passage_text WHERE passage_text MATCH ? "
            "ORDER BY rank LIMIT 20",
            (expression,),
        ).fetchall()
        self.facts = [
            self.connection.execute("SELECT * FROM support WHERE passage = ?", (rowid,)).fetchall() for rowid, _ in rows
        ]
        return self.connection.execute(
            "SELECT count(*) FROM passage_text WHERE passage_text MATCH ?", (expression,)
        ).fetchone()[0]

    def size_kib(self) -> int:
        pages = self.connection.execute("PRAGMA page_count").fetchone()[0]
        return pages * self.connection.execute("PRAGMA page_size").fetchone()[0] // 1024


class Casec:
    """casec's :class:`~casec.facts.passages.PassageIndex` (tantivy) and its whole search, as ``/search`` runs
    it: every word, then some words, the statements of each passage, the words marked."""

    name = "casec-search"

    def __init__(self, rows: list[Row]) -> None:
        from casec.facts.passages import PassageIndex

        self.index = PassageIndex.from_rows(rows)

    def search(self, query: str) -> int:
        return self.index.search(query, limit=20).total

    def size_kib(self) -> int:
        return 0


class Tantivy:
    name = "tantivy"

    def __init__(self, rows: list[Row]) -> None:
        import tantivy

        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build()
        )
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("quote", stored=True, tokenizer_name="casec")
        builder.add_text_field("source", stored=True, tokenizer_name="raw")
        builder.add_integer_field("line", stored=True)
        schema = builder.build()
        self.index = tantivy.Index(schema)  # in RAM
        self.index.register_tokenizer("casec", analyzer)
        writer = self.index.writer(heap_size=100_000_000, num_threads=1)
        seen = set()
        for _st, source, line, quote, *_ in rows:
            if (source, line, quote) in seen:
                continue
            seen.add((source, line, quote))
            writer.add_document(tantivy.Document(quote=quote, source=source, line=line))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.schema = schema

    def search(self, query: str) -> int:
        words = re.findall(r"\w+", query)
        terms = [f"+{w}" for w in words]
        if len(words[-1]) >= 3:
            terms[-1] += "*"
        parsed, _errors = self.index.parse_query_lenient(" ".join(terms), ["quote"])
        searcher = self.index.searcher()
        import tantivy

        snippets = tantivy.SnippetGenerator.create(searcher, parsed, self.schema, "quote")
        snippets.set_max_num_chars(1000)  # the whole quote, as the others mark it
        found = searcher.search(parsed, 20, count=True)
        self.marks = [snippets.snippet_from_doc(searcher.doc(address)).highlighted() for _s, address in found.hits]
        return found.count or 0

    def size_kib(self) -> int:
        return 0


_NOT_WORD = re.compile(r"\W+")


def _fold(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return [t for t in _NOT_WORD.split("".join(c for c in decomposed if not unicodedata.combining(c))) if t]


class PurePython:
    name = "pure-python"

    def __init__(self, rows: list[Row]) -> None:
        import snowballstemmer

        self.stem = snowballstemmer.stemmer("english").stemWord
        self.postings: dict[str, dict[int, list[int]]] = defaultdict(dict)
        self.docs: list[tuple[str, int, str, list[tuple[int, int]]]] = []
        self.lengths: list[int] = []
        seen = set()
        for _st, source, line, quote, *_ in rows:
            if (source, line, quote) in seen:
                continue
            seen.add((source, line, quote))
            doc = len(self.docs)
            spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", quote)]
            self.docs.append((source, line, quote, spans))
            tokens = [self.stem(t) for t in _fold(quote)]
            self.lengths.append(len(tokens))
            for position, token in enumerate(tokens):
                self.postings[token].setdefault(doc, []).append(position)
        self.vocabulary = sorted(self.postings)
        self.average = sum(self.lengths) / max(1, len(self.lengths))

    def _terms(self, word: str, prefix: bool) -> list[str]:
        stemmed = self.stem(word)
        if not prefix:
            return [stemmed] if stemmed in self.postings else []
        start = bisect.bisect_left(self.vocabulary, stemmed)
        found = []
        for term in self.vocabulary[start:]:
            if not term.startswith(stemmed):
                break
            found.append(term)
        return found

    def search(self, query: str) -> int:
        words = _fold(query)
        if not words:
            return 0
        groups = [self._terms(w, i == len(words) - 1 and len(w) >= 3) for i, w in enumerate(words)]
        candidates: set[int] | None = None
        for terms in groups:
            docs = set().union(*(self.postings[t].keys() for t in terms)) if terms else set()
            candidates = docs if candidates is None else candidates & docs
        candidates = candidates or set()
        n, k1, b = len(self.docs), 1.2, 0.75
        scores = []
        for doc in candidates:
            score = 0.0
            for terms in groups:
                for term in terms:
                    tf = len(self.postings[term].get(doc, ()))
                    if tf:
                        df = len(self.postings[term])
                        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                        score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * self.lengths[doc] / self.average))
            scores.append((-score, doc))
        wanted = {t for terms in groups for t in terms}
        self.marks = []
        for _score, doc in sorted(scores)[:20]:  # mark the words of the shown passages
            quote, spans = self.docs[doc][2], self.docs[doc][3]
            self.marks.append([s for s in spans if self.stem(_fold(quote[s[0] : s[1]])[0]) in wanted])
        return len(candidates)

    def size_kib(self) -> int:
        return 0


CANDIDATES = {c.name: c for c in (Fts5, Casec, Tantivy, PurePython)}


def measure(name: str, scale: int, repeat: int, queue: multiprocessing.Queue) -> None:
    rows = synthetic_rows(real_rows(), scale)
    passages = len({(r[1], r[2], r[3]) for r in rows})
    before = rss_kib()
    start = time.perf_counter()
    index = CANDIDATES[name](rows)
    build = time.perf_counter() - start
    grown = rss_kib() - before
    timings = []
    for query in QUERIES:
        index.search(query)
        for _ in range(repeat):
            start = time.perf_counter()
            index.search(query)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    queue.put(
        {
            "candidate": name,
            "scale": scale,
            "passages": passages,
            "build_s": round(build, 3),
            "rss_growth_mib": round(grown / 1024, 1),
            "index_size_mib": round(index.size_kib() / 1024, 1) if index.size_kib() else None,
            "p50_ms": round(timings[len(timings) // 2], 3),
            "p95_ms": round(timings[min(len(timings) - 1, math.ceil(len(timings) * 0.95) - 1)], 3),
            "mean_ms": round(statistics.fmean(timings), 3),
            "hits_drug_trafficking": index.search("drug trafficking"),
            "hits_kant_air_base": index.search("Kant air base"),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--candidates", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES))
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    results = []
    print("candidate      scale  passages  build s  RSS +MiB  size MiB  p50 ms  p95 ms  hits (drug trafficking / Kant)")
    for scale in args.scale:
        for name in args.candidates:
            queue = context.Queue()
            process = context.Process(target=measure, args=(name, scale, args.repeat, queue))
            process.start()
            process.join()
            if process.exitcode != 0:
                print(f"{name} at {scale}x failed (exit {process.exitcode})", file=sys.stderr)
                continue
            result = queue.get()
            results.append(result)
            print(
                f"{name:<14} {scale:>5} {result['passages']:>9} {result['build_s']:>8} {result['rss_growth_mib']:>9} "
                f"{result['index_size_mib'] or '':>9} {result['p50_ms']:>7} {result['p95_ms']:>7}  "
                f"{result['hits_drug_trafficking']} / {result['hits_kant_air_base']}",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
