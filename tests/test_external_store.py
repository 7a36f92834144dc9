"""casec in front of an external SPARQL server: loading is idempotent, versioned and reports failures."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from external_stores import free_port

from casec.settings import Settings
from casec.store.embedded import EmbeddedStore
from casec.store.interface import Scope
from casec.store.remote import SparqlHttpStore
from casec.web.app import create_app


def load(backend, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "casec.cli", "load", *backend.server.load_args(), *args],
        env={**os.environ, **backend.server.load_env()},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def external(external_backend):
    return external_backend


def test_loading_twice_leaves_the_same_data(external, store: EmbeddedStore) -> None:
    remote = SparqlHttpStore(external.server.store_url)
    before = len(remote)
    assert load(external).returncode == 0
    again = SparqlHttpStore(external.server.store_url)
    assert len(again) == before
    assert again.graph_names() == store.graph_names()
    assert again.data_version() == store.data_version()


def test_health_reports_the_store_and_the_data_version(external, store: EmbeddedStore, bundle) -> None:
    app = create_app(Settings(), store=SparqlHttpStore(external.server.store_url), bundle=bundle)
    health = app.test_client().get("/healthz")
    app.extensions["casec"].runner.close()
    assert health.status_code == 200
    body = health.get_json()
    assert body == {
        "status": "ok",
        "store": "SparqlHttpStore",
        "reachable": True,
        "data_version": store.data_version(),
        "graphs": 5,
    }


def test_health_is_503_when_the_store_is_unreachable(bundle) -> None:
    url = f"sparql+http://127.0.0.1:{free_port()}/sparql"
    app = create_app(Settings(), store=SparqlHttpStore(url, timeout=2), bundle=bundle)
    health = app.test_client().get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["reachable"] is False
    query = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert query.status_code == 503
    assert b"unreachable" in query.data
    app.extensions["casec"].runner.close()


def test_a_failed_load_says_which_graphs_were_replaced(external) -> None:
    args = ["--into", external.server.store_url, "--graph-store", f"http://127.0.0.1:{free_port()}/store"]
    failed = subprocess.run(
        [sys.executable, "-m", "casec.cli", "load", *args], capture_output=True, text=True, timeout=120
    )
    assert failed.returncode == 2
    assert "Graphs already replaced: none" in failed.stderr
    assert "previous data" in failed.stderr
    # and the data is still all there
    assert SparqlHttpStore(external.server.store_url).graph_names()


def test_regression_a_reply_cut_off_midway_is_store_unavailable() -> None:
    """Found by the scale benchmark: a store stopped mid-answer raised http.client.IncompleteRead (a 500)."""
    import socket
    import threading

    from casec.errors import StoreUnavailable

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer_half() -> None:
        connection, _ = listener.accept()
        request = b""
        while b"\r\n\r\n" not in request:  # read the whole request, so that closing sends no reset
            request += connection.recv(65536)
        head, _, body = request.partition(b"\r\n\r\n")
        length = int(
            next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
        )
        while len(body) < length:
            body += connection.recv(65536)
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+xml\r\nContent-Length: 5000\r\n\r\n<sparql"
        )
        connection.close()

    thread = threading.Thread(target=answer_half, daemon=True)
    thread.start()
    store = SparqlHttpStore(f"sparql+http://127.0.0.1:{listener.getsockname()[1]}/sparql", timeout=5)
    with pytest.raises(StoreUnavailable, match="unreadable answer"):
        store.ask("ASK {}", Scope(default_graphs=[], named_graphs=[]))
    thread.join(5)
    listener.close()
