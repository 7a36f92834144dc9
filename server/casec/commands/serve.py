"""``casec serve``: the SPARQL endpoint and web pages under gunicorn, with casec's event-loop worker."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from flask import Flask
from gunicorn.app.base import BaseApplication

from casec.commands.common import EXIT_ERROR, EXIT_OK, Subcommands, bundle_of
from casec.settings import Settings
from casec.sparql.sandbox import SandboxUnavailable
from casec.store.load import holds_triples

# client, request line (method, path, query), status, size, duration in ms (gunicorn's access-log atoms)
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(B)sB %(M)sms'
# Requests one worker answers at once, each query among them in its own executor process (so at most
# workers x 2 queries run at once, each within --query-memory); more wait their turn. Two, so that a worker
# running one slow query still answers the next request; slow clients take no thread at all.
THREADS_PER_WORKER = 2


def register(commands: Subcommands) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the graph: SPARQL endpoint, query editor, pages",
        description="Start the read-only SPARQL 1.1 endpoint (/sparql), the home page with the query editor (/), "
        "/openapi.json and /healthz under gunicorn. Every flag has an environment variable CASEC_<FLAG> "
        "(e.g. CASEC_PORT, CASEC_QUERY_TIMEOUT); flags win.",
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1; CASEC_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8080; CASEC_PORT)")
    serve.add_argument("--workers", type=int, help="worker processes (default 4; CASEC_WORKERS)")
    serve.add_argument(
        "--query-timeout", type=float, help="seconds before a query is stopped (default 10; CASEC_QUERY_TIMEOUT)"
    )
    serve.add_argument(
        "--read-timeout",
        type=float,
        help="seconds a client has to send a whole request, headers and body, before it gets 408 "
        "(default 10; CASEC_READ_TIMEOUT)",
    )
    serve.add_argument("--max-rows", type=int, help="most result rows or triples (default 100000; CASEC_MAX_ROWS)")
    serve.add_argument("--max-body", type=int, help="largest request body in bytes (default 1000000; CASEC_MAX_BODY)")
    serve.add_argument(
        "--query-memory",
        type=int,
        metavar="MB",
        help="memory a query may use beyond the shared store, in MB (default 1024; CASEC_QUERY_MEMORY)",
    )
    serve.add_argument(
        "--allow-unsandboxed",
        action="store_const",
        const=True,
        help="serve even where the kernel sandbox for queries (seccomp) is unavailable; without it casec "
        "refuses to start there (CASEC_ALLOW_UNSANDBOXED=1)",
    )
    serve.add_argument(
        "--base-url", help="public URL of the server, when behind a proxy (default http://HOST:PORT; CASEC_BASE_URL)"
    )
    serve.add_argument(
        "--data",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="serve these RDF files (.ttl, .trig, .nt, .nq, .rdf, .jsonld; named graphs kept) instead of the "
        "bundled graph (CASEC_DATA, separated by ':')",
    )
    serve.add_argument(
        "--store",
        metavar="URL",
        help="serve from an external SPARQL store, sparql+http://HOST:PORT/PATH, loaded with 'casec load' "
        "(CASEC_STORE)",
    )
    serve.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.web.app import create_app

    settings = Settings.from_env(
        host=args.host,
        port=args.port,
        workers=args.workers,
        query_timeout=args.query_timeout,
        read_timeout=args.read_timeout,
        max_rows=args.max_rows,
        max_body=args.max_body,
        base_url=args.base_url,
        data=tuple(args.data) if args.data else None,
        store=args.store,
        query_memory=args.query_memory,
        allow_unsandboxed=args.allow_unsandboxed,
    )
    for path in settings.data:
        if not path.is_file():
            print(f"casec serve: {path} is not a file", file=sys.stderr)
            return EXIT_ERROR
        if not holds_triples(path):
            print(f"casec serve: {path} holds no triples; refusing to serve an empty graph", file=sys.stderr)
            return EXIT_ERROR
    try:
        app = create_app(settings, bundle=bundle_of(args))
    except SandboxUnavailable as error:
        print(
            f"casec serve: {error}; refusing to serve queries unconfined (--allow-unsandboxed overrides)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    print(f"casec: serving at {settings.public_base()}/ (SPARQL endpoint {settings.public_base()}/sparql)", flush=True)
    if not settings.base_url and not _is_loopback(settings.host):
        print(
            f"casec serve: warning: serving on {settings.host} without --base-url: links in the service "
            "description and the pages take the host name each client sends (its Host header); set --base-url "
            "to the public URL",
            file=sys.stderr,
            flush=True,
        )
    _Gunicorn(app, settings).run()
    return EXIT_OK


class _Gunicorn(BaseApplication):
    """gunicorn with the app already built, so the store is loaded once and shared by the workers."""

    def __init__(self, app: Flask, settings: Settings) -> None:
        self.application = app
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        options = {
            "bind": f"{self.settings.host}:{self.settings.port}",
            "workers": self.settings.workers,
            "worker_class": "casec.web.http_worker.HttpWorker",
            "threads": THREADS_PER_WORKER,
            "preload_app": True,
            # one control socket per user would be shared by every instance (stopping one removes another's)
            "control_socket_disable": True,
            # the query runner enforces the query time limit; this only catches a worker stuck elsewhere
            "timeout": int(self.settings.query_timeout) + 30,
            "graceful_timeout": 5,
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "limit_request_line": 8190,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Iterable[bytes]]:
        # a WSGI app; not types-gunicorn's WSGI type, whose start_response lacks PEP 3333's exc_info (Flask's has it)
        return self.application


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
