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
from dataclasses import dataclass
from pathlib import Path

LOST_GLYPH = "\ufffd"
SOFT_BREAK = "\u00ad"  # marks a hyphen that ended a line in the source
# Ligatures that PDF extraction loses; longest first so "ffi" wins over "ff".
LIGATURES = ("ffi", "ffl", "ff", "fi", "fl", "ft", "Th", "th", "tt")

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


def normalize_quote(quote: str) -> str:
    return _SPACES.sub(" ", _clean(quote)).strip().casefold()


@dataclass(frozen=True)
class Match:
    first_line: int
    last_line: int


class SourceText:
    """A source text, normalized once, that quotes are searched in.

    ``_chars`` is the normalized text; ``_lines[i]`` is the 1-based line of the
    raw file that normalized character ``i`` came from.
    """

    def __init__(self, raw: str) -> None:
        chars: list[str] = []
        lines: list[int] = []
        for number, line in enumerate(raw.splitlines(), start=1):
            cleaned = _clean(line).casefold()
            stripped = cleaned.rstrip()
            # A word broken by a hyphen at the end of a line: keep the hyphen
            # as a soft break that may or may not be printed.
            cleaned = stripped[:-1] + SOFT_BREAK if re.search(r"\w-$", stripped) else cleaned + " "
            for ch in cleaned:
                if ch.isspace():
                    if chars and chars[-1] in (" ", SOFT_BREAK):
                        continue
                    ch = " "
                chars.append(ch)
                lines.append(number)
        self._text = "".join(chars)
        self._lines = lines

    @classmethod
    def from_file(cls, path: Path) -> SourceText:
        return cls(path.read_text(encoding="utf-8"))

    def find(self, quote: str) -> Match | None:
        """Where the quote stands, or None if the text does not contain it."""
        needle = normalize_quote(quote)
        if not needle:
            return None
        match = re.search(_pattern(needle), self._text)
        if match is None:
            return None
        return Match(self._lines[match.start()], self._lines[max(match.end() - 1, match.start())])


def _pattern(needle: str) -> str:
    """A regex for the quote that tolerates the extraction's artefacts."""
    soft = f"{SOFT_BREAK}?"
    parts: list[str] = []
    i = 0
    while i < len(needle):
        ligature = next((lig for lig in LIGATURES if needle.startswith(lig.casefold(), i)), None)
        if ligature is not None:
            lig = ligature.casefold()
            # The extraction sometimes leaves a space after the lost glyph ("tra� cking").
            glyph = LOST_GLYPH + " ?"
            variants = [re.escape(lig), glyph]
            if len(lig) == 3:
                variants += [re.escape(lig[0]) + glyph, glyph + re.escape(lig[2])]
            parts.append(f"(?:{'|'.join(variants)}){soft}")
            i += len(lig)
            continue
        ch = needle[i]
        if ch == " ":
            parts.append(" ")
        elif ch == "-":
            # A printed hyphen may be the one that ended a line.
            parts.append(f"(?:-(?: )?|{SOFT_BREAK})")
        else:
            parts.append(re.escape(ch) + soft)
        i += 1
    return "".join(parts)


@dataclass(frozen=True)
class QuoteProblem:
    """A quote that its source does not contain, or that stands on another line."""

    statement: str
    source: str
    line: int | None
    quote: str
    message: str


EVIDENCE_QUERY = """
PREFIX casec: <https://w3id.org/casec/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?statement ?source ?file ?quote ?line WHERE {
  ?statement casec:evidence ?evidence .
  ?evidence oa:hasSource ?source ; oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?source dcterms:identifier ?file }
  OPTIONAL { ?evidence casec:line ?line }
}
"""


def check_quotes(rows: list[dict[str, str | int | None]], sources_dir: Path) -> list[QuoteProblem]:
    """Check evidence rows (``statement, source, file, quote, line``) against the texts."""
    texts: dict[str, SourceText | None] = {}
    problems: list[QuoteProblem] = []
    for row in rows:
        statement, source = str(row["statement"]), str(row["source"])
        quote, line = str(row["quote"]), row.get("line")
        line = int(line) if line is not None else None
        file_name = row.get("file")
        if file_name is None:
            problems.append(
                QuoteProblem(
                    statement, source, line, quote, "the source has no dcterms:identifier naming its text file"
                )
            )
            continue
        if file_name not in texts:
            path = sources_dir / str(file_name)
            texts[str(file_name)] = SourceText.from_file(path) if path.is_file() else None
        text = texts[str(file_name)]
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
