"""The network of who is linked to whom: states, organizations, bodies (and optionally persons and events),
built from the store through SPARQL, filtered, exported and analysed with networkx."""

from __future__ import annotations

from casec.network.cache import NetworkCache
from casec.network.filter_parsing import parse_filters
from casec.network.filters import FilterError, Filters
from casec.network.model import NetworkModel, build_model
from casec.network.relations import DEFAULT_RELATIONS, RELATIONS

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
