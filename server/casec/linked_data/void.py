"""The dataset's description in VoID (https://www.w3.org/TR/void/) and DCAT 3 (https://www.w3.org/TR/vocab-dcat-3/):
title, description, licence, sources, triple counts, classes, example resources, the SPARQL endpoint and the dumps.
Every count is asked of the store, so the description always matches what is served."""

from __future__ import annotations

import pyoxigraph as ox

from casec.linked_data.dataset import split_dataset
from casec.linked_data.serialization import FORMATS, RdfFormat, serialize
from casec.store.interface import GraphStore
from casec.vocab import (
    CASEC,
    DCAT,
    DCTERMS,
    FOAF,
    IANA_MEDIA_TYPES,
    ID,
    ONTOLOGY_IRI,
    PREFIXES,
    RDF,
    SD,
    VOID,
    XSD,
    sparql_prologue,
)

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
EXAMPLES = ("state/kazakhstan", "org/csto", "org/sco", "state/uzbekistan")
VOCABULARIES = (
    CASEC,
    PREFIXES["org"],
    PREFIXES["prov"],
    PREFIXES["oa"],
    PREFIXES["skos"],
    PREFIXES["dcterms"],
    PREFIXES["foaf"],
    PREFIXES["bibo"],
)
TITLE = "casec, the Central Asian security knowledge graph"
DESCRIPTION = (
    "Who belongs to the CSTO and the SCO, in which role and since when; which treaties bind whom; which threats "
    "each organization claims to fight; which exercises and operations happened. Every fact is a statement node "
    "carrying the verbatim quote, the source document and the line it stands on; each source's statements form a "
    "named graph of their own."
)

COUNTS = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
DISTINCT = """SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
  (COUNT(DISTINCT ?o) AS ?objects) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"""
ENTITIES = f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{ID}"))
}}"""
# every class anything in any graph is typed with (void:classes counts them all, not only casec's), with its
# instances: all of them (void:distinctSubjects) and those with an IRI (void:entities)
CLASSES = """SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) (COUNT(DISTINCT ?named) AS ?entities) WHERE {
  { ?s a ?class } UNION { GRAPH ?g { ?s a ?class } } BIND (IF(isIRI(?s), ?s, ?unbound) AS ?named)
} GROUP BY ?class ORDER BY ?class"""
SOURCES = (
    sparql_prologue()
    + """
