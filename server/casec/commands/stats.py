"""``casec stats``: entities per class, statements and quotes per source."""

from __future__ import annotations

import argparse
import json

from casec.commands.common import EXIT_OK, Subcommands, store_of, table


def register(commands: Subcommands) -> None:
    stats = commands.add_parser(
        "stats",
        help="count entities per class and statements per source",
        description="Count entities per class and statements and quotes per source.",
    )
    stats.add_argument("--format", choices=("table", "json"), default="table")
    stats.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.facts.stats import class_counts, source_counts

    store = store_of(args)
    classes, sources = class_counts(store), source_counts(store)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "triples": len(store),
                    "classes": [{"class": c.iri, "label": c.label, "count": c.count} for c in classes],
                    "sources": [
                        {"source": s.iri, "label": s.label, "statements": s.count, "quotes": s.extra} for s in sources
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    print(f"{len(store)} triples\n")
    print(table(["class", "count"], [[c.label or c.iri, str(c.count)] for c in classes]))
    print()
    print(
        table(
            ["source", "statements", "quotes"],
            [[s.iri.rsplit("/", 1)[-1], str(s.count), str(s.extra)] for s in sources],
        )
    )
    return EXIT_OK
