"""The ontology IRI ``https://w3id.org/casec/ontology`` resolves to ``/ontology``: HTML documentation
generated from ``ontology/`` by pyLODE (https://github.com/RDFLib/pyLODE) on first request, or the
ontology itself in Turtle (the file as written), JSON-LD, N-Triples or RDF/XML. Terms
(``…/ontology#State``) land on their anchors in the HTML (``/ontology#State``)."""

from __future__ import annotations

import logging
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, render_template

from casec.linked_data.serialization import serialize
from casec.vocab import ONTOLOGY_IRI
from casec.web.errors import ProtocolError
from casec.web.read_cache import cached
from casec.web.representations import HTML, OFFERED, answer_store_failures, choose, rdf_format, send
from casec.web.services import services

blueprint = Blueprint("ontology", __name__)
answer_store_failures(blueprint)
log = logging.getLogger("casec")
TURTLE = "text/turtle"


@blueprint.route("/ontology")
@blueprint.route("/ontology.<extension>")
def ontology(extension: str | None = None) -> Response:
    media_type = choose(extension)
    negotiated = extension is None
    if media_type == HTML:
        return send(cached("ontology.html", _documentation), HTML, negotiated=negotiated, path="/ontology")
    files = services().bundle.ontology_files()
    if media_type == TURTLE and len(files) == 1:
        body = files[0].read_bytes()  # the file as curated, comments included
    else:
        body = cached(f"ontology {media_type}", lambda: serialize(_quads(files), rdf_format(media_type)))
    return send(body, media_type, negotiated=negotiated, path="/ontology", offered=OFFERED)


@blueprint.route("/ontology/<version>")
def ontology_version(version: str) -> Response:
    """The version IRI (``owl:versionIRI``) of the current version answers like the ontology IRI."""
    query = f"SELECT ?v WHERE {{ <{ONTOLOGY_IRI}> <http://www.w3.org/2002/07/owl#versionInfo> ?v }}"
    current = {row["v"].value for row in services().store.select(query)}
    if version not in current:
        raise ProtocolError(404, f"no ontology version {version}; the current version is {', '.join(sorted(current))}")
    return ontology()


def _quads(files: list[Path]) -> list[ox.Quad]:
    quads = []
    for path in files:
        quads.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    return quads


def _documentation() -> str:
    try:
        from pylode import OntPub
        from rdflib import DCTERMS, RDF, RDFS, SKOS, Graph, URIRef

        graph = Graph()
        for path in services().bundle.ontology_files():
            graph.parse(path, format="turtle")
        # pyLODE's OntPub takes every skos:ConceptScheme in the file for the ontology itself and merges
        # their titles into one; the schemes (roles, modalities, threats) stay in the Turtle, not in the title
        for scheme in list(graph.subjects(RDF.type, SKOS.ConceptScheme)):
            if str(scheme) != ONTOLOGY_IRI:
                graph.remove((scheme, RDF.type, SKOS.ConceptScheme))
        # …and it takes rdfs:label for a second title: keep the one title (dcterms:title) where there is one
        ontology_iri = URIRef(ONTOLOGY_IRI)
        if (ontology_iri, DCTERMS.title, None) in graph:
            graph.remove((ontology_iri, RDFS.label, None))
        html = OntPub(graph).make_html()
    except Exception as error:  # pyLODE missing or failing must not take the server down
        log.exception("pyLODE could not document the ontology")
        raise ProtocolError(
            503,
            f"the ontology documentation could not be generated ({type(error).__name__}); "
            "the ontology itself is at /ontology.ttl",
        ) from None
    header = render_template("_ontology_header.html")
    return html.replace("<body>", "<body>\n" + header, 1)
