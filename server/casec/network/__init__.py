"""The network of who is linked to whom: states, organizations, bodies (and optionally persons and events),
built from the store through SPARQL, filtered, exported and analysed with networkx."""

from __future__ import annotations

from .cache import NetworkCache
from .filters import FilterError, Filters, parse_filters
from .model import DEFAULT_RELATIONS, RELATIONS, NetworkModel, build_model

__all__ = [
    "DEFAULT_RELATIONS",
    "RELATIONS",
    "FilterError",
    "Filters",
    "NetworkCache",
    "NetworkModel",
    "build_model",
    "parse_filters",
]
