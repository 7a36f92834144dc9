"""The SPARQL 1.1 Service Description of the endpoint (https://www.w3.org/TR/sparql11-service-description/)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from casec.vocab import NS

SD, FORMATS = Namespace(NS["sd"]), Namespace(NS["formats"])
SD_FORMATS = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def service_description(endpoint: str, graphs: set[str], media_type: str) -> str:
    graph = Graph(bind_namespaces="core")
    graph.bind("sd", SD)
    graph.bind("dcterms", DCTERMS)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    # the VoID/DCAT description of the dataset: licence, sources, counts, dumps
    graph.add((service, RDFS.seeAlso, URIRef(endpoint.rsplit("/sparql", 1)[0] + "/void")))
    graph.add((service, DCTERMS.title, Literal("casec, the Central Asian security knowledge graph", lang="en")))
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "Read-only SPARQL 1.1 endpoint. The default graph is the union of all graphs; each source document's "
                "statements are in a named graph of their own. SERVICE, LOAD and updates are refused.",
                lang="en",
            ),
        )
    )
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for name in sorted(graphs):
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    return graph.serialize(format=SD_FORMATS[media_type])
