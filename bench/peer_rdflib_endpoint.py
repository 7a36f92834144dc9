"""The peer endpoint for bench/endpoint.py: rdflib-endpoint (FastAPI + uvicorn) on an N-Quads dump of casec's store.

Run by bench/endpoint.py in a subprocess, so that its start-up, memory and CPU are
measured apart from the load generator. It serves the same quads casec serves
(derived edges included), in an rdflib Dataset whose default graph is the union
of all graphs, as casec's is, at ``/sparql``. With ``--workers N`` uvicorn spawns
N processes, each loading its own copy (rdflib's store cannot be shared), so
that both servers can run N queries at once.

    python bench/peer_rdflib_endpoint.py DUMP.nq --port 8081 [--workers N]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import rdflib
import rdflib.plugins.sparql
import uvicorn
from fastapi import FastAPI
from rdflib_endpoint import SparqlEndpoint

DUMP_VARIABLE = "CASEC_BENCH_PEER_DUMP"


def create_app() -> FastAPI:
    """The app factory uvicorn calls in each worker process (it spawns workers, so state cannot be inherited)."""
    # Queries must not fetch FROM <url> (see ../shared/PLATFORM.md); the example queries have no FROM anyway.
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(os.environ[DUMP_VARIABLE], format="nquads")
    return SparqlEndpoint(graph=dataset, path="/sparql", title="casec bench peer", cors_enabled=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump", type=Path, help="N-Quads file to serve")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    os.environ[DUMP_VARIABLE] = str(args.dump.resolve())
    uvicorn.run(
        "__main__:create_app",  # uvicorn's spawned workers import this script as their __main__
        factory=True,
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
    )


if __name__ == "__main__":
    main()
