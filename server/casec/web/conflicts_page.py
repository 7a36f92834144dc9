"""``/conflicts``: where the sources disagree, one entry per disagreement (subject, relation and, for a
membership, organization), each claim once with its source and quotes; HTML, or JSON by ``format=json``,
an Accept header preferring ``application/json`` or ``/conflicts.json`` (the shape of ``casec conflicts
--format json``)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from casec.web.entity_view import disagreement_anchor
from casec.web.errors import ProtocolError
from casec.web.negotiation import negotiate
from casec.web.read_cache import disagreements
from casec.web.representations import HTML, answer_store_failures

blueprint = Blueprint("conflicts", __name__)
answer_store_failures(blueprint)
JSON = "application/json"


@blueprint.route("/conflicts")
@blueprint.route("/conflicts.<extension>")
def conflicts(extension: str | None = None) -> Response:
    wanted = extension or request.args.get("format") or ""
    if wanted not in ("", "json", "html"):
        raise ProtocolError(404 if extension else 400, "the disagreements come as HTML or JSON (/conflicts.json)")
    media_type = {"json": JSON, "html": HTML}.get(wanted) or negotiate(request.headers.get("Accept"), [HTML, JSON])
    if media_type is None:
        raise ProtocolError(406, "the disagreements come as text/html or application/json")
    found = disagreements()
    if media_type == JSON:
        response = jsonify(count=len(found), disagreements=[d.as_dict() for d in found])
    else:
        anchored = [(disagreement_anchor(d), d) for d in found]
        response = Response(render_template("conflicts.html", disagreements=anchored), mimetype=HTML)
    if not wanted:
        response.vary.add("Accept")
    return response
