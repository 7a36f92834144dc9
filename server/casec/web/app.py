"""The app factory: one Flask app per call, with its own store, settings and blueprints."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from casec.bundle import Bundle, default_bundle
from casec.settings import Settings
from casec.sparql.runner import QueryRunner
from casec.sparql.sandbox import Confinement, check_available
from casec.store.embedded import EmbeddedStore
from casec.store.interface import GraphStore
from casec.store.load import DataFile, bundle_files
from casec.store.remote import SparqlHttpStore
from casec.web import (
    citations,
    downloads,
    editor,
    errors,
    home,
    links,
    network,
    ontology_docs,
    resources,
    search_page,
    sparql,
)
from casec.web.services import Services

BLUEPRINTS = (
    home.blueprint,
    editor.blueprint,
    sparql.blueprint,
    network.blueprint,
    resources.blueprint,
    ontology_docs.blueprint,
    search_page.blueprint,
    downloads.blueprint,
    citations.blueprint,
)


def create_app(
    settings: Settings | None = None, store: GraphStore | None = None, bundle: Bundle | None = None
) -> Flask:
    """Build the app on ``store`` (default: the external store named by ``settings.store``, else the bundled
    graph or the ``--data`` files in the embedded store)."""
    settings = settings or Settings.from_env()
    if not settings.allow_unsandboxed:
        check_available()  # fail at start, loudly, rather than serve queries without the sandbox
    bundle = bundle or default_bundle()
    if store is None and settings.store:
        store = SparqlHttpStore(settings.store, timeout=settings.query_timeout + 5)
    elif store is None:
        files = [DataFile(path) for path in settings.data] if settings.data else bundle_files(bundle)
        store = EmbeddedStore(files)
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body)
    app.extensions["casec"] = Services(
        settings=settings,
        bundle=bundle,
        store=store,
        runner=QueryRunner(
            store,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
            # an external store is reached over the network: its executors keep it (the guard is the defence)
            confinement=Confinement.of(settings, network=isinstance(store, EmbeddedStore)),
        ),
    )
    # Any origin may query: the endpoint is public and read-only, so browser clients elsewhere work.
    CORS(app, origins="*", send_wildcard=True, methods=["GET", "POST", "OPTIONS"], max_age=86400)
    errors.register(app)
    links.register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
