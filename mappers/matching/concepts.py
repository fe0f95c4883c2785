"""How close two knowledge-base concepts are, and which ethics topics a concept belongs to.

A concept reaches its `broader` concepts (a kind of / a part of) at BROADER_DECAY per step and its
`related` concepts at RELATED_FACTOR. Two concepts are as similar as their best shared concept allows:
1.0 when they are the same, else max over a shared k of reach(x, k) * reach(y, k) * weight(k), so
meeting only at a generic concept ("tax", "trust") counts for little. A responsibility kind (a unit an
exemplar gave) is as similar to a concept as the concept reaches the kind: it names the whole kind. `related` links run both ways,
except into a hub (weight under HUB_WEIGHT): PCRT is related to tax, but tax is not thereby related to
professional conduct, nor is every tax subject. Ethics topics are reached through
`broader` links only (no decay to speak of: a KYC course is an anti-money-laundering course).
"""
from __future__ import annotations

from collections.abc import Sequence

from mappers.matching.knowledge import KnowledgeBase

__all__ = ["ConceptGraph", "BROADER_DECAY", "RELATED_FACTOR", "TOPIC_DECAY", "MAX_DEPTH", "HUB_WEIGHT"]

BROADER_DECAY = 0.85
RELATED_FACTOR = 0.6
HUB_WEIGHT = 0.7
TOPIC_DECAY = 0.95
MAX_DEPTH = 6


class ConceptGraph:
    """Concept reach, pairwise similarity and ethics-topic membership, memoised per concept."""

    def __init__(self, kb: KnowledgeBase, concept_ids: Sequence[str]) -> None:
        index = {cid: i for i, cid in enumerate(concept_ids)}
        self.labels = tuple(kb.concepts[cid].label for cid in concept_ids)
        self.weights = tuple(kb.concepts[cid].weight for cid in concept_ids)
        self.unit_weights = tuple(kb.concepts[cid].unit_weight for cid in concept_ids)
        self._broader = tuple(tuple(index[b] for b in kb.concepts[cid].broader) for cid in concept_ids)
        related: list[set[int]] = [set() for _ in concept_ids]
        for i, cid in enumerate(concept_ids):
            for other in kb.concepts[cid].related:
                related[i].add(index[other])
                if kb.concepts[other].weight >= HUB_WEIGHT:
                    related[index[other]].add(i)
        self._related = tuple(tuple(sorted(r)) for r in related)
        self.topic_nodes = tuple(index[t.node] for t in kb.topics)
        self._kind_nodes = frozenset(index[k.node] for k in kb.kinds)
        self._reach: dict[int, dict[int, float]] = {}
        self._pairs: dict[tuple[int, int], float] = {}
        self._topic_strength: dict[int, tuple[float, ...]] = {}

    def reach(self, concept: int) -> dict[int, float]:
        """Every concept `concept` reaches, with the strength it reaches it at (itself: 1.0)."""
        found = self._reach.get(concept)
        if found is None:
            found = self._ancestors(concept, BROADER_DECAY)
            for other in self._related[concept]:
                for node, strength in self._ancestors(other, BROADER_DECAY).items():
                    if RELATED_FACTOR * strength > found.get(node, 0.0):
                        found[node] = RELATED_FACTOR * strength
            self._reach[concept] = found
        return found

    def similarity(self, x: int, y: int) -> float:
        """How far concept y serves concept x, 0-1 (symmetric)."""
        if x == y:
            return 1.0
        key = (x, y) if x < y else (y, x)
        value = self._pairs.get(key)
        if value is None and (x in self._kind_nodes or y in self._kind_nodes):
            kind, other = (x, y) if x in self._kind_nodes else (y, x)
            value = self._pairs[key] = self.reach(other).get(kind, 0.0)
        if value is None:
            rx, ry = self.reach(x), self.reach(y)
            small, large = (rx, ry) if len(rx) <= len(ry) else (ry, rx)
            value = max((s * large[k] * self.weights[k] for k, s in small.items() if k in large), default=0.0)
            self._pairs[key] = value
        return value

    def topic_strength(self, concept: int) -> tuple[float, ...]:
        """For each ethics topic (knowledge-base order), how strongly `concept` belongs to it, 0-1."""
        found = self._topic_strength.get(concept)
        if found is None:
            ancestors = self._ancestors(concept, TOPIC_DECAY)
            found = self._topic_strength[concept] = tuple(ancestors.get(node, 0.0) for node in self.topic_nodes)
        return found

    def topic_link(self, concept: int, topic: int) -> str:
        """The label of the concept through which `concept` belongs to topic number `topic`: the
        nearest concept (itself included) whose `broader` links name the topic node."""
        node = self.topic_nodes[topic]
        if concept == node:
            return self.labels[node]
        level, seen = [concept], {concept}
        for _ in range(MAX_DEPTH):
            for c in level:
                if node in self._broader[c]:
                    return self.labels[c]
            level = [p for c in level for p in self._broader[c] if p not in seen]
            seen.update(level)
        return self.labels[node]

    def _ancestors(self, concept: int, decay: float) -> dict[int, float]:
        found = {concept: 1.0}
        frontier, strength = [concept], 1.0
        for _ in range(MAX_DEPTH):
            strength *= decay
            frontier = [p for c in frontier for p in self._broader[c] if p not in found]
            if not frontier:
                break
            for p in frontier:
                found[p] = strength
        return found
