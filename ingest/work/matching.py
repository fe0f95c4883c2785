"""Matching activities to the member's role: the one place a Matcher's results are put on activities.

    match_activities(matcher, batch)   fresh activities (the pipeline; a file read while the role changed)
    rematch_stored(matcher, data)      stored activity JSON (a role change: ingest.work.remap)
    MATCHERS.get(role, role_hash, taught)   one Matcher per role profile (and exemplars members taught it)
                                       per process, built on first use and kept (spaCy loads once per process)
    (what members taught a matcher comes from ingest.work.taught, which reads the store: never loaded by
    `cpd-evidence extract`)

A Matcher is never built in the API process when a broker is configured: only the work (a Celery worker,
the in-process pool of `serve` without a broker, the CLI) asks for one.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from mappers.activity import Activity
from mappers.matching import Matcher
from mappers.matching.exemplars import Exemplar, ExemplarError

from .roles import role_profile

__all__ = ["MatcherCache", "MATCHERS", "match_activities", "rematch_stored", "Taught"]

log = logging.getLogger(__name__)
Taught = tuple[Exemplar, ...]

_Texts = tuple[str, str | None, str | None]


def match_activities(matcher: Matcher, batch: list[Activity]) -> list[Activity]:
    """Set each activity's responsibilities and ethics from `matcher`; returns the same list."""
    for activity, (responsibilities, ethics) in zip(batch, matcher.match_many([_texts(a) for a in batch])):
        activity.responsibilities, activity.ethics = responsibilities, ethics
    return batch


def rematch_stored(matcher: Matcher, stored: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each stored activity's JSON with its responsibilities and ethics matched again by `matcher`."""
    texts = [(data["title"], data.get("description"), data.get("reflection")) for data in stored]
    return [{**data, "responsibilities": [r.to_json() for r in responsibilities], "ethics": ethics.to_json()}
            for data, (responsibilities, ethics) in zip(stored, matcher.match_many(texts))]


def _texts(activity: Activity) -> _Texts:
    return activity.title, activity.description, activity.reflection


class MatcherCache:
    """Matchers by role profile hash (None: no role, ethics only) and the exemplars members taught, the least
    recently used dropped first."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str | None, Taught], Matcher] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, role: dict[str, Any] | None, role_hash: str | None, taught: Taught = ()) -> Matcher:
        """The Matcher for this role profile (None: no role) and these exemplars, built the first time."""
        key = (role_hash if role is not None else None, taught)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            matcher = Matcher(role_profile(role) if role is not None else None)
            for exemplar in taught:
                try:
                    matcher.add_exemplars([exemplar])
                except ExemplarError as exc:  # a topic or kind since renamed: the others still teach
                    log.warning("exemplar %r left out: %s", exemplar.text, exc)
            self._items[key] = matcher
            while len(self._items) > self._size:
                self._items.popitem(last=False)
            return matcher


MATCHERS = MatcherCache()
