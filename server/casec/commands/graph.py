"""``casec graph``: the network of who is linked to whom, as JSON, GraphML, GEXF, a CSV edge list or metrics."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casec.commands.common import EXIT_OK, Subcommands, store_of

FORMATS = ("json", "graphml", "gexf", "csv", "metrics")


def register(commands: Subcommands) -> None:
    from casec.network.relations import RELATIONS

    graph = commands.add_parser(
        "graph",
        help="write the network of states, organizations and bodies (GEXF, GraphML, JSON, CSV, metrics)",
        description="Write the network of who is linked to whom, built from the graph; every edge carries the "
        "ids of the statements behind it. The filters are those of /graph.json.",
        epilog="Relations: " + "; ".join(f"{r.name} ({r.description})" for r in RELATIONS.values()),
    )
    graph.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json (node-link), graphml, gexf (Gephi), csv (edge list) or metrics (centralities and communities, "
        "CSV); default json",
    )
    graph.add_argument("--year", help="only what the sources say held in that year")
    graph.add_argument(
        "--relations",
        action="append",
        help="comma-separated relation types, or 'all' (default: all but leads and participation)",
    )
    graph.add_argument(
        "--organization", help="only these organizations (comma-separated), their members and bodies (IRI or slug)"
    )
    graph.add_argument("--source", action="append", help="only statements from this source (IRI or file stem)")
    graph.add_argument("--evidence", action="store_true", help="JSON: add every statement's source and quotes")
    graph.add_argument("-o", "--output", help="write to this file (default: standard output)")
    graph.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.network.analysis import METRIC_COLUMNS, metrics
    from casec.network.exports import render, rows_csv
    from casec.network.filter_parsing import parse_filters
    from casec.network.model import build_model

    model = build_model(store_of(args))
    filters = parse_filters(model, args.year, args.relations, args.organization, args.source)
    graph = model.view(filters)
    if args.format == "metrics":
        body: str | bytes = rows_csv(metrics(graph)["metrics"], METRIC_COLUMNS)
    else:
        body = render(graph, args.format, model, args.evidence)
    if args.output:
        output = Path(args.output)
        if isinstance(body, bytes):
            output.write_bytes(body)
        else:
            output.write_text(body, encoding="utf-8", newline="")
        print(
            f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges -> {args.output}",
            file=sys.stderr,
        )
    elif isinstance(body, bytes):
        sys.stdout.buffer.write(body)
    else:
        sys.stdout.write(body if body.endswith("\n") else body + "\n")
    return EXIT_OK
