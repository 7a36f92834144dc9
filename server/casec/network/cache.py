"""One network model per store, rebuilt when the data changes, and the views and metrics asked for recently.

The data version is the store's (:meth:`GraphStore.data_version`), checked at most once every
``recheck`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import networkx as nx

from casec.network.analysis import Metrics, metrics
from casec.network.filters import Filters
from casec.network.model import NetworkModel, build_model, data_version
from casec.store.interface import GraphStore

T = TypeVar("T")


class NetworkCache:
    def __init__(self, store: GraphStore, recheck: float = 1.0, size: int = 64) -> None:
        self.store = store
        self.recheck = recheck
        self.size = size
        self.builds = 0
        self._model: NetworkModel | None = None
        self._checked = 0.0
        self._lock = threading.RLock()
        self._memo: OrderedDict[tuple[Hashable, ...], object] = OrderedDict()

    def model(self) -> NetworkModel:
        with self._lock:
            now = time.monotonic()
            if self._model is None or now - self._checked >= self.recheck:
                version = data_version(self.store)
                self._checked = now
                if self._model is None or self._model.version != version:
                    self._model = build_model(self.store, version)
                    self._memo.clear()
                    self.builds += 1
            return self._model

    def _memoized(self, key: tuple[Hashable, ...], make: Callable[[NetworkModel], T]) -> T:
        model = self.model()
        with self._lock:
            full_key = (model.version, *key)
            if full_key in self._memo:
                self._memo.move_to_end(full_key)
                return self._memo[full_key]  # type: ignore[return-value]
        value = make(model)
        with self._lock:
            self._memo[full_key] = value
            while len(self._memo) > self.size:
                self._memo.popitem(last=False)
        return value

    def view(self, filters: Filters) -> nx.MultiDiGraph:
        """The filtered graph; callers must not modify it (copy first)."""
        return self._memoized(("view", filters), lambda model: model.view(filters))

    def metrics(self, filters: Filters) -> Metrics:
        return self._memoized(("metrics", filters), lambda _: metrics(self.view(filters)))

    def memo(self, key: tuple[Hashable, ...], make: Callable[[NetworkModel], T]) -> T:
        """Any other derived value (the timeline), cached with the same data version."""
        return self._memoized(key, make)
