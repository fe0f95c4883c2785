"""Vectorised scores of many activities against one set of targets (responsibilities) and the ethics topics.

An activity is the concept units and leftover words of its title, description and reflection, each
weighted by its field (FIELD_WEIGHTS: the title counts most). Against responsibility j it scores, 0-100:

    COVERAGE_WEIGHT * coverage + FOCUS_WEIGHT * focus + FUZZY_WEIGHT * fuzzy
    coverage: half the weighted share of the activity's units that j serves (each unit counts its best
              similarity to any concept of j; a leftover word counts when j uses the same lemma; the
              weights sum to at least MEAN_FLOOR, so a lone generic word or concept counts for little),
              half the best single unit (so a responsibility serving one of two subjects still counts)
    focus:    the weighted share of j's own concepts that the activity touches (breaks ties in favour
              of the responsibility that is about the activity's subject, not one that mentions it)
    fuzzy:    rapidfuzz similarity of the normalised texts (lemmas without stop words)

Per-concept rows are memoised; the activities are scored in chunks with numpy reductions and one
rapidfuzz `cdist` per field over distinct texts, never a Python loop per pair.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from mappers.matching.concepts import ConceptGraph
from mappers.matching.text import TextAnalysis, Unit

__all__ = [
    "Target", "TargetIndex", "ActivityFeatures", "features", "fuzzy_scores", "score_responsibilities",
    "score_ethics", "RESPONSIBILITY_THRESHOLD", "ETHICS_THRESHOLD", "FIELD_WEIGHTS",
]

Matrix = npt.NDArray[np.float32]
Owners = npt.NDArray[np.int64]
Key = tuple[int, ...] | str

RESPONSIBILITY_THRESHOLD = 40.0
ETHICS_THRESHOLD = 60.0
FIELD_WEIGHTS = (1.0, 0.5, 0.4)
COVERAGE_WEIGHT = 0.7
COVERAGE_MEAN_SHARE = 0.5
MEAN_FLOOR = 1.0
FOCUS_WEIGHT = 0.1
FUZZY_WEIGHT = 0.2
WORD_WEIGHT = 0.3
CHUNK_ROWS = 4_096
FUZZY_SCORER = fuzz.token_set_ratio


@dataclass(frozen=True, slots=True)
class Target:
    """A responsibility as analysed: all its concept units (nested ones too), its top-level units, words."""

    id: str
    text: str
    units: tuple[Unit, ...]
    top_units: tuple[Unit, ...]
    words: dict[str, str]
    normalised: str


@dataclass(slots=True)
class ActivityFeatures:
    """Flat per-entry arrays for a list of activities (entries of one activity are contiguous)."""

    owners: list[int] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    field_weights: list[float] = field(default_factory=list)


class TargetIndex:
    """Memoised per-concept rows against a fixed list of targets."""

    def __init__(self, graph: ConceptGraph, targets: Sequence[Target]) -> None:
        self.graph = graph
        self.targets = tuple(targets)
        self._unit_concepts = [sorted({c for u in t.units for c in u.concepts}) for t in self.targets]
        self._focus_units = [(j, u.concepts, max(graph.unit_weights[c] for c in u.concepts))
                             for j, t in enumerate(self.targets) for u in t.top_units]
        self.focus_matrix = self._focus_matrix()
        self._coverage: dict[Key, npt.NDArray[np.float32]] = {}
        self._focus: dict[tuple[int, ...], npt.NDArray[np.float32]] = {}
        self._topics: dict[tuple[int, ...], npt.NDArray[np.float32]] = {}
        self._best: dict[tuple[tuple[int, ...], int], tuple[float, str]] = {}

    def coverage_row(self, key: Key) -> npt.NDArray[np.float32]:
        """How far each target serves a unit (concept tuple) or a leftover word (lemma), 0-1."""
        row = self._coverage.get(key)
        if row is None:
            if isinstance(key, str):
                values = [1.0 if key in t.words else 0.0 for t in self.targets]
            else:
                values = [max((self._sim(key, c) for c in cs), default=0.0) for cs in self._unit_concepts]
            row = self._coverage[key] = np.asarray(values, dtype=np.float32)
        return row

    def focus_row(self, key: tuple[int, ...]) -> npt.NDArray[np.float32]:
        row = self._focus.get(key)
        if row is None:
            values = [max(self._sim(key, c) for c in concepts) for _, concepts, _ in self._focus_units]
            row = self._focus[key] = np.asarray(values, dtype=np.float32)
        return row

    def topic_row(self, key: tuple[int, ...]) -> npt.NDArray[np.float32]:
        """How strongly a unit belongs to each ethics topic, keeping only its nearest topic(s): GDPR is
        about confidentiality, not also about professional conduct two links further up."""
        row = self._topics.get(key)
        if row is None:
            strengths = np.asarray([self.graph.topic_strength(c) for c in key], dtype=np.float32).max(axis=0)
            row = self._topics[key] = np.where(strengths >= strengths.max() - 1e-6, strengths, 0).astype(np.float32)
        return row

    def best_unit(self, key: tuple[int, ...], target: int) -> tuple[float, str]:
        """The target's unit closest to `key`, with its similarity (for explanations)."""
        found = self._best.get((key, target))
        if found is None:
            found = (0.0, "")
            for unit in self.targets[target].units:
                sim = max(self._sim(key, c) for c in unit.concepts)
                if sim > found[0]:
                    found = (sim, unit.surface)
            self._best[(key, target)] = found
        return found

    def _sim(self, key: tuple[int, ...], concept: int) -> float:
        return max(self.graph.similarity(k, concept) for k in key)

    def _focus_matrix(self) -> npt.NDArray[np.float32]:
        matrix = np.zeros((max(len(self._focus_units), 1), max(len(self.targets), 1)), dtype=np.float32)
        for row, (j, _, weight) in enumerate(self._focus_units):
            matrix[row, j] = weight
        totals = matrix.sum(axis=0)
        shares: npt.NDArray[np.float32] = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
        return shares


