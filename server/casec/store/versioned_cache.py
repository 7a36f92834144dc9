"""Values computed from a store, kept until its data changes: the one cache the pages and the network views use.

The data version is the store's own (:meth:`GraphStore.data_version`): an external store reloaded with
``casec load`` gets a new one, and every value built from the old data is dropped. Asking costs a request to an
external store, so it is asked at most once every ``recheck`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from casec.store.interface import GraphStore

T = TypeVar("T")

RECHECK = 2.0  # seconds between two readings of the data version


class VersionedCache:
    """Values by key, for the store's current data version; with ``size``, the least recently used go first."""

    def __init__(self, store: GraphStore, recheck: float = RECHECK, size: int | None = None) -> None:
        self.store = store
        self.recheck = recheck
        self.size = size
        self._version: str | None = None
        self._checked: float | None = None
        self._lock = threading.RLock()
        self._values: OrderedDict[Hashable, object] = OrderedDict()

    def version(self) -> str:
        """The data version the values are for ("unversioned" for a store that names none)."""
        with self._lock:
            now = time.monotonic()
            if self._checked is None or now - self._checked >= self.recheck:
                version = self.store.data_version() or "unversioned"
                self._checked = now
                if version != self._version:
                    self._values.clear()
                    self._version = version
            return self._version or "unversioned"

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value for ``key``, built (outside the lock: builds may be slow) if this data version has none."""
        version = self.version()
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[return-value]
        value = build()
        with self._lock:
            if self._version == version:  # not if the data changed while it was built
                self._values[key] = value
                while self.size is not None and len(self._values) > self.size:
                    self._values.popitem(last=False)
        return value
