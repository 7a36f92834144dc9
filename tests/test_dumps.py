"""The dumps are lossless: for every format, export → parse → the same dataset the server holds.
And the dataset describes itself (VoID, DCAT), with counts that match the store."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from casec.bundle import Bundle
from casec.cli import main
from casec.settings import Settings
from casec.store.embedded import EmbeddedStore
from casec.store.load import bundle_files
from casec.vocab import ID, PREFIXES
from casec.web.app import create_app

QUAD_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
TRIPLE_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdf": ox.RdfFormat.RDF_XML}
RDFLIB_FORMATS = {"trig": "trig", "nq": "nquads", "jsonld": "json-ld", "ttl": "turtle", "nt": "nt", "rdf": "xml"}
VOID = "http://rdfs.org/ns/void#"


def canonical(quads) -> ox.Dataset:
    """The dataset in RDFC-1.0 canonical form: two datasets are isomorphic exactly when these are equal."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def held(store: EmbeddedStore, default_only: bool = False) -> ox.Dataset:
    """What the store holds, read straight from Oxigraph (not through the export code)."""
    graph = ox.DefaultGraph() if default_only else None
    return canonical(store.oxigraph.quads_for_pattern(None, None, None, graph))


def parsed(body: bytes, fmt: ox.RdfFormat) -> ox.Dataset:
    quads = ox.parse(body, format=fmt)
    if fmt in TRIPLE_FORMATS.values():
        quads = (ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    return canonical(quads)


@pytest.fixture(scope="module")
def embedded(store: EmbeddedStore, bundle: Bundle) -> Flask:
    """The app on the embedded store, whose contents the round trip is checked against."""
    app = create_app(Settings(), store=store, bundle=bundle)
    app.config.update(TESTING=True)
    return app


@pytest.mark.parametrize("extension", sorted(QUAD_FORMATS))
def test_a_quad_dump_holds_the_whole_dataset(embedded, store, extension) -> None:
    response = embedded.test_client().get(f"/dump.{extension}")
    assert response.status_code == 200
    assert parsed(response.data, QUAD_FORMATS[extension]) == held(store)


@pytest.mark.parametrize("extension", sorted(TRIPLE_FORMATS))
def test_a_triple_dump_holds_the_default_graph(embedded, store, extension) -> None:
    response = embedded.test_client().get(f"/dump.{extension}")
    assert response.status_code == 200
    assert parsed(response.data, TRIPLE_FORMATS[extension]) == held(store, default_only=True)


def test_the_dumps_keep_every_literal_as_written(embedded, store) -> None:
    """rdflib's Turtle writer turns "17"^^xsd:decimal into 17.0; these dumps keep the lexical form."""
    decimals = [
        q.object
        for q in store.oxigraph.quads_for_pattern(None, None, None, None)
        if isinstance(q.object, ox.Literal) and q.object.datatype.value.endswith("#decimal")
    ]
    body = embedded.test_client().get("/dump.trig").data
    written = {q.object for q in ox.parse(body, format=ox.RdfFormat.TRIG) if isinstance(q.object, ox.Literal)}
    assert all(literal in written for literal in decimals)


def test_the_json_ld_dump_uses_the_published_context(embedded) -> None:
    client = embedded.test_client()
    context = client.get("/context.jsonld").get_json()
    assert context["@context"] == PREFIXES
    dump = json.loads(client.get("/dump.jsonld").data)
    assert dump["@context"] == context["@context"]
    ids = {node["@id"] for node in dump["@graph"]}
    assert "src:000_cf6bc392400e9cf7" in ids  # a named graph, by its compact IRI


def test_the_dumps_parse_in_rdflib_and_are_isomorphic_on_a_small_bundle(minimal_root) -> None:
    """rdflib reads every dump back into the same graphs (rdflib's isomorphism check is too slow for the
    full dataset's thousands of blank nodes; the full dataset is compared by canonical form above)."""
    bundle = Bundle.at(minimal_root)
    store = EmbeddedStore(bundle_files(bundle))
    client = create_app(Settings(), store=store, bundle=bundle).test_client()
    expected = _rdflib_dataset(store.oxigraph.quads_for_pattern(None, None, None, None))
    for extension, name in RDFLIB_FORMATS.items():
        body = client.get(f"/dump.{extension}").data
        if extension in QUAD_FORMATS:
            back = Dataset()
            back.parse(data=body, format=name)
            graphs = {str(g.identifier) for g in expected.graphs() if len(g)}
            assert graphs == {str(g.identifier) for g in back.graphs() if len(g)}, extension
            for graph in graphs:
                assert isomorphic(expected.graph(URIRef(graph)), back.graph(URIRef(graph))), (extension, graph)
        else:
            back = Graph().parse(data=body, format=name)
            assert isomorphic(expected.default_graph, back), extension


def _rdflib_dataset(quads) -> Dataset:
    def term(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value.endswith("#string"):  # rdflib tells "x" from "x"^^xsd:string; RDF 1.1 does not
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    dataset = Dataset()
    for q in quads:
        default = isinstance(q.graph_name, ox.DefaultGraph)
        graph = dataset.default_graph if default else dataset.graph(term(q.graph_name))
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return dataset


def test_every_backend_serves_the_same_dataset(client, store) -> None:
    """On the embedded store and on the external servers alike, the dump holds every quad."""
    body = client.get("/dump.nq").data
    quads = list(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(store)
    graphs = {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert graphs == {ox.NamedNode(name) for name in store.graph_names()}


# ---------------------------------------------------------------- casec export


@pytest.mark.parametrize(("name", "fmt"), [("trig", ox.RdfFormat.TRIG), ("jsonld", ox.RdfFormat.JSON_LD)])
def test_casec_export_writes_the_whole_dataset(tmp_path: Path, store, name, fmt) -> None:
    out = tmp_path / f"casec.{name}"
    assert main(["export", "--format", name, "-o", str(out)]) == 0
    assert parsed(out.read_bytes(), fmt) == held(store)


def test_casec_export_writes_turtle_to_standard_output(capsysbinary, store) -> None:
    assert main(["export", "--format", "ttl"]) == 0
    body = capsysbinary.readouterr().out
    assert body.startswith(b"@prefix")
    assert parsed(body, ox.RdfFormat.TURTLE) == held(store, default_only=True)


# ---------------------------------------------------------------- VoID and DCAT


def test_the_void_description_counts_what_the_store_holds_and_links_everything(client, store) -> None:
    response = client.get("/void", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    triples = {q.triple for q in ox.parse(response.data, format=ox.RdfFormat.TURTLE)}
    base = "http://localhost"
    dataset = ox.NamedNode(f"{base}/void#casec")

    def values(subject, predicate: str) -> set:
        return {t.object for t in triples if t.subject == subject and t.predicate.value == predicate}

    assert int(next(iter(values(dataset, VOID + "triples"))).value) == len(store)
    assert values(dataset, VOID + "sparqlEndpoint") == {ox.NamedNode(f"{base}/sparql")}
    dumps = {node.value for node in values(dataset, VOID + "dataDump")}
    assert {f"{base}/dump.{ext}" for ext in ("ttl", "trig", "nq", "jsonld", "rdf")} <= dumps
    assert ox.NamedNode("https://creativecommons.org/licenses/by/4.0/") in values(
        dataset, "http://purl.org/dc/terms/license"
    )
    assert ox.NamedNode(ID + "state/kazakhstan") in values(dataset, VOID + "exampleResource")
    assert {s.value for s in values(dataset, "http://purl.org/dc/terms/source")} == store.graph_names()
    counts = {}
    for subset in values(dataset, VOID + "subset"):
        names = values(subset, "http://www.w3.org/ns/sparql-service-description#name")
        if names:
            counts[next(iter(names)).value] = int(next(iter(values(subset, VOID + "triples"))).value)
    for graph, count in counts.items():
        assert count == len(list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
    assert ox.NamedNode("http://www.w3.org/ns/dcat#Dataset") in values(
        dataset, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    )


def test_the_void_is_linked_from_the_home_page_and_has_a_page(client) -> None:
    assert 'href="/void"' in client.get("/").get_data(as_text=True)
    html = client.get("/void", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/dump.trig"' in html and 'href="/export/memberships.csv"' in html
    assert client.get("/void.jsonld").mimetype == "application/ld+json"
