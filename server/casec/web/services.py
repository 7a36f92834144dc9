"""What the blueprints share, held by the app (``app.extensions['casec']``), never at module level."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from casec.bundle import Bundle
from casec.settings import Settings
from casec.sparql.thread_runner import Runner
from casec.store.interface import GraphStore
from casec.store.versioned_cache import VersionedCache


@dataclass
class Services:
    settings: Settings
    bundle: Bundle
    store: GraphStore
    runner: Runner
    cache: VersionedCache  # what the pages compute from the store, until its data changes (web/read_cache.py)


def services() -> Services:
    """The services of the app serving the current request."""
    return services_of(current_app)


def services_of(app: Flask) -> Services:
    """The services ``create_app`` put on ``app``."""
    found: Services = app.extensions["casec"]
    return found
