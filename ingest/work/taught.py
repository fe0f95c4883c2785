"""What members taught the matcher, for one member's files: titles whose responsibilities or ethics call a
member confirmed (ingest.store.exemplars), as Matcher exemplars: the member's own first, then every
member's an admin approved. A confirmed responsibility teaches its kind (mappers' frameworks.yaml)."""
from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from mappers.matching.exemplars import Exemplar
from mappers.matching.matcher import kinds_of

from ..store import exemplars_for
from .matching import Taught

__all__ = ["member_exemplars"]


@functools.lru_cache(maxsize=1024)
def _kinds(text: str) -> tuple[str, ...]:
    return kinds_of(text)


def _kind_for(responsibility: str, role: dict[str, Any] | None) -> str | None:
    """The kind a responsibility is an exemplar of: of the kinds its text reaches, the one fewest of the
    role's other responsibilities reach (the most telling), the strongest first on a tie."""
    kinds = _kinds(responsibility)
    if not kinds:
        return None
    reach = Counter(k for r in (role or {}).get("responsibilities", []) for k in _kinds(str(r["text"])))
    return min(kinds, key=lambda k: (reach[k], kinds.index(k)))


def member_exemplars(session: Session, member_id: str, role: dict[str, Any] | None) -> Taught:
    """The exemplars members taught that count for this member's files (their own first)."""
    taught: list[Exemplar] = []
    for row in exemplars_for(session, member_id):
        if row.topic:
            taught.append(Exemplar(row.text, topic=row.topic, source=f"member {row.member_id}"))
        elif (kind := _kind_for(row.responsibility, role)) is not None:
            taught.append(Exemplar(row.text, kind=kind, source=f"member {row.member_id}"))
    return tuple(dict.fromkeys(taught))
