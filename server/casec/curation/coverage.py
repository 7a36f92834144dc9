"""What of each source text the graph has not captured yet.

A *candidate* is a sentence of a source text that names at least two known
entities, or one entity and a year: the kind of sentence that states a fact.
It is *covered* when an evidence quote of that source overlaps it, or when a
curator has listed it in ``data/reviewed/<file-stem>.tsv`` as holding nothing to
capture, with the reason. The candidates left are the curators' worklist.

Labels, quotes and sentences are all located in one text, normalized exactly
as the quote check normalizes it (:class:`casec.curation.quotes.SourceText`), so a word
hyphenated across a line break, a lost ligature or a footnote mark hides
neither an entity nor a quote.

Entities are the subjects of ``data/entities/*.ttl`` with every ``rdfs:label``
and ``skos:altLabel``, matched as whole words ignoring case and diacritics,
except:

- acronyms (every letter a capital: SCO, EU, US, IS, RF) and labels of at most
  two characters match only as printed, since in lower case they are ordinary
  words ("us", "is");
- posts (``casec:Post``: Head, chief, President, Director) are left out: they
  are roles named by common nouns, and a post holding always names its person
  and organization, which are entities;
- nothing inside a web address (``.../2016/08/03/afghan-china-...``) or an
  author-year citation (``(MFA of Russia, 2013)``) counts: it names a page or
  an author, not what happened.

Where labels overlap, the longest wins ("Collective Security Treaty
Organization" is one mention, not also the treaty). Years are four digits from
1900 to 2099.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pyoxigraph as ox

from casec.bundle import Bundle
from casec.curation.quotes import SOFT_BREAK, SourceText, normalize_quote, tolerant_pattern
from casec.vocab import CASEC, PREFIXES

REVIEWED_DIR = "reviewed"
QUOTED, REVIEWED, OPEN = "quoted", "reviewed", "open"
ALL_ON_LINES = "*"
HASH_PREFIX = "sha1:"

_RDF_TYPE = PREFIXES["rdf"] + "type"
_LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel")
_POST = CASEC + "Post"
_IDENTIFIER = PREFIXES["dcterms"] + "identifier"
_HAS_SOURCE = PREFIXES["oa"] + "hasSource"
_HAS_SELECTOR = PREFIXES["oa"] + "hasSelector"
_EXACT = PREFIXES["oa"] + "exact"
_LINE = CASEC + "line"

# A label must not start or end inside a word; a soft break or a lost glyph is part of a word.
_WORD_EDGE = r"\w" + SOFT_BREAK + "\ufffd"
_WORD_CHAR = re.compile(f"[{_WORD_EDGE}]")
_YEAR = re.compile(r"(?<![\w,])(?:19|20)\d\d(?!\d)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+")
# An author-year citation, "(Aris, 2011)", "(Voskressenski and Luzyanin, 2003: 389)", "(Halper, 2010; Cooley,
# 2012)": it says who wrote, not what happened. Not a date: "(June 15, 2001)", "(Moscow, 23 June, 2005)".
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_CITATION = re.compile(
    rf"\([^()]*?(?<!\w)(?!{_MONTH}\.?,)[^\W\d_][^\s,()]*, "
    r"(?:19|20)\d\d[a-z]?(?:: ?[\d-]+)?(?:; [^()]*)?\)"
)
# A sentence ends at . ! or ? (and any closing quotes or brackets) before a space and a
# capital, a digit or a lost glyph (the "Th" of "�e"), unless the period ends an initial
# or one of these abbreviations.
_SENTENCE_END = re.compile(r"(?P<word>[^\W\d_]*)(?P<mark>[.!?])['\")\]]*(?= ['\"(\[]?(?P<next>\S))")
_ABBREVIATION = re.compile(
    r"al|approx|art|cf|co|col|corp|dr|eds?|fig|gen|inc|jr|lt|mrs?|ms|nos?|pp|prof|sr|st|vols?|vs"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"(?:[-•#]+|\d{1,3}[.)]) ")


@dataclass(frozen=True)
class Candidate:
    """A sentence that names two entities, or an entity and a year, and what covers it."""

    line: int
    sentence: str
    entities: tuple[tuple[str, ...], ...]  # one tuple of IRIs per entity named (a label may name several)
    years: tuple[str, ...]
    key: str  # the sentence's hash, for a reviewed-sentences file
    status: str  # QUOTED, REVIEWED or OPEN
    reason: str | None = None  # why a curator reviewed it


@dataclass(frozen=True)
class ReviewedEntry:
    """One row of a reviewed-sentences file: the text lines, which sentences on them, and why."""

    row: int
    first: int
    last: int
    key: str
    reason: str
    opening: re.Pattern[str] | None  # the opening words, found as quotes are

    def matches(self, candidate_line: int, key: str, text: str, start: int, end: int) -> bool:
        """Whether this row names the candidate on ``candidate_line`` that is ``text[start:end]``, hashed ``key``."""
        if not self.first <= candidate_line <= self.last:
            return False
        if self.key == ALL_ON_LINES:
            return True
        if self.opening is None:
            return self.key == key
        return self.opening.match(text, start, end) is not None


@dataclass
class SourceCoverage:
    """The figure and the worklist of one source text."""

    file: str
    source: str | None
    sentences: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    quotes: int = 0
    quotes_not_found: int = 0
    problems: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for c in self.candidates if c.status == status)

    @property
    def covered(self) -> int:
        return len(self.candidates) - self.count(OPEN)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / len(self.candidates) if self.candidates else 100.0


Needles = list[tuple[re.Pattern[str], frozenset[str]]]  # a regex per distinct label and the entities it names


@dataclass
class Entities:
    """What to look for: a regex per distinct label and the entities it names."""

    folded: Needles  # matched ignoring case
    exact: Needles  # matched as printed


def load_entities(bundle: Bundle) -> Entities:
    """Every label and altLabel of the entities in ``data/entities/``, posts left out (see the module doc)."""
    labels: dict[str, list[str]] = {}
    types: dict[str, set[str]] = {}
    for path in sorted((bundle.data / "entities").glob("*.ttl")):
        for triple in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            subject, predicate = triple.subject.value, triple.predicate.value
            if predicate == _RDF_TYPE:
                types.setdefault(subject, set()).add(triple.object.value)
            elif predicate in _LABELS and isinstance(triple.object, ox.Literal):
                labels.setdefault(subject, []).append(triple.object.value)
    needles: dict[tuple[bool, str], set[str]] = {}
    for subject, written in labels.items():
        if _POST in types.get(subject, ()):
            continue
        for label in written:
            printed = normalize_quote(label, fold_case=False)
            as_printed = len(printed) <= 2 or (printed.upper() == printed != printed.lower())
            needle = _strip_marks(printed if as_printed else printed.casefold())
            # "anti-terrorist" is also printed "anti terrorist" and "antiterrorist".
            for variant in {needle, needle.replace("-", " "), needle.replace("-", "")}:
                if variant.strip():
                    needles.setdefault((as_printed, variant), set()).add(subject)
    folded: Needles = []
    exact: Needles = []
    for (as_printed, needle), subjects in sorted(needles.items()):
        # The start is checked by _mentions: a lookbehind here would cost the regex its fast scan.
        pattern = re.compile(f"{tolerant_pattern(needle)}(?![{_WORD_EDGE}])")
        (exact if as_printed else folded).append((pattern, frozenset(subjects)))
    return Entities(folded, exact)


def coverage(bundle: Bundle, sources_dir: Path, only: Sequence[str] = ()) -> list[SourceCoverage]:
    """The coverage of each ``*.txt`` in ``sources_dir`` (or of those whose stem starts with one of ``only``)."""
    texts = sorted(sources_dir.glob("*.txt"))
    if only:
        texts = [t for t in texts if any(t.stem.startswith(prefix) for prefix in only)]
        if not texts:
            raise ValueError(f"no text in {sources_dir} has a name starting with {', '.join(only)}")
    entities = load_entities(bundle)
    records, evidence = _records_and_evidence(bundle)
    results = []
    for path in texts:
        source = records.get(path.name)
        reviewed, problems = read_reviewed(bundle.data / REVIEWED_DIR / f"{path.stem}.tsv")
        result = SourceCoverage(path.name, source, problems=problems)
        _cover(result, SourceText.from_file(path), entities, evidence.get(source or "", []), reviewed)
        if source is None:
            result.problems.append(f"{path.name} has no record in data/sources.ttl (dcterms:identifier)")
        results.append(result)
    return results


def read_reviewed(path: Path) -> tuple[list[ReviewedEntry], list[str]]:
    """The rows of a reviewed-sentences file (``LINE[-LINE] TAB KEY TAB REASON``) and what is wrong with others."""
    if not path.is_file():
        return [], []
    entries, problems = [], []
    for row, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip() or text.startswith("#"):
            continue
        fields = text.split("\t")
        lines = re.fullmatch(r"(\d+)(?:-(\d+))?", fields[0].strip())
        if len(fields) != 3 or lines is None or not fields[1].strip() or not fields[2].strip():
            problems.append(
                f"{path.name}:{row}: expected LINE or FIRST-LAST, a tab, the sentence's opening words, "
                f"its {HASH_PREFIX} hash or {ALL_ON_LINES}, a tab, the reason"
            )
            continue
        first, key = int(lines[1]), fields[1].strip()
        opening = None if key == ALL_ON_LINES or key.startswith(HASH_PREFIX) else normalize_quote(key)
        pattern = re.compile(tolerant_pattern(opening)) if opening else None
        entries.append(ReviewedEntry(row, first, int(lines[2] or first), key, fields[2].strip(), pattern))
    return entries, problems


def _records_and_evidence(bundle: Bundle) -> tuple[dict[str, str], dict[str, list[tuple[str, int | None]]]]:
    """Which source each text file is (``dcterms:identifier``), and each source's quotes with their lines."""
    records: dict[str, str] = {}
    evidence: dict[str, dict[str, str | int]] = {}
    selectors: dict[str, str] = {}
    files = [bundle.data / "sources.ttl", *sorted((bundle.data / "sources").glob("*.ttl"))]
    for path in files:
        if not path.is_file():
            continue
        # Blank node ids are only unique within a file.
        for triple in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            subject, predicate, value = f"{path}#{triple.subject.value}", triple.predicate.value, triple.object
            if predicate == _IDENTIFIER:
                records[value.value] = triple.subject.value
            elif predicate == _HAS_SOURCE:
                evidence.setdefault(subject, {})["source"] = value.value
            elif predicate == _LINE:
                evidence.setdefault(subject, {})["line"] = int(value.value)
            elif predicate == _HAS_SELECTOR:
                evidence.setdefault(subject, {})["selector"] = f"{path}#{value.value}"
            elif predicate == _EXACT:
                selectors[subject] = value.value
    quotes: dict[str, list[tuple[str, int | None]]] = {}
    for item in evidence.values():
        quote = selectors.get(str(item.get("selector")))
        if "source" in item and quote is not None:
            line = item.get("line")
            quotes.setdefault(str(item["source"]), []).append((quote, int(line) if line is not None else None))
    return records, quotes


