"""Results kept until the data changes: keyed by what was asked and the store's data version.

Every write of the store raises the version (the `data_version` table, in the writing
transaction), so an entry made at one version is never served at another: a correction, an
ingest or a relink, in this process or another one on the same database, is seen by the next
read. Entries are few and small (counts, the corrected statements, positions); the least
recently used go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

T = TypeVar("T")


class VersionCache:
    """At most `size` results, each valid for the data version it was made at. Thread-safe:
    threads asking for the same result at once wait for the first to make it."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
        self._making: dict[tuple[Hashable, Hashable], threading.Lock] = {}

    def _held(self, key: Hashable, version: Hashable) -> tuple[bool, Any]:
        with self._lock:
            held = self._items.get(key)
            if held is not None and held[0] == version:
                self._items.move_to_end(key)
                return True, held[1]
            return False, None

    def get(self, key: Hashable, version: Hashable, make: Callable[[], T]) -> T:
        """The result for `key` at `version`, made by `make()` when not held."""
        found, value = self._held(key, version)
        if found:
            return cast(T, value)
        with self._lock:
            making = self._making.setdefault((key, version), threading.Lock())
        # One thread makes it; the others wait here, then find it made (or make it themselves,
        # should the first have failed).
        with making:
            found, value = self._held(key, version)
            if found:
                return cast(T, value)
            try:
                made = make()
                with self._lock:
                    self._items[key] = (version, made)
                    self._items.move_to_end(key)
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
            finally:
                with self._lock:
                    self._making.pop((key, version), None)
            return made

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
