"""No input makes the endpoint fail: random queries, parameters and headers get an answer or a 4xx, never a 500."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SPARQL_WORDS = st.sampled_from(
    ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", "*", "FROM", "NAMED", "GRAPH",
     "SERVICE", "LIMIT", "ORDER BY", "FILTER", "(", ")", ".", "<http://x/>", '"a"', "'''", "#", "PREFIX", "p:",
     "INSERT", "DATA", "LOAD", "BASE", "VALUES", "UNION", "OPTIONAL", "COUNT", "GROUP BY", "1", "\\", "\x00", "é"]
)  # fmt: skip
QUERIES = st.one_of(st.text(max_size=200), st.lists(SPARQL_WORDS, max_size=25).map(" ".join))
MEDIA = st.sampled_from(
    ["application/sparql-results+json", "text/csv", "text/turtle", "image/png", "*/*", "text/*", "application/*",
     "text/html", "", "garbage", "text/csv;q=abc", "application/json;q=0", ";;;", "*/*;q=0.1, text/csv;q=2"]
)  # fmt: skip
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)  # what HTTP can carry
ACCEPT = st.one_of(MEDIA, st.lists(MEDIA, max_size=4).map(", ".join), HEADER_TEXT)
PARAM_NAMES = st.sampled_from(["query", "format", "default-graph-uri", "named-graph-uri", "update", "x"])
PARAMS = st.lists(st.tuples(PARAM_NAMES, st.one_of(QUERIES, st.text(max_size=30))), max_size=5)
CONTENT_TYPES = st.sampled_from(
    ["application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update", "text/plain",
     "application/sparql-query; charset=latin-1", "multipart/form-data", ""]
)  # fmt: skip
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _ok(response) -> None:
    assert response.status_code < 500, response.data[:300]
    assert b"Traceback" not in response.data


@FUZZ
@given(query=QUERIES, accept=ACCEPT)
def test_random_get_queries_never_fail(client, query: str, accept: str) -> None:
    _ok(client.get("/sparql", query_string={"query": query}, headers={"Accept": accept}))


@FUZZ
@given(params=PARAMS, accept=ACCEPT)
def test_random_parameters_never_fail(client, params: list[tuple[str, str]], accept: str) -> None:
    _ok(client.get("/sparql", query_string=params, headers={"Accept": accept}))


@FUZZ
@given(body=st.one_of(QUERIES, st.binary(max_size=200)), content_type=CONTENT_TYPES, accept=ACCEPT)
def test_random_post_bodies_never_fail(client, body: str | bytes, content_type: str, accept: str) -> None:
    _ok(client.post("/sparql", data=body, headers={"Content-Type": content_type, "Accept": accept}))
