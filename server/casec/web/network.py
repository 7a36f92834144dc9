"""The network of who is linked to whom over HTTP: exports (``/graph.json|graphml|gexf|csv``), paths with
their evidence (``/graph/path``), neighbourhoods (``/graph/ego/<kind>/<slug>``), centralities and communities
(``/graph/metrics``), and two pages: the interactive ``/network`` and the membership ``/timeline``.

Every view takes the same filters as query parameters: ``year`` (as of that year), ``relations`` (comma-separated
or repeated), ``organization`` and ``source``.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template, request

from casec.network import RELATIONS, FilterError, Filters, NetworkCache, parse_filters
from casec.network.analysis import METRIC_COLUMNS, ego, shortest_paths
from casec.network.exports import FORMATS, render, rows_csv
from casec.network.filter_parsing import resolve_entity
from casec.network.model import NetworkModel
from casec.network.opening import opening_filters
from casec.network.relations import NODE_TYPES
from casec.network.timeline import build_timeline
from casec.vocab import ID
from casec.web.entity_view import disagreement_anchor
from casec.web.errors import ProtocolError
from casec.web.read_cache import disagreements, periods, statement_counts
from casec.web.sentences import name_with_article, short_name
from casec.web.services import services

blueprint = Blueprint("network", __name__)

_EXTENSION = "casec.network"
_JSON = "application/json"


def network_cache() -> NetworkCache:
    """The app's network cache (made on first use; rebuilt inside when the data changes)."""
    cache: NetworkCache | None = current_app.extensions.get(_EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(_EXTENSION, NetworkCache(services().store))
    return cache


def _model_and_filters() -> tuple[NetworkCache, NetworkModel, Filters]:
    cache = network_cache()
    model = cache.model()
    args = request.args
    try:
        filters = parse_filters(
            model,
            year=args.get("year"),
            relations=args.getlist("relations") or args.getlist("relation"),
            organization=args.getlist("organization"),
            sources=args.getlist("source"),
        )
    except FilterError as error:
        raise ProtocolError(error.status, error.message) from None
    return cache, model, filters


def _entity(model: NetworkModel, text: str | None, what: str) -> str:
    if not text:
        raise ProtocolError(400, f"the '{what}' parameter is required: an entity IRI such as {ID}state/pakistan")
    try:
        return resolve_entity(model, text, what)
    except FilterError as error:
        raise ProtocolError(error.status, error.message) from None


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes", "on")


def _download(body: str | bytes, fmt: str, stem: str, filters: Filters) -> Response:
    response = Response(body, mimetype=FORMATS[fmt])
    if fmt != "json":
        suffix = f"-{filters.year}" if filters.year is not None else ""
        response.headers["Content-Disposition"] = f'attachment; filename="{stem}{suffix}.{fmt}"'
    return response


@blueprint.route("/graph.<fmt>")
def graph_export(fmt: str) -> Response:
    if fmt not in FORMATS:
        raise ProtocolError(404, f"no such export /graph.{fmt}; formats: {', '.join(FORMATS)}")
    cache, model, filters = _model_and_filters()
    return _download(render(cache.view(filters), fmt, model, _flag("evidence")), fmt, "casec-network", filters)


@blueprint.route("/graph/path")
def graph_path() -> Response:
    cache, model, filters = _model_and_filters()
    start = _entity(model, request.args.get("from"), "from")
    end = _entity(model, request.args.get("to"), "to")
    try:
        limit = int(request.args.get("limit", "5"))
    except ValueError:
        raise ProtocolError(400, "limit must be a whole number from 1 to 50") from None
    if not 1 <= limit <= 50:
        raise ProtocolError(400, "limit must be a whole number from 1 to 50")
    graph = cache.view(filters)
    paths = shortest_paths(graph, model, start, end, limit)
    missing = [model.nodes[n].label for n in (start, end) if n not in graph]
    body = {
        "from": {"iri": start, "label": model.nodes[start].label},
        "to": {"iri": end, "label": model.nodes[end].label},
        "filters": filters.as_params(),
        "connected": bool(paths),
        "length": paths[0]["length"] if paths else None,
        "paths": paths,
    }
    if missing:
        body["note"] = f"{' and '.join(missing)} has no link in this view (year, relations, organization, source)"
    elif not paths:
        body["note"] = "no chain of links connects them in this view"
    return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype=_JSON)


