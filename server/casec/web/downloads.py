"""The whole dataset to take away: ``/dump.<ext>``, ``/context.jsonld``, ``/void`` (VoID and DCAT) and
``/export/memberships.csv`` (the membership panel). Each is built once per app from the store and kept."""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Response, render_template

from casec.facts.membership_panel import to_csv
from casec.linked_data.dumps import dump
from casec.linked_data.serialization import BY_EXTENSION, FORMATS, json_ld_context
from casec.linked_data.void import DESCRIPTION, void_document, void_quads
from casec.vocab import VOID
from casec.web.errors import ProtocolError
from casec.web.read_cache import cached, panel_rows
from casec.web.representations import HTML, answer_store_failures, choose, public_base, rdf_format, send
from casec.web.services import services

blueprint = Blueprint("downloads", __name__)
answer_store_failures(blueprint)


@blueprint.route("/dump.<extension>")
def dump_file(extension: str) -> Response:
    fmt = BY_EXTENSION.get(extension)
    if fmt is None:
        available = ", ".join(f"/dump.{f.extension}" for f in FORMATS)
        raise ProtocolError(404, f"no dump with that extension; available: {available}")
    body = cached(f"dump.{extension}", lambda: dump(services().store, fmt))
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Content-Disposition"] = f'inline; filename="casec.{extension}"'
    return response


@blueprint.route("/context.jsonld")
def context() -> Response:
    response = Response(json.dumps(json_ld_context(), indent=2), mimetype="application/ld+json")
    return response


@blueprint.route("/void")
@blueprint.route("/void.<extension>")
def void(extension: str | None = None) -> Response:
    media_type = choose(extension)
    base = public_base()
    quads = cached(f"void {base}", lambda: void_quads(services().store, base))
    if media_type == HTML:
        return send(
            render_template("void.html", description=DESCRIPTION, counts=_counts(quads), base=base, formats=FORMATS),
            HTML,
            negotiated=extension is None,
            path="/void",
        )
    body = void_document(quads, rdf_format(media_type))
    return send(body, media_type, negotiated=extension is None, path="/void")


def _counts(quads: list[ox.Quad]) -> dict[str, object]:
    """The figures the HTML view shows, read back from the description itself."""
    dataset = ox.NamedNode(f"{public_base()}/void#casec")
    literals = {(q.subject, q.predicate.value): q.object.value for q in quads if isinstance(q.object, ox.Literal)}
    subsets = {q.object for q in quads if q.predicate.value == VOID + "subset"}
    names = {
        q.subject: q.object.value
        for q in quads
        if q.subject in subsets and q.predicate.value.endswith("#name") and isinstance(q.object, ox.NamedNode)
    }
    triples = VOID + "triples"
    graphs = {name: int(literals[(s, triples)]) for s, name in names.items() if (s, triples) in literals}
    return {
        "triples": literals.get((dataset, triples), ""),
        "entities": literals.get((dataset, VOID + "entities"), ""),
        "graphs": sorted(graphs.items()),
    }


@blueprint.route("/export/memberships.csv")
def memberships_csv() -> Response:
    body = cached("panel.csv", lambda: to_csv(services().store, panel_rows()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'inline; filename="casec-memberships.csv"'
    return response
