"""Check that every evidence quote occurs verbatim in the text of its source.

The source texts are PDF extractions: words hyphenated across lines, ligature
glyphs (ff, fi, ffi, Th ...) lost as U+FFFD, footnote markers, Markdown
emphasis. Curators quote the text *as printed* (``trafficking``, not
``tra\ufffdcking``), so both sides are normalized the same way and a lost
ligature in the source matches the letters it stood for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from casec.vocab import sparql_prologue

LOST_GLYPH = "\ufffd"
SOFT_BREAK = "\u00ad"  # marks a hyphen that ended a line in the source
# Ligatures that PDF extraction loses; longest first so "ffi" wins over "ff".
LIGATURES = ("ffi", "ffl", "ff", "fi", "fl", "ft", "Th", "th", "tt")
# A needle's ligature letters or single characters, in order (alternatives are tried first to last).
_LIGATURE_OR_CHAR = re.compile("|".join(re.escape(lig.casefold()) for lig in LIGATURES) + "|.", re.DOTALL)

_TAGS = re.compile(r"</?(?:b|i|em|strong|u|br|span|p)\b[^>]*>", re.IGNORECASE)
_FOOTNOTES = re.compile(r"<sup>[^<]*</sup>|[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_EMPHASIS = re.compile(r"[*_]{1,3}")
_SPACES = re.compile(r"\s+")
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def _clean(text: str) -> str:
    """Remove what is not part of the printed words: markup, footnote marks."""
    text = unicodedata.normalize("NFC", text)
    text = _FOOTNOTES.sub("", text)
    text = _TAGS.sub("", text)
    text = _EMPHASIS.sub("", text)
    return text.translate(_TRANSLATE)


def normalize_quote(quote: str, fold_case: bool = True) -> str:
    """The quote as the text is searched: clean, single spaces and (unless ``fold_case`` is off) casefolded."""
    spaced = _SPACES.sub(" ", _clean(quote)).strip()
    return spaced.casefold() if fold_case else spaced


@dataclass(frozen=True)
class Match:
    """Where a quote stands: raw-file lines, and ``start``/``end`` in :attr:`SourceText.text`."""

    first_line: int
    last_line: int
    start: int
    end: int


class SourceText:
    """A source text, normalized once, that quotes are searched in.

    ``text`` is the normalized text (casefolded); ``printed`` is the same text
    with its case as printed, character for character, for what only the case
    tells apart (acronyms, sentence starts); ``_lines[i]`` is the 1-based line
    of the raw file that normalized character ``i`` came from.
    """

    def __init__(self, raw: str) -> None:
        chars: list[str] = []
        printed: list[str] = []
        lines: list[int] = []
        for number, line in enumerate(raw.splitlines(), start=1):
            cleaned = _clean(line)
            stripped = cleaned.rstrip()
            # A word broken by a hyphen at the end of a line: keep the hyphen
            # as a soft break that may or may not be printed.
            cleaned = stripped[:-1] + SOFT_BREAK if re.search(r"\w-$", stripped) else cleaned + " "
            for ch in cleaned:
                if ch.isspace():
                    if chars and chars[-1] in (" ", SOFT_BREAK):
                        continue
                    ch = " "
                # Casefolding may lengthen a character (ß -> ss): repeat the printed one to stay aligned.
                for folded in ch.casefold():
                    chars.append(folded)
                    printed.append(ch)
                    lines.append(number)
        self.text = "".join(chars)
        self.printed = "".join(printed)
        self._lines = lines

    @classmethod
    def from_file(cls, path: Path) -> SourceText:
        return cls(path.read_text(encoding="utf-8"))

    def line_at(self, index: int) -> int:
        """The raw-file line that character ``index`` of :attr:`text` came from."""
        return self._lines[index]

    def locate(self, quote: str, line: int) -> Match | None:
        """Where the quote stands: the occurrence on the cited line if there is one, else the first.

        Most quotes occur in the normalized text as they are: those are found
        with a plain string search, and only the others need the tolerant
        pattern, whose compilation dominates the time.
        """
        needle = normalize_quote(quote)
        index = self.text.find(needle) if needle else -1
        while index != -1:
            end = index + len(needle)
            if self._lines[index] <= line <= self._lines[end - 1]:
                return Match(self._lines[index], self._lines[end - 1], index, end)
            index = self.text.find(needle, index + 1)
        found = list(self.find_all(quote))
        return next((m for m in found if m.first_line <= line <= m.last_line), found[0] if found else None)

    def find(self, quote: str) -> Match | None:
        """Where the quote first stands, or None if the text does not contain it."""
        return next(self.find_all(quote), None)

    def find_all(self, quote: str) -> Iterator[Match]:
        """Every place the quote stands, in order."""
        needle = normalize_quote(quote)
        if not needle:
            return
        for match in re.finditer(tolerant_pattern(needle), self.text):
            start, end = match.span()
            yield Match(self._lines[start], self._lines[max(end - 1, start)], start, end)


def tolerant_pattern(needle: str) -> str:
    """A regex for the quote that tolerates the extraction's artefacts."""
    soft = f"{SOFT_BREAK}?"
    parts: list[str] = []
    for token in _LIGATURE_OR_CHAR.findall(needle):
        if len(token) > 1:
            # The extraction sometimes leaves a space after the lost glyph ("tra� cking").
            glyph = LOST_GLYPH + " ?"
            variants = [re.escape(token), glyph]
            if len(token) == 3:
                variants += [re.escape(token[0]) + glyph, glyph + re.escape(token[2])]
            parts.append(f"(?:{'|'.join(variants)}){soft}")
        elif token == " ":
            parts.append(" ")
        elif token == "-":
            # A printed hyphen may be the one that ended a line.
            parts.append(f"(?:-(?: )?|{SOFT_BREAK})")
        else:
            parts.append(re.escape(token) + soft)
    return "".join(parts)