@blueprint.route("/graph/ego/<kind>/<slug>")
def graph_ego(kind: str, slug: str) -> Response:
    cache, model, filters = _model_and_filters()
    center = ID + f"{kind}/{slug}"
    if center not in model.nodes:
        raise ProtocolError(
            404, f"{center} is not a node of the network (states, organizations, bodies, persons, events)"
        )
    radius_text = request.args.get("radius", "1")
    if radius_text not in ("1", "2"):
        raise ProtocolError(400, f"radius must be 1 or 2, not {radius_text!r}")
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise ProtocolError(400, f"format must be one of {', '.join(FORMATS)}")
    graph = cache.view(filters)
    neighbourhood = ego(graph, center, int(radius_text))
    if center not in neighbourhood:
        neighbourhood.add_node(center, **model.node_attributes(center))
    neighbourhood.graph.update(center=center, radius=int(radius_text))
    if fmt != "json":
        return _download(render(neighbourhood, fmt), fmt, f"casec-ego-{slug}", filters)
    return _download(render(neighbourhood, "json", model, evidence=True), "json", "", filters)


def _metrics_response(fmt: str) -> Response:
    cache, _, filters = _model_and_filters()
    found = cache.metrics(filters)
    if fmt == "csv":
        return _download(rows_csv(found["metrics"], METRIC_COLUMNS), "csv", "casec-metrics", filters)
    body = {"filters": filters.as_params(), **found}
    return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype=_JSON)


@blueprint.route("/graph/metrics")
def graph_metrics() -> Response:
    fmt = request.args.get("format")
    if fmt is None:
        best = request.accept_mimetypes.best_match([_JSON, "text/csv"], default=_JSON)
        fmt = "csv" if best == "text/csv" else "json"
    if fmt not in ("json", "csv"):
        raise ProtocolError(400, "format must be json or csv")
    return _metrics_response(fmt)


@blueprint.route("/graph/metrics.<fmt>")
def graph_metrics_as(fmt: str) -> Response:
    if fmt not in ("json", "csv"):
        raise ProtocolError(404, "metrics come as /graph/metrics.json or /graph/metrics.csv")
    return _metrics_response(fmt)


@blueprint.route("/network")
def network_page() -> str:
    cache, model, filters = _model_and_filters()
    counts = statement_counts()
    opened = cache.memo(("opening",), lambda m: opening_filters(m, counts))
    opening = not request.args
    if opening:  # no filters asked for: a readable view to widen from (network/opening.py)
        filters = opened
    first, last = model.years
    organizations = sorted(
        (iri for iri, node in model.nodes.items() if node.type == "organization"),
        key=lambda iri: (-counts.get(iri, 0), model.label(iri)),
    )
    config = {
        "relations": [
            {
                "name": r.name,
                "label": r.label,
                "directed": r.directed,
                "default": r.default,
                "description": r.description,
            }
            for r in RELATIONS.values()
        ],
        "nodeTypes": list(NODE_TYPES),
        "years": [first, last],
        "year": filters.year,
        "recentYear": opened.year,
        "selected": sorted(filters.relations),
        "organizations": sorted(filters.organizations),
        "sources": sorted(filters.sources),
        "opening": opening,
        "endpoints": {"graph": "/graph.json", "ego": "/graph/ego/", "metrics": "/graph/metrics"},
        "idBase": ID,
    }
    rank = {iri: index for index, iri in enumerate(organizations)}
    names = [name_with_article(o) for o in sorted(filters.organizations, key=lambda o: rank.get(o, len(rank)))]
    chosen_names = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return render_template(
        "network.html",
        config=config,
        relations=RELATIONS.values(),
        years=(first, last),
        organizations=[(iri, model.label(iri), short_name(iri)) for iri in organizations],
        chosen=",".join(sorted(filters.organizations)),
        chosen_names=chosen_names,
    )


@blueprint.route("/timeline")
def timeline_page() -> str:
    cache = network_cache()
    model = cache.model()
    try:
        organizations = tuple(
            sorted(resolve_entity(model, o, "organization") for o in request.args.getlist("organization") if o)
        )
        states = tuple(sorted(resolve_entity(model, s, "state") for s in request.args.getlist("state") if s))
    except FilterError as error:
        raise ProtocolError(error.status, error.message) from None
    known, counts = periods(), statement_counts()
    timeline = cache.memo(
        ("timeline", organizations, states), lambda m: build_timeline(m, known, counts, organizations, states)
    )
    shown = {(r.member, s.organization) for s in timeline.organizations for r in s.rows}
    found = [d for d in disagreements() if d.organization and (d.subject, d.organization) in shown]
    return render_template(
        "timeline.html",
        timeline=timeline,
        disagreements=[(disagreement_anchor(d), d) for d in found],
        filtered=bool(organizations or states),
    )