def _cover(
    result: SourceCoverage,
    text: SourceText,
    entities: Entities,
    quotes: list[tuple[str, int | None]],
    reviewed: list[ReviewedEntry],
) -> None:
    """Find the candidates of one text and what covers each, into ``result``."""
    result.quotes = len(quotes)
    quoted = bytearray(len(text.text))
    for quote, line in quotes:
        # The cited line tells which of several occurrences the curator meant.
        place = text.locate(quote, line) if line is not None else text.find(quote)
        if place is None:
            result.quotes_not_found += 1
            continue
        quoted[place.start : place.end] = b"\x01" * (place.end - place.start)
    ignored = bytearray(len(text.text))
    for found in (*_URL.finditer(text.text), *_CITATION.finditer(text.text)):
        ignored[found.start() : found.end()] = b"\x01" * (found.end() - found.start())
    mentions = _mentions(text, entities, ignored)
    years = [(m.start(), m.group()) for m in _YEAR.finditer(text.text) if not ignored[m.start()]]
    used = [False] * len(reviewed)
    sentences = _sentences(text)
    result.sentences = len(sentences)
    m = y = 0
    for start, end in sentences:
        named: list[frozenset[str]] = []
        while m < len(mentions) and mentions[m][0] < end:
            if mentions[m][0] >= start and mentions[m][2] not in named:
                named.append(mentions[m][2])
            m += 1
        found_years: list[str] = []
        while y < len(years) and years[y][0] < end:
            if years[y][0] >= start and years[y][1] not in found_years:
                found_years.append(years[y][1])
            y += 1
        if len(named) < 2 and not (named and found_years):
            continue
        line = text.line_at(start)
        key = HASH_PREFIX + hashlib.sha1(text.text[start:end].encode("utf-8")).hexdigest()[:12]
        status, reason = (QUOTED if quoted.find(1, start, end) != -1 else OPEN), None
        for index, entry in enumerate(reviewed):
            if entry.matches(line, key, text.text, start, end):
                used[index] = True
                if status == OPEN:
                    status, reason = REVIEWED, entry.reason
        result.candidates.append(
            Candidate(
                line=line,
                sentence=text.printed[start:end].replace(SOFT_BREAK, ""),
                entities=tuple(tuple(sorted(group)) for group in named),
                years=tuple(found_years),
                key=key,
                status=status,
                reason=reason,
            )
        )
    for entry, was_used in zip(reviewed, used, strict=True):
        if not was_used:
            result.problems.append(
                f"reviewed row {entry.row} (line {entry.first}{'' if entry.last == entry.first else f'-{entry.last}'}, "
                f"{entry.key}) matches no candidate sentence: wrong line or words, or the sentence names no entities"
            )


