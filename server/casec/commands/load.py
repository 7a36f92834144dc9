"""``casec load --into URL``: put the graph into an external SPARQL store."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from casec.commands.common import EXIT_ERROR, EXIT_OK, Subcommands, bundle_of
from casec.store.load import DataFile, bundle_files


def register(commands: Subcommands) -> None:
    load = commands.add_parser(
        "load",
        help="put the graph into an external SPARQL store (Graph Store Protocol)",
        description="Replace, graph by graph, casec's data in an external store: the ontology, entities and derived "
        "edges in <https://w3id.org/casec/graph/base>, each source's statements in its own named graph, the "
        "data version in <https://w3id.org/casec/graph/meta>. Loading twice leaves the same data; a failure "
        "says which graphs were already replaced.",
    )
    load.add_argument(
        "--into", required=True, metavar="URL", help="the store's SPARQL query endpoint, sparql+http://HOST:PORT/PATH"
    )
    load.add_argument(
        "--graph-store",
        required=True,
        metavar="URL",
        help="its Graph Store Protocol endpoint (Oxigraph: http://HOST:PORT/store; "
        "Virtuoso: http://HOST:PORT/sparql-graph-crud-auth)",
    )
    load.add_argument(
        "--sparql-auth",
        metavar="URL",
        help="Virtuoso only: its authenticated SPARQL endpoint, through which casec load lets the anonymous "
        "endpoint read casec's graphs and only them (default: the --into endpoint with '-auth' appended, "
        "Virtuoso's /sparql-auth)",
    )
    load.add_argument("--user", default=os.environ.get("CASEC_STORE_USER"), help="user (CASEC_STORE_USER)")
    load.add_argument(
        "--password-env",
        default="CASEC_STORE_PASSWORD",
        metavar="VAR",
        help="environment variable holding the password (default CASEC_STORE_PASSWORD; never a flag)",
    )
    load.add_argument(
        "--data",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="load these RDF files (named graphs kept) instead of the bundled graph, as 'casec serve --data' "
        "serves them",
    )
    load.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.store.push import GraphStoreClient, PushFailed, push
    from casec.store.remote import SparqlHttpStore
    from casec.store.virtuoso import VirtuosoAdmin, is_virtuoso

    password = os.environ.get(args.password_env)
    client = GraphStoreClient(args.graph_store, args.user, password)
    store = SparqlHttpStore(args.into)
    virtuoso = None
    if args.user and is_virtuoso(store.endpoint):  # without a user Virtuoso refuses the load itself, and says so
        virtuoso = VirtuosoAdmin(args.sparql_auth or store.endpoint + "-auth", args.user, password or "")
    try:
        report = push(
            [DataFile(path) for path in args.data] if args.data else bundle_files(bundle_of(args)),
            client,
            store,
            progress=lambda line: print(line, flush=True),
            virtuoso=virtuoso,
        )
    except PushFailed as error:
        print(f"casec load: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(f"loaded {report.triples} triples in {len(report.replaced)} graphs (version {report.version})")
    return EXIT_OK
