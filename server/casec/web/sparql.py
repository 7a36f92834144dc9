"""``/sparql``: the SPARQL 1.1 Protocol endpoint (query operation only; this endpoint is read-only).

https://www.w3.org/TR/sparql11-protocol/ — query by GET, by POST form and by
POST ``application/sparql-query``; the dataset by ``default-graph-uri`` and
``named-graph-uri``; the result format by content negotiation or ``format=``. HEAD answers as GET does,
without the body.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, request, url_for
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as AnyResponse  # flask's Response and redirect()'s answer are both one

from casec.linked_data.service_description import SD_FORMATS, service_description
from casec.sparql.guard import check_graphs, check_query
from casec.sparql.result_formats import ResultFormat, by_media_type, by_name, offered_media_types
from casec.sparql.runner import QueryJob
from casec.store.interface import Scope
from casec.web.errors import ProtocolError
from casec.web.services import services

blueprint = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> AnyResponse:
    if request.method in ("GET", "HEAD"):  # Flask answers HEAD with this view and drops the body
        if "update" in request.args:
            raise ProtocolError(403, "SPARQL Update is not accepted: this endpoint is read-only")
        if "query" not in request.args:
            _graph_params("default-graph-uri") + _graph_params("named-graph-uri")  # malformed ones are a 400 still
            return _describe_service()
        return _answer(_single(request.args.getlist("query"), "query"))
    media_type = request.mimetype
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"the request body must be UTF-8 (the SPARQL Protocol requires it), not {charset}")
    if media_type == FORM:
        form = _form()
        if "update" in form:
            raise ProtocolError(403, "SPARQL Update is not accepted: this endpoint is read-only")
        if "query" not in form:
            raise ProtocolError(400, "a form-encoded POST must carry the query in a 'query' field")
        return _answer(_single(form.getlist("query"), "query"))
    if media_type == SPARQL_QUERY:
        return _answer(_body_text())
    if media_type == SPARQL_UPDATE:
        raise ProtocolError(403, "SPARQL Update is not accepted: this endpoint is read-only")
    if not media_type:
        raise ProtocolError(
            400, f"a POST to /sparql needs a Content-Type: {FORM} (query=...) or {SPARQL_QUERY} (the query as the body)"
        )
    raise ProtocolError(415, f"unsupported Content-Type {media_type}: use {FORM} or {SPARQL_QUERY}")


def _answer(sparql: str) -> Response:
    app = services()
    checked = check_query(sparql, base_iri=request.base_url)
    result_format = _negotiate(checked.form)
    default_graphs = _graph_params("default-graph-uri")
    named_graphs = _graph_params("named-graph-uri")
    # Graphs named by the protocol are looked up in the dataset (one it does not hold is empty), never
    # fetched; the protocol's dataset replaces the query's FROM clauses, else those must name held graphs.
    protocol_dataset = bool(default_graphs or named_graphs)
    if checked.has_dataset_clause and not protocol_dataset:
        check_graphs(checked.dataset_graphs, app.store.graph_names(), "FROM / FROM NAMED")
    scope = Scope(
        default_graphs=default_graphs if protocol_dataset else None,
        named_graphs=named_graphs if protocol_dataset else None,
        union_default_graph=not checked.has_dataset_clause,
        base_iri=request.base_url,
    )
    job = QueryJob(sparql, checked.form, result_format.name, scope, column_order=checked.star_variables)
    body = app.runner.run(job)
    response = Response(body, mimetype=result_format.media_type)
    response.vary.add("Accept")
    return response


def _negotiate(form: str | None) -> ResultFormat:
    """The first ``format=`` value that names a format for this query wins over Accept; one that names a format
    only other queries have (``format=turtle`` for a SELECT) is a 406. Any other value is ignored, not refused:
    clients send names of their own (SPARQLWrapper sends ``format=rdf+xml`` and ``format=n3`` along with an
    Accept header that says the same in media types). Then the Accept header, q-values honoured; 406 when
    nothing acceptable exists."""
    names = _params("format")
    for name in names:
        if chosen := by_name(form, name):
            return chosen
    for name in names:
        if by_name("SELECT", name) or by_name("CONSTRUCT", name):
            raise ProtocolError(406, f"format={name} is not available for a {form or 'this'} query")
    offered = offered_media_types(form)
    accept = request.accept_mimetypes
    if not accept:
        return by_media_type(form, offered[0])
    match = accept.best_match(offered)
    if match is None:
        raise ProtocolError(
            406,
            f"none of the acceptable media types can be produced for a {form or 'this'} query; available: "
            + ", ".join(offered[:4]),
        )
    return by_media_type(form, match)


def _describe_service() -> AnyResponse:
    accept = request.accept_mimetypes
    offered = ["text/turtle", *SD_FORMATS, "text/html"]
    best = accept.best_match(offered) if accept else "text/turtle"
    if best == "text/html":
        return redirect(url_for("home.index"), code=303)
    if best is None:
        raise ProtocolError(406, "the service description is available as " + ", ".join(offered))
    endpoint_url = (
        (services().settings.base_url.rstrip("/") + "/sparql") if services().settings.base_url else request.base_url
    )
    response = Response(service_description(endpoint_url, services().store.graph_names(), best), mimetype=best)
    response.vary.add("Accept")
    return response


def _form() -> ImmutableMultiDict[str, str]:
    try:
        return request.form
    except HTTPException:
        raise
    except (UnicodeDecodeError, ValueError) as error:
        raise ProtocolError(400, f"the form body could not be read: {error}") from None


def _body_text() -> str:
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"the query is not valid UTF-8: {error}") from None


def _single(values: list[str], name: str) -> str:
    if len(values) != 1:
        raise ProtocolError(400, f"exactly one '{name}' parameter is allowed, got {len(values)}")
    return values[0]


def _graph_params(name: str) -> list[str]:
    """default-graph-uri and named-graph-uri values: absolute IRIs (RFC 3987), as the engine reads them."""
    values = _params(name)
    for value in values:
        try:
            ox.NamedNode(value)
        except (ValueError, UnicodeError) as error:
            raise ProtocolError(400, f"{name} must be an absolute IRI, not {value!r}: {error}") from None
    return values


def _params(name: str) -> list[str]:
    values = request.args.getlist(name)
    if request.method == "POST" and request.mimetype == FORM:
        values += request.form.getlist(name)
    return values
