"""One network model per store, rebuilt when the data changes, and the views and metrics asked for recently
(both in :class:`~casec.store.versioned_cache.VersionedCache`, keyed by the store's data version)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import networkx as nx

from casec.network.analysis import Metrics, metrics
from casec.network.filters import Filters
from casec.network.model import NetworkModel, build_model
from casec.store.interface import GraphStore
from casec.store.versioned_cache import RECHECK, VersionedCache

T = TypeVar("T")


class NetworkCache:
    def __init__(self, store: GraphStore, recheck: float = RECHECK, size: int = 64) -> None:
        self.builds = 0
        self._model = VersionedCache(store, recheck)
        self._derived = VersionedCache(store, recheck, size)  # views, metrics, timelines: the recent ones

    def model(self) -> NetworkModel:
        return self._model.get("model", self._build)

    def _build(self) -> NetworkModel:
        self.builds += 1
        return build_model(self._model.store, self._model.version())

    def _memoized(self, key: tuple[Hashable, ...], make: Callable[[NetworkModel], T]) -> T:
        model = self.model()
        return self._derived.get((model.version, *key), lambda: make(model))

    def view(self, filters: Filters) -> nx.MultiDiGraph:
        """The filtered graph; callers must not modify it (copy first)."""
        return self._memoized(("view", filters), lambda model: model.view(filters))

    def metrics(self, filters: Filters) -> Metrics:
        return self._memoized(("metrics", filters), lambda _: metrics(self.view(filters)))

    def memo(self, key: tuple[Hashable, ...], make: Callable[[NetworkModel], T]) -> T:
        """Any other derived value (the timeline), cached with the same data version."""
        return self._memoized(key, make)
