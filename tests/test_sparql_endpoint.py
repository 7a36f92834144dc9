"""The /sparql endpoint as clients use it: methods, content negotiation, errors, CORS."""

from __future__ import annotations

import json

import pytest

from casec.vocab import BASE_GRAPH, META_GRAPH

PREFIXES = (
    "PREFIX org: <http://www.w3.org/ns/org#> PREFIX casec: <https://w3id.org/casec/ontology#> "
    "PREFIX orgn: <https://w3id.org/casec/id/org/> "
)
CSTO_MEMBERS = PREFIXES + "SELECT DISTINCT ?state WHERE { ?state casec:memberOf orgn:csto } ORDER BY ?state"


def states(response) -> set[str]:
    return {row["state"]["value"].rsplit("/", 1)[-1] for row in response.get_json(force=True)["results"]["bindings"]}


def test_get_post_form_and_post_direct_give_the_same_answer(client) -> None:
    by_get = client.get("/sparql", query_string={"query": CSTO_MEMBERS})
    by_form = client.post("/sparql", data={"query": CSTO_MEMBERS})
    by_body = client.post("/sparql", data=CSTO_MEMBERS, content_type="application/sparql-query")
    assert by_get.status_code == by_form.status_code == by_body.status_code == 200
    assert states(by_get) == states(by_form) == states(by_body)
    assert {"kazakhstan", "kyrgyzstan", "tajikistan", "russia", "armenia", "belarus"} <= states(by_get)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/csv;q=1.0, application/sparql-results+xml;q=0.2", "text/csv"),
        ("text/html;q=1.0, text/tab-separated-values;q=0.1", "text/tab-separated-values"),
    ],
)
def test_select_results_follow_the_accept_header_and_its_q_values(client, accept: str, expected: str) -> None:
    response = client.get("/sparql", query_string={"query": CSTO_MEMBERS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == expected
    assert "Accept" in response.headers["Vary"]
    assert b"kazakhstan" in response.data


@pytest.mark.parametrize(
    ("accept", "expected", "marker"),
    [
        ("text/turtle", "text/turtle", b"@prefix"),
        ("application/n-triples", "application/n-triples", b"<https://w3id.org/casec/id/org/csto>"),
        ("application/ld+json", "application/ld+json", b'"@id"'),
        ("application/rdf+xml", "application/rdf+xml", b"<rdf:RDF"),
        ("application/rdf+xml;q=0.3, text/turtle;q=0.9", "text/turtle", b"@prefix"),
    ],
)
def test_construct_results_are_rdf_in_the_negotiated_syntax(client, accept: str, expected: str, marker: bytes) -> None:
    query = PREFIXES + "CONSTRUCT { ?s casec:memberOf orgn:csto } WHERE { ?s casec:memberOf orgn:csto }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == expected
    assert marker in response.data


def test_format_parameter_overrides_accept(client) -> None:
    response = client.get(
        "/sparql", query_string={"query": CSTO_MEMBERS, "format": "csv"}, headers={"Accept": "application/json"}
    )
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"state\r\n")


def test_nothing_acceptable_is_406_with_the_alternatives(client) -> None:
    response = client.get("/sparql", query_string={"query": CSTO_MEMBERS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert b"application/sparql-results+json" in response.data
    bad_format = client.get("/sparql", query_string={"query": CSTO_MEMBERS, "format": "turtle"})
    assert bad_format.status_code == 406


def test_ask_answers_true_and_false(client) -> None:
    yes = client.get("/sparql", query_string={"query": PREFIXES + "ASK { orgn:csto ?p ?o }"})
    no = client.get("/sparql", query_string={"query": PREFIXES + "ASK { orgn:csto casec:memberOf orgn:sco }"})
    assert yes.get_json(force=True)["boolean"] is True
    assert no.get_json(force=True)["boolean"] is False


def test_a_malformed_query_is_400_with_the_parser_position(client) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert b"does not parse" in response.data
    assert b"1:" in response.data or b"line 1" in response.data  # the position, as the engine gives it
    assert b"Traceback" not in response.data


@pytest.mark.parametrize(
    ("method", "kwargs", "status"),
    [
        ("put", {"data": "query=ASK%7B%7D", "content_type": "application/x-www-form-urlencoded"}, 405),
        ("delete", {}, 405),
        ("post", {"data": "ASK {}", "content_type": "text/plain"}, 415),
        ("post", {"data": "ASK {}"}, 400),
        ("post", {"data": {"notquery": "x"}}, 400),
        ("get", {"query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
    ],
)
def test_wrong_method_or_content_type_gets_the_right_4xx(client, method: str, kwargs: dict, status: int) -> None:
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == status
    assert response.mimetype == "text/plain"


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/casec/id/source/000_a3ae7e94b38a0c28>",
        "CREATE GRAPH <http://example.org/g>",
        "PREFIX ex: <http://example.org/> # a comment\n insert data { ex:a ex:b ex:c }",
        "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_whatever_the_method(client, update: str) -> None:
    before = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).get_json(force=True)
    responses = [
        client.get("/sparql", query_string={"query": update}),
        client.get("/sparql", query_string={"update": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data=update, content_type="application/sparql-query"),
        client.post("/sparql", data=update, content_type="application/sparql-update"),
    ]
    for response in responses:
        assert 400 <= response.status_code < 500
        assert b"read-only" in response.data
    after = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).get_json(force=True)
    assert before == after


def test_service_description_by_default_and_editor_for_browsers(client) -> None:
    turtle = client.get("/sparql")
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    assert b"sd:endpoint" in turtle.data
    assert b"<http://localhost/void>" in turtle.data  # the dataset's VoID/DCAT description, which resolves
    assert client.get("/void", headers={"Accept": "text/turtle"}).status_code == 200
    browser = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["Location"].endswith("/")


def test_regression_service_description_with_wildcard_and_html_accept(client) -> None:
    """Found by the fuzz test: 'Accept: */*, text/html' on GET /sparql was a 500."""
    response = client.get("/sparql", headers={"Accept": "*/*, text/html"})
    assert response.status_code == 303


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   # only a comment",
        "PREFIX ex: <http://example.org/>",
        'DEFINE input:grab-all "yes" SELECT * { ?s ?p ?o }',
    ],
)
def test_regression_what_is_not_a_sparql_11_query_never_reaches_the_engine(client, text: str) -> None:
    """Found by the fuzz test on Virtuoso: an empty query was taken for an update there (a 503)."""
    response = client.get("/sparql", query_string={"query": text})
    assert response.status_code == 400
    assert b"SPARQL" in response.data


def test_any_origin_may_query_and_preflight_succeeds(client) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_named_graphs_tell_which_source_says_what(client, backend) -> None:
    query = PREFIXES + (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?st org:member <https://w3id.org/casec/id/state/uzbekistan> } }"
    )
    response = client.get("/sparql", query_string={"query": query})
    graphs = {row["g"]["value"] for row in response.get_json(force=True)["results"]["bindings"]}
    # an external store keeps casec's default graph in a named graph of its own (README: "On an external store")
    own = {BASE_GRAPH, META_GRAPH} if backend.server else set()
    sources = graphs - own
    assert len(sources) >= 3 and all(g.startswith("https://w3id.org/casec/id/source/") for g in sources)


def test_default_graph_uri_restricts_the_dataset_to_one_source(client, store) -> None:
    source = sorted(store.graph_names())[0]
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    one = client.get("/sparql", query_string={"query": query, "default-graph-uri": source}).get_json(force=True)
    everything = client.get("/sparql", query_string={"query": query}).get_json(force=True)
    count = int(one["results"]["bindings"][0]["n"]["value"])
    assert 0 < count < int(everything["results"]["bindings"][0]["n"]["value"])


def test_openapi_and_health(client) -> None:
    spec = json.loads(client.get("/openapi.json").data)
    assert spec["openapi"].startswith("3.") and "/sparql" in spec["paths"]
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["graphs"] == 5