def features(analyses: Sequence[Sequence[TextAnalysis | None]], weights: Sequence[float]) -> ActivityFeatures:
    """Entries for each activity: its fields' units (weighted by field and concept) and leftover words."""
    out = ActivityFeatures()
    for owner, fields in enumerate(analyses):
        for analysis, field_weight in zip(fields, FIELD_WEIGHTS):
            if analysis is None:
                continue
            for unit in analysis.units:
                out.owners.append(owner)
                out.keys.append(unit.concepts)
                out.weights.append(field_weight * unit.emphasis * max(weights[c] for c in unit.concepts))
                out.field_weights.append(field_weight)
            for word in analysis.words:
                out.owners.append(owner)
                out.keys.append(word.lemma)
                out.weights.append(field_weight * WORD_WEIGHT * word.emphasis)
                out.field_weights.append(0.0)
    return out


def score_responsibilities(index: TargetIndex, feats: ActivityFeatures, fuzzy: Matrix, count: int) -> Matrix:
    """Scores 0-100, shape (count, targets)."""
    scores = np.zeros((count, len(index.targets)), dtype=np.float32)
    if not index.targets:
        return scores
    for lo, hi, owners, keys, weights, fws in _chunks(feats):
        coverage = _coverage(index, owners, keys, weights, lo, hi)
        focus = _focus(index, owners, keys, fws, lo, hi)
        scores[lo:hi] = 100 * (COVERAGE_WEIGHT * coverage + FOCUS_WEIGHT * focus) + FUZZY_WEIGHT * fuzzy[lo:hi]
    return scores


def _coverage(index: TargetIndex, owners: Owners, keys: list[Key], weights: Matrix, lo: int, hi: int) -> Matrix:
    rows = np.stack([index.coverage_row(k) for k in keys]) * weights[:, None]
    totals = np.maximum(_segment(np.add, weights[:, None], owners, lo, hi), MEAN_FLOOR)
    mean = _segment(np.add, rows, owners, lo, hi) / totals
    return COVERAGE_MEAN_SHARE * mean + (1 - COVERAGE_MEAN_SHARE) * _segment(np.maximum, rows, owners, lo, hi)


