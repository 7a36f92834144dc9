"""``casec query``: run one SPARQL query on the graph and print the result.

It goes through what the server does — the guard, then a confined executor
with the time and row limits — so a query refused or stopped on the server is
refused or stopped here too. casec's prefixes are declared, as in the editor.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from casec.commands.common import EXIT_OK, Subcommands, store_of, table
from casec.settings import Settings
from casec.sparql.guard import check_query
from casec.sparql.runner import QueryJob, QueryRunner
from casec.sparql.sandbox import Confinement, check_available
from casec.store.interface import Scope
from casec.vocab import PREFIXES

FORMATS = {"table": "json", "csv": "csv", "json": "json"}


def register(commands: Subcommands) -> None:
    query = commands.add_parser(
        "query",
        help="run a SPARQL query on the bundled graph",
        description="Run a SPARQL 1.1 query on the graph (all named graphs are visible as the "
        "default graph; GRAPH ?source {...} tells which source says what). casec's prefixes "
        "(casec:, org:, state:, orgn: ...) are declared. The query is checked and confined as on the "
        "server: no SERVICE, no updates, CASEC_QUERY_TIMEOUT seconds, CASEC_MAX_ROWS rows, "
        "CASEC_QUERY_MEMORY MB.",
    )
    query.add_argument("sparql", help="the query text, or @FILE to read it from a file")
    query.add_argument("--format", choices=tuple(FORMATS), default="table")
    query.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = _text(args.sparql)
    settings = Settings.from_env()
    if not settings.allow_unsandboxed:
        check_available()
    checked = check_query(text, default_prefixes=PREFIXES)
    graph_form = checked.form in ("CONSTRUCT", "DESCRIBE")
    scope = Scope(union_default_graph=not checked.has_dataset_clause, prefixes=dict(PREFIXES))
    job = QueryJob(
        text,
        checked.form,
        "turtle" if graph_form else FORMATS[args.format],
        scope,
        column_order=checked.star_variables,
    )
    runner = QueryRunner(
        store_of(args), settings.query_timeout, settings.max_rows, confinement=Confinement.of(settings)
    )
    try:
        body = runner.run(job)
    finally:
        runner.close()
    if graph_form or args.format != "table":
        sys.stdout.write(body.decode("utf-8"))
        return EXIT_OK
    answer = json.loads(body)
    if "boolean" in answer:
        print(str(answer["boolean"]).lower())
        return EXIT_OK
    names = answer["head"]["vars"]
    rows = [[row.get(name, {}).get("value", "") for name in names] for row in answer["results"]["bindings"]]
    print(table(names, rows))
    print(f"({len(rows)} rows)")
    return EXIT_OK


def _text(argument: str) -> str:
    if not argument.startswith("@"):
        return argument
    path = Path(argument[1:])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text") from None
