"""Nothing a request does reaches outside the server, changes the data or keeps it busy past the time limit."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import Canary

from casec.settings import Settings
from casec.web.app import create_app


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.nt"
    path.write_text('<http://secret/s> <http://secret/p> "TOP-SECRET-CONTENT" .\n', encoding="utf-8")
    return path


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def reaching_queries(canary: str, secret: str) -> list[tuple[str, str, int | None]]:
    """(how it is sent, the query or update, the expected status; None: any 2xx/4xx)."""
    return [
        ("query", f"SELECT * WHERE {{ SERVICE <{canary}/sparql> {{ ?s ?p ?o }} }}", 403),
        ("query", f"select * where {{ service silent <{canary}/sparql> {{ ?s ?p ?o }} }}", 403),
        ("query", f"SELECT * WHERE {{ ?x ?y ?z . SeRvIcE <{canary}/sparql> {{ ?s ?p ?o }} }}", 403),
        ("query", f"PREFIX c: <{canary}/> SELECT * WHERE {{ SERVICE c:sparql {{ ?s ?p ?o }} }}", 403),
        ("query", f"SELECT * FROM <{canary}/data.nt> WHERE {{ ?s ?p ?o }}", 400),
        ("query", f"SELECT * FROM NAMED <{canary}/data.nt> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 400),
        ("query", f"SELECT * FROM <{secret}> WHERE {{ ?s ?p ?o }}", 400),
        ("query", f"BASE <{canary}/> SELECT * FROM <data.nt> WHERE {{ ?s ?p ?o }}", 400),
        ("query", f"DESCRIBE <{canary}/thing>", 200),
        ("query", f"SELECT * WHERE {{ <{canary}/s> ?p ?o }}", 200),
        ("query", f"BASE <{canary}/> SELECT * WHERE {{ <relative> ?p ?o }}", 200),
        ("update", f"LOAD <{canary}/data.nt>", 403),
        ("update", f"LOAD <{secret}>", 403),
        ("query", f"LOAD <{canary}/data.nt>", 403),
        ("default-graph-uri", f"{canary}/data.nt", 200),
        ("named-graph-uri", f"{secret}", 200),
    ]


def test_no_query_makes_the_server_reach_out_or_read_a_file(live_server, canary: Canary, secret_file: Path) -> None:
    for how, text, expected in reaching_queries(canary.url, secret_file.as_uri()):
        if how == "query":
            status, body = fetch(live_server.url + "/sparql?" + urllib.parse.urlencode({"query": text}))
        elif how == "update":
            status, body = fetch(
                live_server.url + "/sparql", text.encode(), {"Content-Type": "application/sparql-update"}
            )
        else:
            params = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5", how: text}
            status, body = fetch(live_server.url + "/sparql?" + urllib.parse.urlencode(params))
        assert status == expected, (text, body)
        assert b"TOP-SECRET-CONTENT" not in body
        assert b"canary/o" not in body
    time.sleep(0.5)  # anything in flight would have arrived by now
    assert canary.requests == []


def test_a_query_past_the_time_limit_is_stopped_while_others_are_answered(live_server) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: dict[str, object] = {}

    def run_heavy() -> None:
        started = time.monotonic()
        outcome["status"], outcome["body"] = fetch(
            live_server.url + "/sparql?" + urllib.parse.urlencode({"query": heavy})
        )
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    status, body = fetch(live_server.url + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
    cheap_seconds = time.monotonic() - started
    assert status == 200 and b"true" in body
    assert thread.is_alive(), "the cheap query should be answered while the heavy one still runs"
    assert cheap_seconds < 2.0
    thread.join(30)
    assert outcome["status"] == 503
    assert b"time limit" in outcome["body"]  # type: ignore[operator]
    assert 2.5 < outcome["seconds"] < 10  # type: ignore[operator]
    # really stopped: no process of the server keeps burning CPU afterwards
    assert busy_cpu_seconds(live_server.process.pid, 1.0) < 0.5


def busy_cpu_seconds(root: int, window: float) -> float:
    """CPU seconds used by ``root`` and its descendants over ``window`` seconds (from /proc)."""

    def total() -> float:
        ticks = 0
        for pid in descendants(root):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / 100

    before = total()
    time.sleep(window)
    return total() - before


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


@pytest.fixture
def limited_client(backend, bundle):
    # Tight row and body limits; a generous time limit, since these tests are not about time (on an external store
    # the whole answer, 62k triples with the time model, is fetched before the row cap applies).
    app = create_app(Settings(max_rows=10, max_body=2_000, query_timeout=60), store=backend.store, bundle=bundle)
    yield app.test_client()
    app.extensions["casec"].runner.close()


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_results_over_the_row_limit_are_refused_not_truncated(limited_client, fmt: str) -> None:
    response = limited_client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": fmt})
    assert response.status_code == 422
    assert b"more than 10 rows" in response.data
    within = limited_client.get(
        "/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10", "format": fmt}
    )
    assert within.status_code == 200


def test_construct_over_the_row_limit_is_refused(limited_client) -> None:
    response = limited_client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert response.status_code == 422


def test_a_request_body_over_the_size_limit_is_413(limited_client) -> None:
    query = "ASK {}" + " " * 3_000
    response = limited_client.post("/sparql", data=query, content_type="application/sparql-query")
    assert response.status_code == 413
    form = limited_client.post("/sparql", data={"query": query})
    assert form.status_code == 413


def test_the_data_files_are_not_written(live_server, bundle) -> None:
    files = sorted(bundle.data.rglob("*.ttl"))
    before = {path: path.stat().st_mtime_ns for path in files}
    fetch(live_server.url + "/sparql", b"CLEAR ALL", {"Content-Type": "application/sparql-update"})
    fetch(live_server.url + "/sparql?" + urllib.parse.urlencode({"query": "DROP ALL"}))
    assert {path: path.stat().st_mtime_ns for path in files} == before


def test_the_canary_does_see_an_engine_that_is_not_guarded(canary: Canary) -> None:
    """Without casec's guard the engine does reach out, so the canary test above can fail."""
    import pyoxigraph as ox

    with pytest.raises(RuntimeError, match="Unsupported Content-Type"):  # the canary does not answer SPARQL
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}"))
    assert canary.requests == ["/sparql"]