def _focus(index: TargetIndex, owners: Owners, keys: list[Key], fws: Matrix, lo: int, hi: int) -> Matrix:
    concepts = [k for k in keys if isinstance(k, tuple)]
    if not concepts:
        return np.zeros((hi - lo, len(index.targets)), dtype=np.float32)
    mask = np.asarray([isinstance(k, tuple) for k in keys])
    rows = np.stack([index.focus_row(k) for k in concepts]) * fws[mask][:, None]
    focus: Matrix = _segment(np.maximum, rows, owners[mask], lo, hi) @ index.focus_matrix
    return focus


def score_ethics(index: TargetIndex, feats: ActivityFeatures, count: int) -> Matrix:
    """Ethics topic scores 0-100, shape (count, topics): the best field-weighted topic membership."""
    topics = len(index.graph.topic_nodes)
    scores = np.zeros((count, topics), dtype=np.float32)
    for lo, hi, owners, keys, _, fws in _chunks(feats):
        mask = np.asarray([isinstance(k, tuple) for k in keys])
        if not mask.any():
            continue
        rows = np.stack([index.topic_row(k) for k in keys if isinstance(k, tuple)]) * fws[mask][:, None]
        scores[lo:hi] = 100 * _segment(np.maximum, rows, owners[mask], lo, hi)
    return scores


def fuzzy_scores(field_texts: Sequence[Sequence[str | None]], targets: Sequence[Target]) -> Matrix:
    """Field-weighted rapidfuzz similarity (0-100) of each activity's normalised texts to each target."""
    count = len(field_texts)
    total = np.zeros((count, len(targets)), dtype=np.float32)
    weight = np.zeros(count, dtype=np.float32)
    choices = [t.normalised for t in targets]
    for f, field_weight in enumerate(FIELD_WEIGHTS):
        texts = [fields[f] for fields in field_texts]
        distinct = sorted({t for t in texts if t})
        if not distinct or not choices:
            continue
        matrix = process.cdist(distinct, choices, scorer=FUZZY_SCORER, dtype=np.float32, workers=-1)
        where = {t: i for i, t in enumerate(distinct)}
        rows = np.asarray([where.get(t, -1) if t else -1 for t in texts])
        present = rows >= 0
        total[present] += field_weight * matrix[rows[present]]
        weight[present] += field_weight
    return np.divide(total, weight[:, None], out=np.zeros_like(total), where=weight[:, None] > 0)


Chunk = tuple[int, int, Owners, list[Key], Matrix, Matrix]


def _chunks(feats: ActivityFeatures) -> Iterator[Chunk]:
    """Slices of the entries covering activities [lo, hi), CHUNK_ROWS activities at a time."""
    owners = np.asarray(feats.owners, dtype=np.int64)
    weights = np.asarray(feats.weights, dtype=np.float32)
    fws = np.asarray(feats.field_weights, dtype=np.float32)
    if owners.size == 0:
        return
    last = int(owners[-1]) + 1
    for lo in range(0, last, CHUNK_ROWS):
        hi = min(lo + CHUNK_ROWS, last)
        a, b = np.searchsorted(owners, [lo, hi])
        if a == b:
            continue
        yield lo, hi, owners[a:b], feats.keys[a:b], weights[a:b], fws[a:b]


def _segment(op: np.ufunc, rows: Matrix, owners: Owners, lo: int, hi: int) -> Matrix:
    """Rows reduced with `op` per owner, placed at owner - lo in a (hi - lo, columns) array of zeros."""
    out = np.zeros((hi - lo, rows.shape[1]), dtype=np.float32)
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    out[owners[starts] - lo] = op.reduceat(rows, starts, axis=0)
    return out


