"""One Matcher per role profile per process, built on first use and kept (spaCy loads once per process).

Never built in the API process when a broker is configured: only the work (a Celery worker, the
in-process pool of `serve` without a broker, the CLI) asks for one.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from mappers.matching import Matcher

from .roles import role_profile

__all__ = ["MatcherCache", "MATCHERS"]


class MatcherCache:
    """Matchers by role profile hash (None: no role, ethics only), the least recently used dropped first."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._items: OrderedDict[str | None, Matcher] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, role: dict[str, Any] | None, role_hash: str | None) -> Matcher:
        key = role_hash if role is not None else None
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            matcher = Matcher(role_profile(role) if role is not None else None)
            self._items[key] = matcher
            while len(self._items) > self._size:
                self._items.popitem(last=False)
            return matcher


MATCHERS = MatcherCache()