SELECT ?source ?label ?title WHERE {
  ?source a casec:Source . OPTIONAL { ?source rdfs:label ?label } OPTIONAL { ?source dcterms:title ?title }
} ORDER BY ?source"""
)


# the prefixes the description is written with: casec's and those of the vocabularies it is written in
DESCRIPTION_PREFIXES = {**PREFIXES, "void": VOID, "dcat": DCAT, "sd": SD}


def void_document(quads: list[ox.Quad], fmt: RdfFormat) -> bytes:
    return serialize(quads, fmt, prefixes=DESCRIPTION_PREFIXES)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def void_quads(store: GraphStore, base: str) -> list[ox.Quad]:
    """The description, with the dumps and the endpoint at ``base`` (the server's public URL)."""
    triples: list[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        triples.append((s, _n(p), o))

    dataset = _n(f"{base}/void#casec")
    add(dataset, RDF + "type", _n(VOID + "Dataset"))
    add(dataset, RDF + "type", _n(DCAT + "Dataset"))
    add(dataset, DCTERMS + "title", _en(TITLE))
    add(dataset, DCTERMS + "description", _en(DESCRIPTION))
    add(dataset, DCTERMS + "license", _n(LICENCE))
    add(dataset, DCTERMS + "conformsTo", _n(ONTOLOGY_IRI))
    add(dataset, FOAF + "homepage", _n(f"{base}/"))
    add(dataset, DCAT + "landingPage", _n(f"{base}/"))
    for keyword in ("Central Asia", "security", "CSTO", "SCO", "international organizations", "membership"):
        add(dataset, DCAT + "keyword", _en(keyword))
    add(dataset, VOID + "uriSpace", ox.Literal(ID))
    for vocabulary in VOCABULARIES:
        add(dataset, VOID + "vocabulary", _n(vocabulary))
    for example in EXAMPLES:
        add(dataset, VOID + "exampleResource", _n(ID + example))
    add(dataset, VOID + "rootResource", _n(ONTOLOGY_IRI))

    split = split_dataset(store)
    default_count = int(next(iter(store.select(COUNTS, split)))["n"].value)
    graph_counts = [(row["g"].value, int(row["n"].value)) for row in store.select(GRAPH_COUNTS, split)]
    distinct = next(iter(store.select(DISTINCT, split)))
    entities = int(next(iter(store.select(ENTITIES, split)))["n"].value)
    add(dataset, VOID + "triples", _int(default_count + sum(n for _, n in graph_counts)))
    add(dataset, VOID + "entities", _int(entities))
    add(dataset, VOID + "distinctSubjects", _int(int(distinct["subjects"].value)))
    add(dataset, VOID + "properties", _int(int(distinct["properties"].value)))
    add(dataset, VOID + "distinctObjects", _int(int(distinct["objects"].value)))

    classes = list(store.select(CLASSES, split))
    add(dataset, VOID + "classes", _int(len(classes)))
    for row in classes:
        partition = ox.BlankNode()
        add(dataset, VOID + "classPartition", partition)
        add(partition, VOID + "class", row["class"])
        add(partition, VOID + "distinctSubjects", _int(int(row["instances"].value)))
        add(partition, VOID + "entities", _int(int(row["entities"].value)))

    # the default graph, and one subset per source: its named graph
    default = ox.BlankNode()
    add(dataset, VOID + "subset", default)
    add(default, RDF + "type", _n(VOID + "Dataset"))
    title = "default graph: the ontology, entities, source records and derived direct edges"
    add(default, DCTERMS + "title", _en(title))
    add(default, VOID + "triples", _int(default_count))
    titles = {row["source"].value: row for row in store.select(SOURCES)}
    for graph, count in graph_counts:
        subset = ox.BlankNode()
        add(dataset, VOID + "subset", subset)
        add(subset, RDF + "type", _n(VOID + "Dataset"))
        add(subset, RDF + "type", _n(SD + "NamedGraph"))
        add(subset, SD + "name", _n(graph))
        add(subset, DCTERMS + "source", _n(graph))
        add(subset, VOID + "triples", _int(count))
        row = titles.get(graph)
        if row is not None and row["label"] is not None:
            add(subset, DCTERMS + "title", row["label"])
    for source in titles:
        add(dataset, DCTERMS + "source", _n(source))

    endpoint = _n(f"{base}/sparql")
    add(dataset, VOID + "sparqlEndpoint", endpoint)
    service = _n(f"{base}/sparql#service")
    add(service, RDF + "type", _n(DCAT + "DataService"))
    add(service, DCTERMS + "title", _en("casec SPARQL 1.1 endpoint (read-only)"))
    add(service, DCAT + "endpointURL", endpoint)
    add(service, DCAT + "endpointDescription", endpoint)
    add(service, DCAT + "servesDataset", dataset)
    add(service, DCTERMS + "conformsTo", _n("https://www.w3.org/TR/sparql11-protocol/"))

    for fmt in FORMATS:
        url = _n(f"{base}/dump.{fmt.extension}")
        add(dataset, VOID + "dataDump", url)
        distribution = _n(f"{base}/dump.{fmt.extension}#distribution")
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF + "type", _n(DCAT + "Distribution"))
        add(distribution, DCAT + "downloadURL", url)
        add(distribution, DCAT + "accessURL", url)
        add(distribution, DCAT + "mediaType", _n(IANA_MEDIA_TYPES + fmt.media_type))
        add(distribution, DCTERMS + "license", _n(LICENCE))
        scope = "the whole dataset, one named graph per source" if fmt.quads else "the default graph"
        add(distribution, DCTERMS + "description", _en(f"{fmt.name}: {scope}"))
    panel = _n(f"{base}/export/memberships.csv")
    add(dataset, DCAT + "distribution", panel)
    add(panel, RDF + "type", _n(DCAT + "Distribution"))
    add(panel, DCAT + "downloadURL", panel)
    add(panel, DCAT + "mediaType", _n(IANA_MEDIA_TYPES + "text/csv"))
    add(panel, DCTERMS + "title", _en("membership panel: one row per state, organization and year (COW IGO coding)"))
    add(panel, DCTERMS + "license", _n(LICENCE))
    return [ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples]
