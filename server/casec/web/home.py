"""``/``: what people come for first — search names and passages, the questions researchers ask most as
one-click entries, the sources, the editor one click away — then what the graph holds. Also ``/openapi.json``
and ``/healthz``."""

from __future__ import annotations

import json
from collections.abc import Sized
from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, render_template, url_for

from casec.facts.stats import class_counts, source_counts
from casec.vocab import sparql_prologue
from casec.web.openapi import openapi_document
from casec.web.read_cache import cached
from casec.web.services import services

blueprint = Blueprint("home", __name__)

# the states and the organizations that memberships name (?side), with how many membership statements name each
MEMBERSHIP_PARTIES = (
    sparql_prologue()
    + """
SELECT ?side ?party ?label (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m a casec:Membership ; org:member ?state ; org:organization ?organization .
  ?state a casec:State . ?organization a casec:InternationalOrganization .
  VALUES ?side { "state" "organization" }
  BIND (IF(?side = "state", ?state, ?organization) AS ?party)
  ?party rdfs:label ?label . FILTER (LANGMATCHES(LANG(?label), "en"))
} GROUP BY ?side ?party ?label"""
)


@dataclass(frozen=True)
class Party:
    slug: str
    label: str
    statements: int


@dataclass(frozen=True)
class Choices:
    """What the home page's questions offer to choose from."""

    states: list[Party]  # by name
    organizations: list[Party]  # most stated first


def choices() -> Choices:
    def build() -> Choices:
        sides: dict[str, list[Party]] = {"state": [], "organization": []}
        for row in services().store.select(MEMBERSHIP_PARTIES):
            party = Party(row["party"].value.rsplit("/", 1)[-1], row["label"].value, int(row["n"].value))
            sides[row["side"].value].append(party)
        states = sorted(sides["state"], key=lambda p: p.label.casefold())
        organizations = sorted(sides["organization"], key=lambda p: (-p.statements, p.label.casefold()))
        return Choices(states, organizations)

    return cached("home.choices", build)


@blueprint.route("/")
def index() -> str:
    app = services()
    return render_template(
        "home.html",
        triples=len(app.store) if isinstance(app.store, Sized) else None,
        classes=cached("home.classes", lambda: class_counts(app.store)),
        sources=cached("home.sources", lambda: source_counts(app.store)),
        choices=choices(),
        endpoint=url_for("sparql.endpoint", _external=True),
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
