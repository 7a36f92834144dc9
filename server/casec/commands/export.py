"""``casec export``: the whole dataset in an RDF format, or the membership panel as CSV."""

from __future__ import annotations

import argparse
import sys

from casec.commands.common import EXIT_OK, Subcommands, store_of


def register(commands: Subcommands) -> None:
    from casec.linked_data.serialization import ALIASES

    export = commands.add_parser(
        "export",
        help="write the dataset (TriG, N-Quads, JSON-LD, Turtle, N-Triples, RDF/XML) or the membership panel (CSV)",
        description="Write the dataset as the server's /dump.* do: trig, nquads and jsonld hold every graph "
        "(each source's statements in its named graph); turtle, ntriples and rdfxml hold the default graph "
        "(ontology, entities, source records, derived direct edges). --panel writes the membership panel "
        "(/export/memberships.csv; see README, 'Membership panel') instead.",
    )
    what = export.add_mutually_exclusive_group()
    what.add_argument(
        "--format",
        default="trig",
        choices=sorted(ALIASES),
        metavar="FORMAT",
        help="trig (default), nquads/nq, jsonld, turtle/ttl, ntriples/nt, rdfxml/rdf",
    )
    what.add_argument("--panel", action="store_true", help="the membership panel as CSV")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.facts.membership_panel import panel, to_csv
    from casec.linked_data.dumps import dump
    from casec.linked_data.serialization import ALIASES

    store = store_of(args)
    body = to_csv(store, panel(store)).encode("utf-8") if args.panel else dump(store, ALIASES[args.format])
    if args.output:
        with open(args.output, "wb") as out:
            out.write(body)
        print(f"casec export: wrote {len(body)} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    return EXIT_OK
