"""Exemplars: activity texts whose responsibility kind or ethics topic a person confirmed.

A new title close to an exemplar inherits its mapping: the exemplar's kind (a node of the concept graph, so
the role's responsibilities of that kind are served) or its ethics topic, named in the `terms` as
"exemplar: <text>". Close means the same content words in any order (rapidfuzz token_set_ratio of the
normalised texts >= EXEMPLAR_FUZZY, checked for every title, where the exemplar is at least
MIN_LENGTH_SHARE of the title's length: "due diligence" is not close to "manager selection and due
diligence on hedge funds") or, for titles the knowledge base cannot explain and that are embedded anyway,
sentence vectors within EXEMPLAR_SIMILARITY.

Exemplars come from mappers/data/exemplars.yaml and, at run time, from `Matcher.add_exemplars` (the service
passes members' and admins' confirmations there). Bad entries raise `ExemplarError` naming the entry.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from mappers.datafiles import load_yaml
from mappers.matching.knowledge import KIND_PREFIX, TOPIC_PREFIX, KnowledgeBase

__all__ = ["Exemplar", "ExemplarError", "ExemplarIndex", "load_exemplars", "EXEMPLAR_FUZZY", "EXEMPLAR_SIMILARITY",
           "EXEMPLAR_MARK"]

EXEMPLARS_FILE = Path(__file__).resolve().parent.parent / "data" / "exemplars.yaml"
EXEMPLAR_FUZZY = 92.0
EXEMPLAR_SIMILARITY = 0.8
MIN_LENGTH_SHARE = 0.6
EXEMPLAR_MARK = "exemplar: "
MAX_EXEMPLAR_CHARS = 500


class ExemplarError(ValueError):
    """An exemplar that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Exemplar:
    """An activity text and the responsibility kind (frameworks.yaml `kinds`) or ethics topic
    (ethics_topics.yaml) a person confirmed for it; `source` says who or where (for people)."""

    text: str
    kind: str | None = None
    topic: str | None = None
    source: str = ""

    def node(self) -> str:
        return KIND_PREFIX + self.kind if self.kind else TOPIC_PREFIX + str(self.topic)


def check(exemplar: Exemplar, kb: KnowledgeBase) -> Exemplar:
    """The exemplar, whitespace-normalised, if its kind or topic exists; else ExemplarError."""
    text = " ".join(exemplar.text.split())
    if not text or len(text) > MAX_EXEMPLAR_CHARS:
        raise ExemplarError(f"exemplar {exemplar.text[:60]!r}: the text must be 1 to {MAX_EXEMPLAR_CHARS} characters.")
    if (exemplar.kind is None) == (exemplar.topic is None):
        raise ExemplarError(f"exemplar {text[:60]!r}: give exactly one of a responsibility kind or an ethics topic.")
    if exemplar.node() not in kb.concepts:
        known = [k.id for k in kb.kinds] if exemplar.kind else [t.id for t in kb.topics]
        raise ExemplarError(f"exemplar {text[:60]!r}: unknown {'kind' if exemplar.kind else 'topic'} "
                            f"'{exemplar.kind or exemplar.topic}'; use one of {', '.join(known)}.")
    return Exemplar(text, exemplar.kind, exemplar.topic, exemplar.source)


@lru_cache(maxsize=1)
def load_exemplars() -> tuple[Exemplar, ...]:
    """The exemplars of mappers/data/exemplars.yaml (unchecked: the Matcher checks them against its knowledge)."""
    data = load_yaml(EXEMPLARS_FILE.read_text(encoding="utf-8"))
    entries = data.get("exemplars") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ExemplarError("exemplars.yaml: expected a mapping with a list 'exemplars'.")
    out: list[Exemplar] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise ExemplarError(f"exemplars.yaml: entry {entry!r:.80} needs a text and a kind or a topic.")
        kind, topic = entry.get("kind"), entry.get("topic")
        out.append(Exemplar(entry["text"], str(kind) if kind else None, str(topic) if topic else None,
                            str(entry.get("source") or "exemplars.yaml")))
    return tuple(out)


class ExemplarIndex:
    """The exemplars of one Matcher: their normalised texts (fuzzy) and, once needed, their vectors."""

    def __init__(self, exemplars: Iterable[Exemplar], normalised: Sequence[str]) -> None:
        self.exemplars = tuple(exemplars)
        self._normalised = list(normalised)
        self._vectors: npt.NDArray[np.float32] | None = None

    def close_by_words(self, texts: Sequence[str]) -> list[tuple[int, ...]]:
        """For each normalised text, the exemplars sharing its content words (indexes)."""
        if not self.exemplars or not texts:
            return [() for _ in texts]
        distinct = sorted(set(texts))
        scores = process.cdist(distinct, self._normalised, scorer=fuzz.token_set_ratio, dtype=np.float32,
                               score_cutoff=EXEMPLAR_FUZZY)
        where = {t: i for i, t in enumerate(distinct)}
        lengths = np.asarray([len(n) for n in self._normalised], dtype=np.float32)
        out: list[tuple[int, ...]] = []
        for t in texts:
            hits = (scores[where[t]] >= EXEMPLAR_FUZZY) & (lengths >= MIN_LENGTH_SHARE * len(t)) if t else None
            out.append(tuple(np.flatnonzero(hits).tolist()) if hits is not None else ())
        return out

    def close_by_meaning(self, vectors: npt.NDArray[np.float32], embed: object) -> list[tuple[int, ...]]:
        """For each title vector, the exemplars within EXEMPLAR_SIMILARITY (`embed` embeds texts)."""
        if not self.exemplars or not len(vectors):
            return [() for _ in range(len(vectors))]
        if self._vectors is None:
            self._vectors = getattr(embed, "embed")([e.text for e in self.exemplars])
        similarity = vectors @ self._vectors.T
        return [tuple(np.flatnonzero(row >= EXEMPLAR_SIMILARITY).tolist()) for row in similarity]
