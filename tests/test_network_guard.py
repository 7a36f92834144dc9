"""No query reaches the network: not past the guard (which reads SPARQL as the engines do), and not past a
guard bug either (the executors cannot open a socket), on every backend and from the command line."""

from __future__ import annotations

import time
import urllib.parse
from pathlib import Path

import pytest
from conftest import Canary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_safety import descendants, fetch

from casec.cli import main
from casec.sparql.guard import QueryRefused, check_query
from casec.sparql.runner import QueryFailed, QueryJob, QueryRunner
from casec.sparql.sandbox import Confinement

PROLOGUE = "PREFIX ex: <http://e/>\n"
BOUND = "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b)"


def bypasses(canary: str) -> dict[str, str]:
    """Queries that once reached the network past casec's guard, or could with a context-free lexer."""
    return {
        # a backslash escape in a prefixed name's local part (PN_LOCAL_ESC) read as a comment start
        "escaped-hash": PROLOGUE + f"SELECT * WHERE {{ VALUES ?z {{ ex:a\\#x }} SERVICE <{canary}/a> {{ ?a ?b ?c }} }}",
        # ... or as a string start
        "escaped-quote": PROLOGUE
        + f"SELECT * WHERE {{ VALUES ?z {{ ex:a\\'x }} SERVICE <{canary}/b> {{ ?a ?b ?c }} }}",
        # '<' as "less than" where a lexer reads an IRI that hides SERVICE and opens a comment
        "less-than": f"{BOUND} FILTER(?a<?b)SERVICE#>\n<{canary}/c>{{?x ?y ?z}} }}",
        "less-than-spaced": f"{BOUND} FILTER(?a<?b) SERVICE#>\n<{canary}/d>{{}} }}",
        "unicode-escape": f"SELECT * WHERE {{ \\u0053ERVICE <{canary}/e> {{ ?a ?b ?c }} }}",
        # Virtuoso's SQL functions: bif:http_get fetches a URL
        "virtuoso-bif": f"SELECT (bif:http_get('{canary}/g') AS ?x) WHERE {{ }}",
        "virtuoso-bif-declared": "PREFIX b: <http://www.openlinksw.com/schemas/bif#>\n"
        + f"SELECT (b:http_get('{canary}/h') AS ?x) WHERE {{ }}",
        "variable-endpoint": f"SELECT * WHERE {{ VALUES ?e {{ <{canary}/f> }} SERVICE ?e {{ ?a ?b ?c }} }}",
    }


@pytest.mark.parametrize("name", sorted(bypasses("http://x")))
def test_known_bypasses_are_refused_by_the_guard(name: str) -> None:
    with pytest.raises(QueryRefused) as refused:
        check_query(bypasses("http://127.0.0.1:9")[name])
    assert refused.value.status in (400, 403)


def test_known_bypasses_reach_nothing_on_any_backend(live_server, canary: Canary) -> None:
    for name, text in bypasses(canary.url).items():
        status, body = fetch(live_server.url + "/sparql?" + urllib.parse.urlencode({"query": text}))
        assert status in (400, 403), (name, body)
    time.sleep(0.3)
    assert canary.requests == []


def test_escapes_and_mentions_of_service_that_are_no_service_still_run(live_server, backend) -> None:
    """Failing closed must not refuse ordinary queries: escaped names, and the word in strings, IRIs, comments."""
    queries = [
        # Virtuoso's own parser does not read PN_LOCAL_ESC escapes (it answers 400 itself)
        *(
            []
            if backend.name == "virtuoso"
            else [PROLOGUE + "SELECT * WHERE { VALUES ?z { ex:a\\#x ex:b\\'y ex:c%41 } }"]
        ),
        "SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'Federal Security Service')) } LIMIT 1",
        "# the SERVICE keyword is refused here\nASK { <http://e/service> ?p ?o }",
        "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b) }",
    ]
    for text in queries:
        status, body = fetch(live_server.url + "/sparql?" + urllib.parse.urlencode({"query": text}))
        assert status == 200, (text, body)


PIECES = st.sampled_from(
    ["SERVICE <{c}/s> {{ ?a ?b ?c }}", "sErViCe SILENT <{c}/t> {{ }}", "SERVICE ?e {{ ?a ?b ?c }}",
     "VALUES ?e {{ <{c}/v> }}", "ex:a\\#x", "ex:a\\'x", "ex:b\\\\", "ex:c%41", "# SERVICE <{c}/h> {{ }}\n",
     "'SERVICE <{c}/q>'", '"""a\nSERVICE\n"""', "'''it''s'''", "<http://e/#x>", "FILTER(?a<?b)",
     "FILTER(?a<?b)SERVICE#>\n",
     "BIND(1 AS ?a)", "BIND(2 AS ?b)", "{{", "}}", "OPTIONAL {{", "UNION", "\\u0053ERVICE", "LOAD <{c}/l>",
     "<{c}/i>", "{{?x ?y ?z}}", ".", "\n", "?s ?p ?o", "GRAPH ?g {{", "FILTER EXISTS {{", "MINUS {{", "(", ")"]
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(PIECES, min_size=1, max_size=12))
def test_no_generated_query_reaches_a_canary(live_server, canary: Canary, pieces: list[str]) -> None:
    body = " ".join(piece.format(c=canary.url) for piece in pieces)
    text = PROLOGUE + "SELECT * WHERE { " + body + " }"
    status, answer = fetch(live_server.url + "/sparql?" + urllib.parse.urlencode({"query": text}))
    assert status < 500 or status == 503, answer
    assert canary.requests == [], text


def test_an_executor_cannot_reach_the_network_even_without_the_guard(store, canary: Canary) -> None:
    """The guard is switched off here (the job goes straight to the runner): the kernel still says no."""
    runner = QueryRunner(store, timeout=30, max_rows=1000, confinement=Confinement())
    try:
        with pytest.raises(QueryFailed):
            runner.run(QueryJob(f"SELECT * WHERE {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}", "SELECT", "json"))
        assert runner.run(QueryJob("ASK { ?s ?p ?o }", "ASK", "json")) == b'{"head":{},"boolean":true}'
    finally:
        runner.close()
    time.sleep(0.3)
    assert canary.requests == []


def test_the_servers_executors_run_under_a_seccomp_filter(start_server) -> None:
    server = start_server("--workers", "1")
    status, _ = fetch(server.url + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200
    modes = {}
    for pid in descendants(server.process.pid):
        try:
            status_lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        modes[pid] = next(line.split()[1] for line in status_lines if line.startswith("Seccomp:"))
    # the master and the worker are unfiltered; the executor the query ran in is in filter mode (2)
    assert "2" in modes.values(), modes


def test_casec_query_refuses_service_and_updates(capsys: pytest.CaptureFixture[str], canary: Canary) -> None:
    for name, text in bypasses(canary.url).items():
        assert main(["query", text]) == 2, name
    assert main(["query", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"]) == 2
    assert "read-only" in capsys.readouterr().err
    assert canary.requests == []
