"""Every casec IRI resolves: content negotiation, extensions, 404s that suggest, entity, source and
statement pages that show each fact with its quote, and the ontology IRI."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from markupsafe import escape

from casec.bundle import Bundle
from casec.settings import Settings
from casec.store.embedded import EmbeddedStore
from casec.vocab import CASEC, ID, sparql_prologue
from casec.web.app import create_app
from casec.web.negotiation import negotiate

KAZAKHSTAN = ID + "state/kazakhstan"
UZBEKISTAN = ID + "state/uzbekistan"
CSTO = ID + "org/csto"
RAUF_SAUD = ID + "source/000_cf6bc392400e9cf7"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def group(html: str, other: str) -> str:
    """The part of an entity page about one other entity (its ``details.group``)."""
    start = html.index(f'data-other="{other}"')
    return html[start : html.index("</details>", start)]


def quotes(store: EmbeddedStore, member: str, organization: str) -> list[str]:
    query = sparql_prologue() + (
        f"SELECT DISTINCT ?quote WHERE {{ ?m a casec:Membership ; org:member <{member}> ; "
        f"org:organization <{organization}> ; casec:evidence/oa:hasSelector/oa:exact ?quote }}"
    )
    return [row["quote"].value for row in store.select(query)]


def parse(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(body, format=fmt)}


# ---------------------------------------------------------------- content negotiation


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (BROWSER, "text/html"),
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/trig", "application/trig"),
        ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
        ("application/rdf+xml, text/turtle;q=0", "application/rdf+xml"),
        ("text/html;q=0, */*;q=0.1", "text/turtle"),
        ("text/*;q=0.3, text/html;q=0.2, application/n-triples;q=0.25", "text/turtle"),
    ],
)
def test_an_iri_answers_in_the_representation_the_client_prefers(client, accept, expected) -> None:
    response = client.get("/id/state/kazakhstan", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == expected
    assert "Accept" in response.headers["Vary"]
    extension = {"text/html": "html", "text/turtle": "ttl", "application/ld+json": "jsonld"}.get(expected)
    if extension:
        assert response.headers["Content-Location"] == f"/id/state/kazakhstan.{extension}"


def test_an_unacceptable_media_type_is_a_406(client) -> None:
    response = client.get("/id/state/kazakhstan", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


def test_negotiation_uses_the_most_specific_range() -> None:
    assert negotiate("text/html;q=0, */*", ["text/html", "text/turtle"]) == "text/turtle"
    assert negotiate("text/*;q=0.1, text/turtle", ["text/html", "text/turtle"]) == "text/turtle"
    assert negotiate("application/json", ["text/html", "text/turtle"]) is None
    assert negotiate("", ["text/html", "text/turtle"]) == "text/html"


@pytest.mark.parametrize(
    ("extension", "media_type", "fmt"),
    [
        ("ttl", "text/turtle", ox.RdfFormat.TURTLE),
        ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("trig", "application/trig", ox.RdfFormat.TRIG),
        ("nq", "application/n-quads", ox.RdfFormat.N_QUADS),
    ],
)
def test_each_extension_gives_rdf_a_client_can_read(client, extension, media_type, fmt) -> None:
    response = client.get(f"/id/state/kazakhstan.{extension}", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == media_type
    triples = parse(response.data, fmt)
    kazakhstan = ox.NamedNode(KAZAKHSTAN)
    assert ox.Triple(kazakhstan, ox.NamedNode(CASEC + "iso3"), ox.Literal("KAZ")) in triples
    assert ox.Triple(kazakhstan, ox.NamedNode(CASEC + "memberOf"), ox.NamedNode(CSTO)) in triples


def test_the_rdf_carries_each_statement_with_its_quote_in_its_source_graph(client, store) -> None:
    body = client.get("/id/state/kazakhstan.trig").data
    quads = list(ox.parse(body, format=ox.RdfFormat.TRIG))
    exact = ox.NamedNode("http://www.w3.org/ns/oa#exact")
    quoted = {(q.object.value, q.graph_name) for q in quads if q.predicate == exact}
    for quote in quotes(store, KAZAKHSTAN, CSTO):
        assert any(text == quote and isinstance(graph, ox.NamedNode) for text, graph in quoted), quote


def test_a_source_iri_gives_its_named_graph(client, store) -> None:
    body = client.get("/id/source/000_cf6bc392400e9cf7.nq").data
    in_graph = {q for q in ox.parse(body, format=ox.RdfFormat.N_QUADS) if q.graph_name == ox.NamedNode(RAUF_SAUD)}
    held = set(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(RAUF_SAUD)))
    assert len(in_graph) == len(held)


def test_an_unknown_extension_is_a_404_naming_the_known_ones(client) -> None:
    response = client.get("/id/state/kazakhstan.xlsx")
    assert response.status_code == 404
    assert ".ttl" in response.get_data(as_text=True)


# ---------------------------------------------------------------- 404 with suggestions


def test_a_misspelt_iri_is_a_404_that_suggests_the_entity(client) -> None:
    response = client.get("/id/state/kazakstan", headers={"Accept": BROWSER})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'href="/id/state/kazakhstan"' in html
    plain = client.get("/id/state/kazakstan", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and "/id/state/kazakhstan" in plain.get_data(as_text=True)


def test_a_wrong_kind_suggests_the_right_iri(client) -> None:
    response = client.get("/id/organization/csto", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert 'href="/id/org/csto"' in response.get_data(as_text=True)


# ---------------------------------------------------------------- entity pages


def test_kazakhstans_page_shows_its_csto_membership_with_quotes_sources_and_lines(client, store) -> None:
    html = client.get("/id/state/kazakhstan").get_data(as_text=True)
    assert "<h1>Kazakhstan</h1>" in html and "KAZ" in html
    part = group(html, CSTO)
    assert "Collective Security Treaty Organization" in part and "member" in part
    expected = quotes(store, KAZAKHSTAN, CSTO)
    assert expected
    for quote in expected:
        assert str(escape(quote)) in part, quote
    assert 'href="/id/source/000_cf6bc392400e9cf7"' in part
    assert re.search(r"line \d+", part)


def test_uzbekistans_csto_statements_from_different_sources_stand_side_by_side_and_are_flagged(client) -> None:
    html = client.get("/id/state/uzbekistan").get_data(as_text=True)
    part = group(html, CSTO)
    columns = re.findall(r'class="source-column" data-source="([^"]+)"', part)
    assert len(columns) >= 3 and len(set(columns)) == len(columns)
    assert RAUF_SAUD in columns
    assert "sources disagree" in part
    # Rauf and Saud say Uzbekistan left in 2012, Iskandarov that it suspended its membership
    assert "withdrawal" in part and "suspension" in part
    assert "2012" in part.split('class="flag-note"', 1)[1].split("</p>", 1)[0]


def test_an_organizations_page_lists_its_members_and_names_in_every_language(client, store) -> None:
    html = client.get("/id/org/csto").get_data(as_text=True)
    assert 'id="membership-in"' in html
    assert group(html, KAZAKHSTAN)
    names = store.select(f"SELECT ?n WHERE {{ <{CSTO}> <http://www.w3.org/2004/02/skos/core#altLabel> ?n }}")
    for row in names:
        name = row["n"]
        assert f'<span lang="{name.language}">{escape(name.value)}</span>' in html
    assert "ОДКБ" in html


def test_reported_claims_are_marked_as_such(client, store) -> None:
    query = sparql_prologue() + (
        "SELECT ?subject WHERE { ?st casec:modality casec:ReportedClaim . "
        "{ ?st org:member ?subject } UNION { ?st rdf:subject ?subject } } LIMIT 1"
    )
    rows = list(store.select(query))
    assert rows, "the bundled data holds reported claims (000, 001, 003 report claims of states and experts)"
    path = rows[0]["subject"].value.replace(ID, "/id/")
    assert "reported claim" in client.get(path).get_data(as_text=True)


def test_related_entities_are_links(client) -> None:
    html = client.get("/id/state/kazakhstan").get_data(as_text=True)
    assert 'href="/id/org/csto"' in html and 'href="/id/org/sco"' in html


def test_every_kind_of_entity_has_a_page(store, bundle) -> None:
    client = create_app(Settings(), store=store, bundle=bundle).test_client()  # the embedded store: the same code
    query = f'SELECT ?kind (SAMPLE(?x) AS ?one) WHERE {{ ?x a ?t FILTER STRSTARTS(STR(?x), "{ID}") BIND (STRBEFORE(STRAFTER(STR(?x), "{ID}"), "/") AS ?kind) }} GROUP BY ?kind'  # noqa: E501
    for row in store.select(query):
        path = row["one"].value.replace(ID, "/id/")
        response = client.get(path)
        assert response.status_code == 200, path
        assert client.get(f"/id/{row['kind'].value}/").status_code == 200


# ---------------------------------------------------------------- source and statement pages


def test_a_source_page_lists_every_fact_from_it_with_quote_and_line(client, store) -> None:
    html = client.get("/id/source/000_cf6bc392400e9cf7").get_data(as_text=True)
    assert "Prospects of CSTO and SCO in Regional Politics of Central Asia" in html
    query = sparql_prologue() + (
        f"SELECT ?st ?line ?quote WHERE {{ GRAPH <{RAUF_SAUD}> {{ ?st casec:evidence ?e . "
        "?e casec:line ?line ; oa:hasSelector/oa:exact ?quote } }"
    )
    rows = list(store.select(query))
    assert len(rows) > 100
    for row in rows:
        slug = row["st"].value.rsplit("/", 1)[-1]
        assert f'href="/id/statement/{slug}"' in html, slug
        line = int(row["line"].value)
        row_html = html.split(f'<tr id="line-{line}">', 1)[1].split("</tr>", 1)[0]
        assert str(escape(row["quote"].value)) in html.split(f'<tr id="line-{line}">', 1)[1], (line, slug)
        assert f">{line}" in row_html


def test_a_statement_page_shows_what_it_says_and_its_evidence(client) -> None:
    html = client.get("/id/statement/000-sco-member-india").get_data(as_text=True)
    assert 'href="/id/state/india"' in html and 'href="/id/org/sco"' in html
    assert "Full Members Russia, Tajikistan, Kazakhstan, Kyrgyzstan, China, Uzbekistan, Pakistan, India." in html
    assert "line 258" in html


# ---------------------------------------------------------------- the ontology


def test_the_ontology_iri_gives_generated_documentation_to_browsers(client) -> None:
    response = client.get("/ontology", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "pyLODE" in html
    assert 'id="State"' in html and 'id="Membership"' in html  # …/ontology#State lands on its anchor
    assert "casec: the Central Asian security knowledge graph ontology" in html


def test_the_ontology_iri_gives_the_turtle_file_to_machines(client, bundle: Bundle) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    assert response.data == bundle.ontology_files()[0].read_bytes()
    assert client.get("/ontology.ttl").data == response.data
    triples = parse(client.get("/ontology.jsonld").data, ox.RdfFormat.JSON_LD)
    assert len(triples) == len(parse(response.data, ox.RdfFormat.TURTLE))
    assert client.get("/ontology/0.1.0", headers={"Accept": "text/turtle"}).data == response.data
    assert client.get("/ontology/9.9.9").status_code == 404


# ---------------------------------------------------------------- escaping, base URL, OpenAPI


def test_labels_are_escaped_in_every_page(minimal_root) -> None:
    evil = "<script>window.__pwned = 1</script><img src=x onerror=alert(1)>"
    entities = minimal_root / "data" / "entities" / "entities.ttl"
    entities.write_text(
        entities.read_text(encoding="utf-8").replace('"Freedonia"@en', f'"{evil}"@en'), encoding="utf-8"
    )
    bundle = Bundle.at(minimal_root)
    from casec.store.load import bundle_files

    app = create_app(Settings(), store=EmbeddedStore(bundle_files(bundle)), bundle=bundle)
    client = app.test_client()
    for path in ("/id/state/freedonia", "/id/org/alpha-pact", "/id/source/sample", "/search?q=script", "/id/state/"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>window.__pwned" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html, path


def test_pages_link_relative_and_the_void_names_the_public_url(store, bundle) -> None:
    app = create_app(Settings(base_url="https://casec.example.org/"), store=store, bundle=bundle)
    client = app.test_client()
    html = client.get("/id/state/kazakhstan").get_data(as_text=True)
    assert 'href="/id/org/csto"' in html
    void = client.get("/void.ttl").get_data(as_text=True)
    assert "<https://casec.example.org/dump.trig>" in void
    assert "<https://casec.example.org/sparql>" in void


def test_the_openapi_document_lists_the_linked_data_paths(client) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/id/{kind}/{slug}", "/search", "/dump.trig", "/void", "/export/memberships.csv", "/ontology"):
        assert path in paths


def test_a_store_that_is_down_makes_the_pages_a_503_not_a_500(bundle) -> None:
    import socket

    from casec.store.remote import SparqlHttpStore

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens there
    store = SparqlHttpStore(f"sparql+http://127.0.0.1:{port}/sparql", timeout=2)
    client = create_app(Settings(), store=store, bundle=bundle).test_client()
    for path in ("/id/state/kazakhstan", "/id/state/kazakhstan.ttl", "/search?q=csto", "/dump.trig", "/void"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "unreachable" in response.get_data(as_text=True)
