"""``casec conflicts``: statements the sources disagree on, with both quotes."""

from __future__ import annotations

import argparse
import json

from casec.commands.common import EXIT_OK, bundle_of, short, store_of


def register(commands: argparse._SubParsersAction) -> None:
    conflicts = commands.add_parser(
        "conflicts",
        help="list statements the sources disagree on, with both quotes",
        description="List pairs of statements on the same subject and relation whose values differ, between sources "
        "or within one (queries/conflicts.rq), each with its source, line and quote.",
    )
    conflicts.add_argument("--format", choices=("text", "json"), default="text")
    conflicts.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.facts.conflicts import find_conflicts

    found = find_conflicts(store_of(args), bundle_of(args))
    if args.format == "json":
        print(json.dumps([c.as_dict() for c in found], indent=2, ensure_ascii=False))
        return EXIT_OK
    for conflict in found:
        print(f"{short(conflict.subject)} {short(conflict.relation)}:")
        for claim in (conflict.a, conflict.b):
            print(f"  {short(claim.value)} according to {short(claim.source)}, line {claim.line}:")
            print(f'    "{claim.quote}"  ({short(claim.statement)})')
    print(f"{len(found)} disagreement(s)")
    return EXIT_OK
