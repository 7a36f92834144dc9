"""Queries that would crash the engine or eat the machine's memory get a clear 4xx, and the server goes on serving.

The engine's parser is recursive: 10,000 nested groups or a 20,000-term UNION used to crash the executor (a 503
"please try again"; `casec query` died with a segmentation fault). The guard now refuses them before any engine.
A query that allocates more than --query-memory is stopped by the kernel's limit on its executor and answered 422.
"""

from __future__ import annotations

import urllib.parse

import pytest
from test_safety import fetch

from casec.cli import main

DEEP_GROUPS = "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000
DEEP_PARENTHESES = "SELECT * WHERE { FILTER (" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"
WIDE_UNION = "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 20_000) + " }"


@pytest.mark.parametrize(
    ("query", "says"),
    [(DEEP_GROUPS, "nests groups deeper"), (DEEP_PARENTHESES, "nests groups deeper"), (WIDE_UNION, "UNIONs")],
    ids=["groups", "parentheses", "union"],
)
def test_queries_the_engine_cannot_parse_safely_are_400_before_it(live_server, query: str, says: str) -> None:
    status, body = fetch(live_server.url + "/sparql", query.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400 and says.encode() in body, body[:300]
    status, body = fetch(live_server.url + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
    assert status == 200 and b"true" in body


def test_casec_query_refuses_them_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", DEEP_GROUPS]) == 2
    assert "nests groups deeper" in capsys.readouterr().err


def test_a_query_past_its_memory_limit_is_422_and_the_server_goes_on(start_server) -> None:
    server = start_server("--workers", "1", "--query-memory", "200", "--query-timeout", "120")
    greedy = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"  # sorts ~10^9 rows: far past 200 MB
    status, body = fetch(server.url + "/sparql?" + urllib.parse.urlencode({"query": greedy}))
    assert status == 422 and b"200 MB of memory" in body, body[:300]
    status, body = fetch(server.url + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
    assert status == 200 and b"true" in body
