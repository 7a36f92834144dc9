"""``casec search``: entities by name and the passages the facts quote, ranked, as on ``/search``."""

from __future__ import annotations

import argparse
import json
import sys

from casec.commands.common import EXIT_OK, EXIT_PROBLEMS, Subcommands, short, store_of


def register(commands: Subcommands) -> None:
    search = commands.add_parser(
        "search",
        help="find entities by name and passages by their words",
        description="Find entities by any of their names (any language) and the passages the facts quote, ranked, "
        "the matched words marked. Case, accents, word endings and unfinished words do not matter; "
        '"double quotes" keep a phrase together. Exit 1 when nothing is found.',
    )
    search.add_argument("words", nargs="+", help="what to look for, e.g. Kant air base")
    search.add_argument("--limit", type=int, default=10, help="most entities and most passages (default 10)")
    search.add_argument("--format", choices=("text", "json"), default="text")
    search.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.facts.passages import LONGEST, PassageIndex
    from casec.facts.search import LabelIndex

    query = " ".join(args.words)
    if len(query) > LONGEST:
        raise ValueError(f"the query is longer than {LONGEST} characters")
    if not 1 <= args.limit <= 100:
        raise ValueError("--limit must be from 1 to 100")
    store = store_of(args)
    entities = LabelIndex.build(store).search(query, limit=args.limit)
    passages = PassageIndex.build(store).search(query, limit=args.limit)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "query": query,
                    "entities": [hit.as_dict() for hit in entities],
                    "passages": {
                        "count": passages.total,
                        "partialCount": passages.partial_total,
                        "results": [
                            {
                                "quote": p.quote,
                                "marks": [list(mark) for mark in p.marks],
                                "allWords": p.all_words,
                                "score": p.score,
                                "source": p.source,
                                "line": p.line,
                                "statements": [fact.statement for fact in p.facts],
                            }
                            for p in passages.passages
                        ],
                    },
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK if entities or passages.passages else EXIT_PROBLEMS
    bold = sys.stdout.isatty()
    if entities:
        print(f"Entities ({len(entities)}):")
        for hit in entities:
            also = f"  (matched {hit.matched!r})" if hit.matched and hit.matched != hit.label else ""
            print(f"  {hit.label} — {short(hit.iri)}{also}")
    print(f"Passages ({passages.total} with every word, {passages.partial_total} with some):")
    for p in passages.passages:
        text = "".join((f"\033[1m{t}\033[0m" if bold else f"[{t}]") if hit else t for t, hit in p.pieces())
        some = "" if p.all_words else "  (some of the words)"
        statements = ", ".join(short(f.statement) for f in p.facts)
        print(f'  "{text}"{some}\n    {short(p.source)}, line {p.line}; {statements}')
    return EXIT_OK if entities or passages.passages else EXIT_PROBLEMS
