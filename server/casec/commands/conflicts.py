"""``casec conflicts``: where the sources disagree, one entry per disagreement, each claim once with its quotes."""

from __future__ import annotations

import argparse
import json

from casec.commands.common import EXIT_OK, Subcommands, bundle_of, store_of


def register(commands: Subcommands) -> None:
    conflicts = commands.add_parser(
        "conflicts",
        help="list where the sources disagree, each claim with its quotes",
        description="List the disagreements between and within sources (queries/conflicts.rq): one entry per "
        "subject and relation (and, for a membership, organization), each claim once with its source, lines "
        "and quotes.",
    )
    conflicts.add_argument("--format", choices=("text", "json"), default="text")
    conflicts.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.facts.conflicts import find_conflicts

    found = find_conflicts(store_of(args), bundle_of(args))
    if args.format == "json":
        print(json.dumps([d.as_dict() for d in found], indent=2, ensure_ascii=False))
        return EXIT_OK
    for disagreement in found:
        print(f"{disagreement.subject_label} — {disagreement.topic}  <{disagreement.subject}>")
        for year, sides in disagreement.points:
            indent = "  "
            if year is not None:
                print(f"  in {year}:")
                indent = "    "
            for value, claims in sides.items():
                print(f"{indent}{value}, according to:")
                for claim in claims:
                    print(f"{indent}  {claim.source_label.split(',', 1)[0]} ({claim.statement.rsplit('/', 1)[-1]})")
                    for quote in claim.quotes:
                        print(f'{indent}    line {quote.line}: "{quote.text}"')
        print()
    subjects = len(found)
    print(f"{subjects} disagreement{'s' if subjects != 1 else ''}, {sum(len(d.claims) for d in found)} claims")
    return EXIT_OK
