"""The ontology IRI ``https://w3id.org/casec/ontology`` resolves to ``/ontology``: HTML documentation
generated from ``ontology/`` by pyLODE (https://github.com/RDFLib/pyLODE), or the ontology itself in
Turtle (the file as written), JSON-LD, N-Triples or RDF/XML.

Every term's IRI fragment resolves on the page: ``…/ontology#InternationalOrganization`` lands on
``/ontology#InternationalOrganization``. pyLODE names its anchors after labels (``Internationalorganization``)
unless told otherwise, so it is told each term's local name; the terms it gives no section of their own (the
concept schemes and their values: roles, modalities, end kinds, activity states) get one from casec,
"Controlled values".

The page is generated once, as the app is built: gunicorn forks its workers after that, so no worker pays
for it on a first request (it took 11 s under load when each worker generated it on first use).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app
from jinja2 import Environment

from casec.bundle import Bundle
from casec.linked_data.serialization import serialize
from casec.vocab import CASEC, ONTOLOGY_IRI, OWL
from casec.web.errors import ProtocolError
from casec.web.read_cache import cached
from casec.web.representations import HTML, OFFERED, answer_store_failures, choose, rdf_format, send
from casec.web.services import services, services_of

blueprint = Blueprint("ontology", __name__)
answer_store_failures(blueprint)
log = logging.getLogger("casec")
TURTLE = "text/turtle"
DOCUMENTATION = "casec.ontology_html"


@blueprint.route("/ontology")
@blueprint.route("/ontology.<extension>")
def ontology(extension: str | None = None) -> Response:
    media_type = choose(extension)
    negotiated = extension is None
    if media_type == HTML:
        return send(_generated(), HTML, negotiated=negotiated, path="/ontology")
    files = services().bundle.ontology_files()
    if media_type == TURTLE and len(files) == 1:
        body = files[0].read_bytes()  # the file as curated, comments included
    else:
        body = cached(f"ontology {media_type}", lambda: serialize(_quads(files), rdf_format(media_type)))
    return send(body, media_type, negotiated=negotiated, path="/ontology", offered=OFFERED)


@blueprint.route("/ontology/<version>")
def ontology_version(version: str) -> Response:
    """The version IRI (``owl:versionIRI``) of the current version answers like the ontology IRI."""
    query = f"SELECT ?v WHERE {{ <{ONTOLOGY_IRI}> <{OWL}versionInfo> ?v }}"
    current = {row["v"].value for row in services().store.select(query)}
    if version not in current:
        raise ProtocolError(404, f"no ontology version {version}; the current version is {', '.join(sorted(current))}")
    return ontology()


def _quads(files: list[Path]) -> list[ox.Quad]:
    quads: list[ox.Quad] = []
    for path in files:
        quads.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    return quads


def prepare(app: Flask) -> None:
    """Generate the documentation of ``app``'s bundle, once; a failure is logged, and /ontology answers 503."""
    app.extensions[DOCUMENTATION] = _documentation(services_of(app).bundle, app.jinja_env)


def _generated() -> str:
    html: str | None = current_app.extensions.get(DOCUMENTATION)
    if html is None:
        raise ProtocolError(
            503, "the ontology documentation could not be generated; the ontology itself is at /ontology.ttl"
        )
    return html


@contextlib.contextmanager
def _root_logger_untouched() -> Iterator[None]:
    """pyLODE calls ``logging.basicConfig(level=DEBUG)`` on import and logs INFO lines to the root logger; the
    server's log is no place for them, nor for the DEBUG lines every other library would then write."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def _documentation(bundle: Bundle, templates: Environment) -> str | None:
    try:
        from rdflib import DCTERMS, RDF, RDFS, SKOS, Graph, URIRef

        with _root_logger_untouched():
            from pylode import OntPub

        graph = Graph()
        for path in bundle.ontology_files():
            graph.parse(path, format="turtle")
        terms = _terms(graph)
        # pyLODE's OntPub takes every skos:ConceptScheme in the file for the ontology itself and merges
        # their titles into one; the schemes (roles, modalities, threats) stay in the Turtle, not in the title
        for scheme in list(graph.subjects(RDF.type, SKOS.ConceptScheme)):
            if str(scheme) != ONTOLOGY_IRI:
                graph.remove((scheme, RDF.type, SKOS.ConceptScheme))
        # …and it takes rdfs:label for a second title: keep the one title (dcterms:title) where there is one
        ontology_iri = URIRef(ONTOLOGY_IRI)
        if (ontology_iri, DCTERMS.title, None) in graph:
            graph.remove((ontology_iri, RDFS.label, None))
        with _root_logger_untouched():
            publication = OntPub(graph)
            publication.fids.update({term.iri: term.local for term in terms})  # anchors: the IRIs' fragments
            html: str = publication.make_html()
    except Exception:  # pyLODE missing or failing must not take the server down
        log.exception("pyLODE could not document the ontology")
        return None
    anchored = set(re.findall(r'\bid="([^"]+)"', html))
    values = templates.get_template("_ontology_values.html").render(
        terms=[term for term in terms if term.local not in anchored], labels={t.local: t.label for t in terms}
    )
    html = html.replace('<div id="namespaces">', values + '\n<div id="namespaces">', 1)
    header = templates.get_template("_ontology_header.html").render()
    return html.replace("<body>", "<body>\n" + header, 1)


@dataclass
class _Term:
    iri: str
    label: str
    comment: str = ""
    types: list[str] = field(default_factory=list)  # local names of the casec classes it is an instance of
    schemes: list[str] = field(default_factory=list)  # … of the schemes it is in
    members: list[str] = field(default_factory=list)  # for a scheme: the local names of its values

    @property
    def local(self) -> str:
        return self.iri[len(CASEC) :]


def _terms(graph: Any) -> list[_Term]:
    """Every term the ontology defines in casec's namespace, with what the values section shows of it."""
    from rdflib import RDF, RDFS, SKOS, Literal, URIRef

    def text(subject: URIRef, *predicates: URIRef) -> str:
        for predicate in predicates:
            values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
            english = [v for v in values if v.language in (None, "en")]
            if values:
                return str((english or values)[0])
        return ""

    def local_names(iris: Iterator[Any]) -> list[str]:
        return sorted(str(i)[len(CASEC) :] for i in iris if str(i).startswith(CASEC))

    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(CASEC)})
    return [
        _Term(
            str(subject),
            text(subject, RDFS.label, SKOS.prefLabel) or str(subject)[len(CASEC) :],
            text(subject, RDFS.comment, SKOS.definition),
            local_names(graph.objects(subject, RDF.type)),
            local_names(graph.objects(subject, SKOS.inScheme)),
            local_names(graph.subjects(SKOS.inScheme, subject)),
        )
        for subject in subjects
        if str(subject) != CASEC
    ]
