"""``/`` (what the graph holds, and the query editor), ``/openapi.json`` and ``/healthz``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, render_template, url_for

from casec.bundle import Bundle
from casec.facts.stats import class_counts, source_counts
from casec.vocab import sparql_prologue
from casec.web.openapi import openapi_document
from casec.web.services import services

blueprint = Blueprint("home", __name__)


@dataclass(frozen=True)
class Example:
    name: str
    question: str
    text: str


def examples(bundle: Bundle) -> list[Example]:
    """The bundled ``queries/*.rq``; the first line of each is a comment stating its question."""
    found = []
    for path in sorted(bundle.queries.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        found.append(Example(path.stem, first.lstrip("# ").strip() or path.stem, text))
    return found


@blueprint.route("/")
def index() -> str:
    app = services()
    listed = examples(app.bundle)
    default_query = (
        sparql_prologue()
        + "\nSELECT ?org ?label WHERE {\n  ?org a casec:InternationalOrganization ; rdfs:label ?label .\n} LIMIT 50\n"
    )
    endpoint = url_for("sparql.endpoint", _external=True)
    return render_template(
        "home.html",
        triples=len(app.store) if hasattr(app.store, "__len__") else "",
        classes=class_counts(app.store),
        sources=source_counts(app.store),
        examples=listed,
        endpoint=endpoint,
        default_query=default_query,
        editor_config={
            "endpoint": endpoint,
            "defaultQuery": default_query,
            "examples": {example.name: example.text for example in listed},
        },
    )


@blueprint.route("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document(url_for("home.index", _external=True).rstrip("/")))


@blueprint.route("/healthz")
def healthz() -> Response:
    """Liveness, the store's reachability and the version of the data it serves."""
    app = services()
    kind = type(app.store).__name__
    try:
        app.store.ask("ASK {}")  # raises StoreUnavailable when the store is out of reach
        reachable = True
        version = app.store.data_version()
        graphs = len(app.store.graph_names())
    except Exception as error:
        body = {"status": "unavailable", "store": kind, "reachable": False, "error": str(error)[:300]}
        return Response(json.dumps(body), 503, mimetype="application/json")
    return jsonify(status="ok", store=kind, reachable=reachable, data_version=version, graphs=graphs)