@dataclass(frozen=True)
class QuoteProblem:
    """A quote that its source does not contain, or that stands on another line."""

    statement: str
    source: str
    line: int | None
    quote: str
    message: str


@dataclass(frozen=True)
class CitedQuote:
    """One piece of evidence to check: its statement, the source it cites, the source's text file (its
    ``dcterms:identifier``), the quote and the line it says the quote stands on."""

    statement: str
    source: str
    file: str | None
    quote: str
    line: int | None


EVIDENCE_QUERY = (
    sparql_prologue()
    + """
SELECT ?statement ?source ?file ?quote ?line WHERE {
  ?statement casec:evidence ?evidence .
  ?evidence oa:hasSource ?source ; oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?source dcterms:identifier ?file }
  OPTIONAL { ?evidence casec:line ?line }
}
"""
)


def check_quotes(rows: list[CitedQuote], sources_dir: Path) -> list[QuoteProblem]:
    """Check the evidence against the texts."""
    texts: dict[str, SourceText | None] = {}
    problems: list[QuoteProblem] = []
    for row in rows:
        statement, source, quote, line, file_name = row.statement, row.source, row.quote, row.line, row.file
        if file_name is None:
            problems.append(
                QuoteProblem(
                    statement, source, line, quote, "the source has no dcterms:identifier naming its text file"
                )
            )
            continue
        if file_name not in texts:
            path = sources_dir / file_name
            texts[file_name] = SourceText.from_file(path) if path.is_file() else None
        text = texts[file_name]
        if text is None:
            problems.append(
                QuoteProblem(statement, source, line, quote, f"the text {file_name} is not in {sources_dir}")
            )
            continue
        found = text.find(quote)
        if found is None:
            problems.append(QuoteProblem(statement, source, line, quote, f"the quote does not occur in {file_name}"))
        elif line is not None and not found.first_line <= line <= found.last_line:
            where = (
                f"line {found.first_line}"
                if found.first_line == found.last_line
                else f"lines {found.first_line}-{found.last_line}"
            )
            problems.append(
                QuoteProblem(
                    statement, source, line, quote, f"the quote stands on {where} of {file_name}, not on line {line}"
                )
            )
    return problems
