"""``/search?q=``: entities by any name in any language, ranked (see :mod:`casec.search`), as HTML or JSON.

JSON by ``format=json`` or by an Accept header preferring ``application/json``; ``limit`` (1-100,
default 20) and ``kind`` (``state``, ``org``, …) narrow the answer."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from casec.web.errors import ProtocolError
from casec.web.links import term_url
from casec.web.negotiation import negotiate
from casec.web.read_cache import label_index
from casec.web.representations import HTML, answer_store_failures

blueprint = Blueprint("search", __name__)
answer_store_failures(blueprint)
JSON = "application/json"
LONGEST_QUERY = 200


@blueprint.route("/search")
def search() -> Response | str:
    query = request.args.get("q", "")
    if len(query) > LONGEST_QUERY:
        raise ProtocolError(400, f"the query is longer than {LONGEST_QUERY} characters")
    try:
        limit = int(request.args.get("limit", "20"))
    except ValueError:
        raise ProtocolError(400, "limit must be a whole number from 1 to 100") from None
    if not 1 <= limit <= 100:
        raise ProtocolError(400, "limit must be a whole number from 1 to 100")
    kind = request.args.get("kind") or None
    hits = label_index().search(query, limit=limit, kind=kind)
    wanted = request.args.get("format")
    if wanted not in (None, "", "json", "html"):
        raise ProtocolError(400, "format must be json or html")
    media_type = {"json": JSON, "html": HTML}.get(wanted or "")
    media_type = media_type or negotiate(request.headers.get("Accept"), [HTML, JSON])
    if media_type == JSON:
        response = jsonify(
            query=query,
            count=len(hits),
            results=[{**hit.as_dict(), "url": term_url(hit.iri)} for hit in hits],
        )
    else:
        response = Response(render_template("search.html", query=query, hits=hits), mimetype=HTML)
    if not wanted:
        response.vary.add("Accept")
    return response
