"""Real SPARQL clients query the running server and get the right answers."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, SPARQLWrapper

CASEC = "PREFIX casec: <https://w3id.org/casec/ontology#> PREFIX orgn: <https://w3id.org/casec/id/org/> "
FOUNDERS = {"china", "russia", "kazakhstan", "kyrgyzstan", "tajikistan"}  # the Shanghai Five


def test_sparqlwrapper_select_by_get_and_post(live_server) -> None:
    for method in ("GET", POST):
        client = SPARQLWrapper(live_server.url + "/sparql")
        client.setMethod(method)
        client.setQuery(CASEC + "SELECT DISTINCT ?state WHERE { ?state casec:memberOf orgn:sco }")
        client.setReturnFormat(JSON)
        rows = client.query().convert()["results"]["bindings"]
        members = {row["state"]["value"].rsplit("/", 1)[-1] for row in rows}
        assert FOUNDERS | {"uzbekistan", "india", "pakistan"} <= members


def test_sparqlwrapper_csv_and_construct(live_server) -> None:
    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setQuery(CASEC + "SELECT ?label WHERE { orgn:csto <http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    client.setReturnFormat(CSV)
    assert b"Collective Security Treaty Organization" in client.query().convert()
    client.setQuery(CASEC + "CONSTRUCT { ?s casec:memberOf orgn:csto } WHERE { ?s casec:memberOf orgn:csto }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef("https://w3id.org/casec/id/state/armenia"), None, None) in graph


def test_rdflib_sparqlstore_as_a_client(live_server) -> None:
    graph = Graph(store=SPARQLStore(live_server.url + "/sparql", returnFormat="json"))
    rows = graph.query(CASEC + "SELECT ?state WHERE { ?state casec:memberOf orgn:csto }")
    members = {str(row.state).rsplit("/", 1)[-1] for row in rows}
    assert {"armenia", "belarus", "kazakhstan", "kyrgyzstan", "russia", "tajikistan"} <= members
    assert graph.query(CASEC + "ASK { orgn:sco ?p ?o }").askAnswer is True
