"""``/id/<kind>/<slug>``: every casec IRI ``https://w3id.org/casec/id/<kind>/<slug>`` resolves here.

One URL, several representations: HTML for people (an entity page, a source page, a statement
page), Turtle, JSON-LD, N-Triples, RDF/XML, TriG and N-Quads for machines, by Accept header
(q-values honoured) or by extension (``.html``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``,
``.trig``, ``.nq``).

The extensionless URL answers directly (200) with the negotiated representation, ``Vary: Accept``
and ``Content-Location`` naming the variant's own URL, rather than with a 303 redirect to it. The
IRIs are already separated from the documents about them: the IRI is the w3id.org one, which
w3id redirects to this server, and the documents are the extension URLs. A second redirect would
cost clients a round trip and give them nothing more (see README, "Linked data").

An unknown IRI gets a 404 that suggests the entities with the closest names.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from casec.linked_data.describe import SAFE_IRI, document, exists
from casec.vocab import ID
from casec.web.entity_view import entity_view
from casec.web.errors import ProtocolError
from casec.web.links import term_url
from casec.web.negotiation import negotiate
from casec.web.read_cache import label_index, label_of
from casec.web.representations import HTML, answer_store_failures, choose, rdf_format, send
from casec.web.services import services
from casec.web.source_view import source_view
from casec.web.statement_view import statement_view

blueprint = Blueprint("resources", __name__)
answer_store_failures(blueprint)
KINDS = (
    "state", "org", "body", "agreement", "initiative", "event", "threat", "person", "post", "place", "source",
    "statement", "period",  # period: derived by the time model (docs/time-model.md)
)  # fmt: skip


@blueprint.app_template_filter("label")
def _label(iri: str) -> str:
    return label_of(iri)


@blueprint.app_template_filter("short")
def _short(label: str) -> str:
    """A source's short name: ``"Rauf and Saud 2020, Prospects of …"`` → ``"Rauf and Saud 2020"``."""
    return label.split(",", 1)[0]


@blueprint.route("/id/<kind>/<name>")
def resource(kind: str, name: str) -> Response | tuple[str, int]:
    slug, dot, extension = name.partition(".")
    iri = f"{ID}{kind}/{slug}"
    if kind not in KINDS or not SAFE_IRI.match(iri) or not exists(services().store, iri):
        return not_found(kind, slug)
    media_type = choose(extension if dot else None)
    path = f"/id/{kind}/{slug}"
    if media_type == HTML:
        return send(_html(kind, iri), HTML, negotiated=not dot, path=path)
    body = document(services().store, iri, rdf_format(media_type))
    return send(body, media_type, negotiated=not dot, path=path)


def _html(kind: str, iri: str) -> str:
    if kind == "source":
        return render_template("source.html", source=source_view(iri))
    if kind == "statement":
        return render_template("statement.html", statement=statement_view(iri))
    return render_template("entity.html", entity=entity_view(iri))


@blueprint.route("/id/<kind>/")
def kind_index(kind: str) -> str | Response | tuple[str, int]:
    if kind not in KINDS:
        return not_found(kind, "")
    prefix = f"{ID}{kind}/"
    query = f'SELECT DISTINCT ?x WHERE {{ ?x a ?type . FILTER (STRSTARTS(STR(?x), "{prefix}")) }}'
    members = sorted(
        ((row["x"].value, label_of(row["x"].value)) for row in services().store.select(query)),
        key=lambda item: (item[1].casefold(), item[0]),
    )
    return render_template("kind_index.html", kind=kind, members=members)


def not_found(kind: str, slug: str) -> Response | tuple[str, int]:
    """404, with the entities whose slugs or names come closest."""
    suggestions = label_index().suggestions(slug, kind if kind in KINDS else None) if slug else []
    wanted = f"{ID}{kind}/{slug}"
    if negotiate(request.headers.get("Accept"), [HTML, "text/plain"]) == HTML:
        return render_template("not_found.html", wanted=wanted, suggestions=suggestions), 404
    lines = [f"no resource {wanted}"]
    if suggestions:
        lines.append("did you mean: " + ", ".join(f"{term_url(h.iri)} ({h.label})" for h in suggestions))
    raise ProtocolError(404, "\n".join(lines))
