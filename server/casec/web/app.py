"""The app factory: one Flask app per call, with its own store, settings and blueprints."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from casec.bundle import Bundle, default_bundle
from casec.settings import Settings
from casec.sparql.sandbox import check_available
from casec.sparql.thread_runner import runner_for
from casec.store.embedded import EmbeddedStore
from casec.store.interface import GraphStore
from casec.store.load import DataFile, bundle_files
from casec.store.remote import SparqlHttpStore
from casec.store.versioned_cache import VersionedCache
from casec.web import (
    citations,
    conflicts_page,
    data_version,
    downloads,
    editor,
    errors,
    favicon,
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
    conflicts_page.blueprint,
    favicon.blueprint,
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
        store = SparqlHttpStore(settings.store, timeout=settings.query_timeout)
    elif store is None:
        files = [DataFile(path) for path in settings.data] if settings.data else bundle_files(bundle)
        store = EmbeddedStore(files)
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body)
    app.extensions["casec"] = Services(
        settings=settings,
        bundle=bundle,
        store=store,
        runner=runner_for(store, settings),  # threads for an HTTP store, confined executors for the embedded one
        cache=VersionedCache(store),
    )
    # Any origin may query: the endpoint is public and read-only, so browser clients elsewhere work; they may
    # read the headers that name a document's variants (Link, Content-Location) and when to retry (Retry-After).
    CORS(
        app,
        origins="*",
        send_wildcard=True,
        methods=["GET", "HEAD", "POST", "OPTIONS"],
        expose_headers=["Link", "Content-Location", "Retry-After", "Casec-Data-Version"],
        max_age=86400,
    )
    errors.register(app)
    links.register(app)
    data_version.register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    ontology_docs.prepare(app)  # once, here, before gunicorn forks its workers
    return app
