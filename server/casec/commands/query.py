"""``casec query``: run one SPARQL query on the graph and print the result."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pyoxigraph as ox

from .common import EXIT_ERROR, EXIT_OK, store_of, table


def register(commands: argparse._SubParsersAction) -> None:
    query = commands.add_parser(
        "query",
        help="run a SPARQL query on the bundled graph",
        description="Run a SPARQL 1.1 query on the graph (all named graphs are visible as the "
        "default graph; GRAPH ?source {...} tells which source says what).",
    )
    query.add_argument("sparql", help="the query text, or @FILE to read it from a file")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = Path(args.sparql[1:]).read_text(encoding="utf-8") if args.sparql.startswith("@") else args.sparql
    try:
        result = store_of(args).query(text)
    except SyntaxError as error:
        print(f"casec query: {error}", file=sys.stderr)
        return EXIT_ERROR
    if isinstance(result, ox.QueryBoolean):
        print(json.dumps({"head": {}, "boolean": bool(result)}) if args.format == "json" else str(bool(result)).lower())
    elif isinstance(result, ox.QueryTriples):
        sys.stdout.write(result.serialize(format=ox.RdfFormat.TURTLE).decode())
    elif args.format == "table":
        names = [v.value for v in result.variables]
        rows = [[_show(row[name]) for name in names] for row in result]
        print(table(names, rows))
        print(f"({len(rows)} rows)")
    else:
        fmt = ox.QueryResultsFormat.CSV if args.format == "csv" else ox.QueryResultsFormat.JSON
        buffer = io.BytesIO()
        result.serialize(buffer, format=fmt)
        sys.stdout.write(buffer.getvalue().decode())
    return EXIT_OK


def _show(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    return "" if term is None else term.value