def _mentions(text: SourceText, entities: Entities, ignored: bytearray) -> list[tuple[int, int, frozenset[str]]]:
    """Where labels stand, longest first where they overlap, in text order; none in an ``ignored`` place."""
    found: list[tuple[int, int, frozenset[str]]] = []
    for haystack, patterns in (
        (_strip_marks(text.text), entities.folded),
        (_strip_marks(text.printed), entities.exact),
    ):
        for pattern, subjects in patterns:
            match = pattern.search(haystack)
            while match is not None:
                start = match.start()
                if start == 0 or _WORD_CHAR.match(haystack, start - 1) is None:
                    found.append((start, match.end(), subjects))
                    match = pattern.search(haystack, match.end())
                else:
                    match = pattern.search(haystack, start + 1)
    taken = bytearray(len(text.text))
    kept = []
    for start, end, subjects in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if taken.find(1, start, end) == -1 and not ignored[start]:
            taken[start:end] = b"\x01" * (end - start)
            kept.append((start, end, subjects))
    return sorted(kept, key=lambda f: f[0])


def _sentences(text: SourceText) -> list[tuple[int, int]]:
    """The sentences of the text as ``(start, end)`` in :attr:`SourceText.text`.

    Line breaks in an extracted text are artefacts, so a sentence runs on across
    them. It ends at a sentence mark (see ``_SENTENCE_END``), at a blank line
    unless what follows goes on in lower case or a bracket (a page or column
    break inside a sentence), and before a list item or heading that starts a line.
    """
    printed = text.printed
    bounds = {0, len(printed)}
    for match in _SENTENCE_END.finditer(printed):
        word, following = match["word"], match["next"]
        if match["mark"] == "." and (len(word) == 1 or _ABBREVIATION.fullmatch(word)):
            continue
        if following.isupper() or following.isdigit() or following == "\ufffd":
            bounds.add(match.end() + 1)
    previous_line = text.line_at(0) if printed else 0
    for index in range(1, len(printed)):
        line = text.line_at(index)
        if line == previous_line:
            continue
        blank_between = line - previous_line > 1
        previous_line = line
        goes_on = printed[index].islower() or printed[index] == "("
        if (blank_between and not goes_on) or _LIST_ITEM.match(printed, index):
            bounds.add(index)
    spans = []
    for start, end in pairwise(sorted(bounds)):
        while start < end and printed[start] in (" ", SOFT_BREAK):
            start += 1
        while end > start and printed[end - 1] == " ":
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _strip_marks(text: str) -> str:
    """The text with diacritics taken off its letters, character for character (ü -> u, й -> и)."""
    table = {}
    for char in set(text):
        if not char.isascii():
            parts = unicodedata.normalize("NFD", char)
            if len(parts) > 1 and all(unicodedata.combining(mark) for mark in parts[1:]):
                table[ord(char)] = parts[0]
    return text.translate(table)


def totals(results: Iterable[SourceCoverage]) -> SourceCoverage:
    """All sources as one, for the overall figure."""
    total = SourceCoverage(file="all", source=None)
    for result in results:
        total.sentences += result.sentences
        total.candidates += result.candidates
        total.quotes += result.quotes
        total.quotes_not_found += result.quotes_not_found
    return total
