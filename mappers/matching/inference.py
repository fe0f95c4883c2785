"""Concepts from meaning: the knowledge-base concepts a title is about when it shares no words with them.

Each specific concept (weight at least MIN_CONCEPT_WEIGHT) is anchored by one text, its label and first
aliases ("Market abuse, insider dealing and market manipulation: market abuse; Market Abuse Regulation"),
embedded once per process. A title whose own words name no specific concept (`is_weak`) is embedded and
given, as extra units, the concepts whose anchors lie within CONCEPT_SIMILARITY of it (at most
MAX_INFERRED, each within INFERRED_MARGIN of the best), each quoted as "≈ <label>" so the explanation says
the match came from meaning. From there the units are scored like any other: against the role's
responsibilities through the concept graph, and against the ethics topics.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mappers.matching.knowledge import KIND_PREFIX, TOPIC_PREFIX, KnowledgeBase
from mappers.matching.semantic import Embedder
from mappers.matching.text import TextAnalysis, Unit

__all__ = ["ConceptAnchors", "is_weak", "CONCEPT_SIMILARITY", "WEAK_EVIDENCE", "SEMANTIC_MARK"]

MIN_CONCEPT_WEIGHT = 0.6
ANCHOR_ALIASES = 3
CONCEPT_SIMILARITY = 0.5
INFERRED_MARGIN = 0.04
MAX_INFERRED = 2
WEAK_EVIDENCE = 0.6
SEMANTIC_MARK = "≈ "


@dataclass(frozen=True, slots=True)
class _Anchor:
    index: int
    label: str
    text: str


def is_weak(analysis: TextAnalysis | None, unit_weights: Sequence[float]) -> bool:
    """True when the text's own words name no specific concept: the summed unit weight of its units
    (each its concepts' best unit weight, times its emphasis) is under WEAK_EVIDENCE."""
    if analysis is None:
        return False
    evidence = sum(u.emphasis * max(unit_weights[c] for c in u.concepts) for u in analysis.units)
    return evidence < WEAK_EVIDENCE


class ConceptAnchors:
    """The anchor vectors of the specific concepts, and the inference of concepts for weak titles."""

    def __init__(self, kb: KnowledgeBase, concept_ids: Sequence[str], embedder: Embedder) -> None:
        aliases = _first_aliases(kb)
        self._anchors = tuple(
            _Anchor(i, kb.concepts[cid].label, _anchor_text(kb.concepts[cid].label, aliases.get(cid, ())))
            for i, cid in enumerate(concept_ids)
            if kb.concepts[cid].weight >= MIN_CONCEPT_WEIGHT and not cid.startswith((TOPIC_PREFIX, KIND_PREFIX))
        )
        self._embedder = embedder
        self._vectors: npt.NDArray[np.float32] = embedder.embed([a.text for a in self._anchors])

    def infer(self, vectors: npt.NDArray[np.float32]) -> list[tuple[Unit, ...]]:
        """For each title vector, the inferred concept units (possibly none)."""
        if not len(vectors):
            return []
        similarity = vectors @ self._vectors.T
        out: list[tuple[Unit, ...]] = []
        for row in similarity:
            order = np.argsort(-row)[:MAX_INFERRED]
            best = float(row[order[0]])
            units = tuple(
                Unit((self._anchors[k].index,), SEMANTIC_MARK + self._anchors[k].label)
                for k in order.tolist()
                if row[k] >= CONCEPT_SIMILARITY and row[k] >= best - INFERRED_MARGIN
            )
            out.append(units)
        return out


def with_units(analysis: TextAnalysis, units: tuple[Unit, ...]) -> TextAnalysis:
    """The analysis with `units` added (a new object: analyses are shared between texts)."""
    return TextAnalysis(analysis.units + units, analysis.words, analysis.normalised)


def _first_aliases(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for pattern in kb.patterns:
        if pattern.kind == "lemma":
            found.setdefault(pattern.concept_id, []).append(pattern.text)
    return {cid: tuple(texts[1:1 + ANCHOR_ALIASES]) for cid, texts in found.items()}


def _anchor_text(label: str, aliases: tuple[str, ...]) -> str:
    extra = [a for a in aliases if a.casefold() not in label.casefold()]
    return f"{label}: {'; '.join(extra)}" if extra else label
