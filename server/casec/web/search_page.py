"""``/search?q=``: entities by any of their names (:mod:`casec.facts.search`) and the passages the statements
quote (:mod:`casec.facts.passages`), ranked, the matched words marked, as HTML or JSON.

JSON by ``format=json`` or by an Accept header preferring ``application/json``; ``limit`` (1-100, default 20)
caps each list; ``kind`` (``state``, ``org``, …) narrows the entities (and leaves the passages out)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from casec.facts.passages import LONGEST, PassageHit, PassageIndex
from casec.web.errors import ProtocolError
from casec.web.links import term_url
from casec.web.negotiation import negotiate
from casec.web.read_cache import cached, label_index, label_of
from casec.web.representations import HTML, answer_store_failures
from casec.web.services import services

blueprint = Blueprint("search", __name__)
answer_store_failures(blueprint)
JSON = "application/json"


def passage_index() -> PassageIndex:
    """This process's passage index, rebuilt when the store's data version changes."""
    return cached("passage_index", lambda: PassageIndex.build(services().store))


@blueprint.route("/search")
def search() -> Response | str:
    query = request.args.get("q", "")
    if len(query) > LONGEST:
        raise ProtocolError(400, f"the query is longer than {LONGEST} characters")
    try:
        limit = int(request.args.get("limit", "20"))
    except ValueError:
        raise ProtocolError(400, "limit must be a whole number from 1 to 100") from None
    if not 1 <= limit <= 100:
        raise ProtocolError(400, "limit must be a whole number from 1 to 100")
    kind = request.args.get("kind") or None
    wanted = request.args.get("format")
    if wanted not in (None, "", "json", "html"):
        raise ProtocolError(400, "format must be json or html")
    hits = label_index().search(query, limit=limit, kind=kind)
    passages = passage_index().search(query, limit=limit) if not kind else None
    media_type = {"json": JSON, "html": HTML}.get(wanted or "")
    media_type = media_type or negotiate(request.headers.get("Accept"), [HTML, JSON])
    if media_type == JSON:
        body = {"query": query, "count": len(hits), "results": [{**h.as_dict(), "url": term_url(h.iri)} for h in hits]}
        if passages is not None:
            body["passages"] = {
                "count": passages.total,
                "partialCount": passages.partial_total,
                "results": [passage_json(p) for p in passages.passages],
            }
        response = jsonify(body)
    else:
        page = render_template("search.html", query=query, hits=hits, passages=passages, kind=kind)
        response = Response(page, mimetype=HTML)
    if not wanted:
        response.vary.add("Accept")
    return response


def passage_json(passage: PassageHit) -> dict[str, object]:
    return {
        "quote": passage.quote,
        "marks": [list(mark) for mark in passage.marks],
        "allWords": passage.all_words,
        "score": passage.score,
        "source": passage.source,
        "sourceLabel": label_of(passage.source),
        "line": passage.line,
        "url": f"{term_url(passage.source)}#line-{passage.line}",
        "facts": [
            {
                "statement": fact.statement,
                "url": term_url(fact.statement),
                **_term("subject", fact.subject, True),
                **_term("relation", fact.relation, True),
                **_term("object", fact.object, fact.object_is_iri),
            }
            for fact in passage.facts
        ],
    }


def _term(name: str, value: str, is_iri: bool) -> dict[str, str]:
    if not value:
        return {}
    if not is_iri:
        return {name: value}
    return {name: value, name + "Label": label_of(value), name + "Url": term_url(value)}
