"""What real clients found (issue 11 §3), each reproduced with the client that found it against the running
server: SPARQLWrapper's own format names, HEAD, updates by GET, rdflib reading entity documents, cross-origin
scripts reading headers, and the dataset and service descriptions read as RDF."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import N3, RDFXML, SPARQLWrapper

CSTO = "https://w3id.org/casec/id/org/csto"
ARMENIA = "https://w3id.org/casec/id/state/armenia"
MEMBERS = (
    "PREFIX casec: <https://w3id.org/casec/ontology#> "
    f"CONSTRUCT {{ ?s casec:memberOf <{CSTO}> }} WHERE {{ ?s casec:memberOf <{CSTO}> }}"
)


def request(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method, headers=headers or {}), timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize("return_format", [RDFXML, N3])
def test_sparqlwrapper_construct_in_its_own_format_names(live_server, return_format: str) -> None:
    """SPARQLWrapper sends format=rdf+xml or format=n3 (names this server does not use) and an Accept header
    that says the same in media types: the Accept header decides."""
    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setQuery(MEMBERS)
    client.setReturnFormat(return_format)
    result = client.query().convert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(data=result, format="turtle")
    assert (rdflib.URIRef(ARMENIA), None, rdflib.URIRef(CSTO)) in graph


def test_a_format_name_nobody_knows_falls_back_to_accept_and_a_known_one_still_wins(live_server) -> None:
    query = urllib.parse.quote("ASK {}")
    status, headers, _ = request(
        f"{live_server.url}/sparql?query={query}&format=nonsense", headers={"Accept": "text/csv"}
    )
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    status, headers, _ = request(f"{live_server.url}/sparql?query={query}&format=xml", headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize(
    "query", ["", "?query=" + urllib.parse.quote("ASK {}"), "?query=" + urllib.parse.quote("SELECT WHERE")]
)
def test_head_answers_as_get_does_without_a_body(live_server, query: str) -> None:
    got = request(live_server.url + "/sparql" + query)
    head = request(live_server.url + "/sparql" + query, method="HEAD")
    assert head[0] == got[0] and head[1]["Content-Type"] == got[1]["Content-Type"]
    assert head[2] == b""


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_an_update_by_get_is_refused_as_read_only(live_server, method: str) -> None:
    update = urllib.parse.quote("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    status, _, body = request(f"{live_server.url}/sparql?update={update}", method=method)
    assert status == 403
    assert method == "HEAD" or b"read-only" in body


def test_rdflib_reads_an_entity_as_n_triples_and_json_ld_with_every_triple(live_server) -> None:
    """rdflib's format="nt" asks for text/plain; format="json-ld" must give the whole document, not the few
    triples outside the named graphs."""
    _, _, body = request(f"{live_server.url}/id/org/csto.nq")
    expected = {quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_QUADS)}
    for fmt in ("nt", "json-ld"):
        graph = rdflib.Graph().parse(live_server.url + "/id/org/csto", format=fmt)
        assert len(graph) == len(expected), fmt
        assert (rdflib.URIRef(ARMENIA), None, rdflib.URIRef(CSTO)) in graph
    status, headers, body = request(f"{live_server.url}/id/org/csto", headers={"Accept": "application/json"})
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert headers["Content-Location"] == "/id/org/csto.jsonld"
    assert len({q.triple for q in ox.parse(body, format=ox.RdfFormat.JSON_LD)}) == len(expected)
    # the per-source view stays: TriG names each source's graph
    _, _, trig = request(f"{live_server.url}/id/org/csto", headers={"Accept": "application/trig"})
    assert any(isinstance(q.graph_name, ox.NamedNode) for q in ox.parse(trig, format=ox.RdfFormat.TRIG))


def test_a_cross_origin_script_reads_link_and_content_location(embedded_server, page) -> None:
    """Headers do not depend on the store: checked on the embedded one."""
    other_origin = embedded_server.url.replace("127.0.0.1", "localhost")  # another origin, the same server
    page.goto(other_origin + "/")
    headers = page.evaluate(
        """async url => {
            const response = await fetch(url, {headers: {Accept: 'text/turtle'}});
            return {link: response.headers.get('Link'), location: response.headers.get('Content-Location')};
        }""",
        embedded_server.url + "/id/org/csto",
    )
    assert headers["location"] == "/id/org/csto.ttl"
    assert '</id/org/csto.jsonld>; rel="alternate"' in headers["link"]


def test_the_dataset_and_service_descriptions_count_right_and_declare_their_prefixes(live_server) -> None:
    _, _, void = request(f"{live_server.url}/void", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=void, format="turtle")
    prefixes = dict(graph.namespaces())
    assert str(prefixes["void"]) == "http://rdfs.org/ns/void#" and str(prefixes["dcat"]) == "http://www.w3.org/ns/dcat#"
    body = b"\n".join(line for line in void.splitlines() if not line.startswith(b"@prefix"))
    assert b"<http://rdfs.org/ns/void#" not in body and b"<http://www.w3.org/ns/dcat#" not in body
    classes = int(next(graph.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#classes"))))
    endpoint = SPARQLWrapper(live_server.url + "/sparql", returnFormat="json")
    endpoint.setQuery(
        "SELECT (COUNT(DISTINCT ?class) AS ?n) WHERE { { ?s a ?class } UNION { GRAPH ?g { ?s a ?class } } }"
    )
    distinct = int(endpoint.query().convert()["results"]["bindings"][0]["n"]["value"])
    assert classes == distinct
    assert len(list(graph.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#classPartition")))) == distinct
    _, _, description = request(f"{live_server.url}/sparql", headers={"Accept": "text/turtle"})
    assert b"ns1:" not in description and b"@prefix dcterms: <http://purl.org/dc/terms/>" in description
