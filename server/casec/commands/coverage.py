"""``casec coverage``: which sentences of the source texts no statement captures yet."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casec.commands.common import EXIT_ERROR, EXIT_OK, Subcommands, bundle_of, short

if TYPE_CHECKING:
    from casec.curation.coverage import Candidate, SourceCoverage

# Worklist sentences are cut here in text output: enough to recognize one, the file has the rest.
SHOWN_CHARACTERS = 240


def register(commands: Subcommands) -> None:
    coverage = commands.add_parser(
        "coverage",
        help="show which sentences of the source texts no statement captures yet",
        description="Find, in each source text, the sentences that name at least two known entities (any label or "
        "altLabel of data/entities/, ignoring case and diacritics; acronyms only as printed) or one entity and a "
        "year, and report which no evidence quote of that source overlaps: a figure per source, then the "
        "worklist. Sentences listed in data/reviewed/<file-stem>.tsv with a reason count as covered "
        "(docs/curation.md). Always exits 0 when it ran (it is not a gate), 2 when it could not run.",
    )
    coverage.add_argument(
        "--sources",
        type=Path,
        nargs="?",
        const=Path("../shared/seeds"),
        required=True,
        metavar="DIR",
        help="folder of the source .txt files (when given without DIR: ../shared/seeds)",
    )
    coverage.add_argument("--format", choices=("text", "json"), default="text", help="text for people, json for tools")
    coverage.add_argument(
        "--source",
        action="append",
        metavar="STEM",
        help="only the texts whose file name starts with STEM, e.g. 001 (repeatable)",
    )
    coverage.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="list at most N open sentences per source (0: the figures only)",
    )
    coverage.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.curation.coverage import coverage

    bundle = bundle_of(args)
    if not (bundle.data / "entities").is_dir():
        print(f"casec coverage: {bundle.data / 'entities'} is not a folder", file=sys.stderr)
        return EXIT_ERROR
    if not args.sources.is_dir():
        print(f"casec coverage: the sources folder {args.sources} does not exist", file=sys.stderr)
        return EXIT_ERROR
    if args.limit is not None and args.limit < 0:
        print("casec coverage: --limit must be 0 or more", file=sys.stderr)
        return EXIT_ERROR
    results = coverage(bundle, args.sources, args.source or ())
    render = _json if args.format == "json" else _text
    sys.stdout.write(render(results, args.limit))
    return EXIT_OK


def _figure(result: SourceCoverage) -> str:
    from casec.curation.coverage import OPEN, REVIEWED

    return (
        f"{result.file}: {result.covered}/{len(result.candidates)} candidate sentences covered "
        f"({result.percent:.1f} %), {result.count(REVIEWED)} reviewed, {result.count(OPEN)} open"
    )


def _text(results: list[SourceCoverage], limit: int | None) -> str:
    from casec.curation.coverage import OPEN, totals

    lines = [_figure(result) for result in results]
    if len(results) > 1:
        lines.append(_figure(totals(results)))
    for result in results:
        lines += [f"{result.file}: {problem}" for problem in result.problems]
        if result.quotes_not_found:
            lines.append(
                f"{result.file}: {result.quotes_not_found} of {result.quotes} quotes do not occur in the text "
                "(casec validate --sources says which); they cover nothing"
            )
    for result in results:
        worklist = [c for c in result.candidates if c.status == OPEN][:limit]
        if worklist:
            lines.append("")
        for candidate in worklist:
            sentence = candidate.sentence
            if len(sentence) > SHOWN_CHARACTERS:
                sentence = sentence[: SHOWN_CHARACTERS - 1] + "…"
            named = [" / ".join(short(iri) for iri in group) for group in candidate.entities]
            lines.append(f"{result.file}:{candidate.line}  {sentence}  [{', '.join(named + list(candidate.years))}]")
    return "\n".join(lines) + "\n"


def _json(results: list[SourceCoverage], limit: int | None) -> str:
    from casec.curation.coverage import OPEN, QUOTED, REVIEWED, totals

    def figures(result: SourceCoverage) -> dict[str, Any]:
        return {
            "candidates": len(result.candidates),
            "covered": result.covered,
            "quoted": result.count(QUOTED),
            "reviewed": result.count(REVIEWED),
            "open": result.count(OPEN),
            "percent": round(result.percent, 1),
            "sentences": result.sentences,
            "quotes": result.quotes,
            "quotes_not_found": result.quotes_not_found,
        }

    def candidate(c: Candidate) -> dict[str, Any]:
        return {
            "line": c.line,
            "sentence": c.sentence,
            "entities": [iri for group in c.entities for iri in group],
            "years": list(c.years),
            "key": c.key,
        }

    payload = {
        "total": figures(totals(results)),
        "sources": [
            {
                "file": result.file,
                "source": result.source,
                **figures(result),
                "problems": result.problems,
                "open_sentences": [candidate(c) for c in result.candidates if c.status == OPEN][:limit],
                "reviewed_sentences": [
                    {**candidate(c), "reason": c.reason} for c in result.candidates if c.status == REVIEWED
                ],
            }
            for result in results
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
