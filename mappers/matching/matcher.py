"""The Matcher: activities in, responsibility matches and ethics out, each with the terms that made it.

`Matcher(role).match_many(items)` takes (title, description, reflection) triples and returns, for item
i, the role's responsibilities it serves (best first, only those scoring RESPONSIBILITY_THRESHOLD or
more, at most MAX_RESPONSIBILITIES) and its `Ethics` (related when a topic scores ETHICS_THRESHOLD or
more). Repeated items are scored once, in a call and across calls (a big file comes in batches whose titles
repeat: up to MAX_REMEMBERED results are kept). Deterministic: the same inputs always give the same output.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from mappers.activity import Ethics, EthicsTopicMatch, ResponsibilityMatch
from mappers.matching.concepts import ConceptGraph
from mappers.matching.roles import RoleProfile
from mappers.matching.scoring import (
    ETHICS_THRESHOLD, FIELD_WEIGHTS, RESPONSIBILITY_THRESHOLD, Matrix, Target, TargetIndex, features,
    fuzzy_scores, score_ethics, score_responsibilities,
)
from mappers.matching.coordination import expansions
from mappers.matching.exemplars import EXEMPLAR_MARK, Exemplar, ExemplarIndex, check, load_exemplars
from mappers.matching.inference import ConceptAnchors, is_weak, with_units
from mappers.matching.semantic import Embedder, embedder
from mappers.matching.text import TextAnalysis, TextAnalyser, Unit, analyser

__all__ = ["Matcher", "Item", "MAX_RESPONSIBILITIES", "MAX_TOPICS", "TERM_SIMILARITY", "kinds_of"]

Item = tuple[str, str | None, str | None]
Result = tuple[tuple[ResponsibilityMatch, ...], Ethics]
Indices = npt.NDArray[np.intp]

MAX_RESPONSIBILITIES = 3
MAX_TOPICS = 3
MAX_REMEMBERED = 20_000     # results kept across match_many calls (immutable, so shared); past it, started again
TERM_SIMILARITY = 0.4
NO_ETHICS = Ethics(related=False, topics=())


class Matcher:
    """Maps activities to one role's responsibilities (none when `role` is None) and to ethics topics."""

    def __init__(self, role: RoleProfile | None, exemplars: Iterable[Exemplar] | None = None) -> None:
        """`exemplars`: those of mappers/data/exemplars.yaml when None (pass () for none at all)."""
        self.role = role
        self._text = analyser()
        graph = _graph(self._text)
        self._topics = self._text.kb.topics
        targets = [_target(self._text, r.id, r.text) for r in role.responsibilities] if role else []
        self._index = TargetIndex(graph, targets)
        self._exemplars = ExemplarIndex((), ())
        self._remembered: dict[Item, Result] = {}
        self.add_exemplars(load_exemplars() if exemplars is None else exemplars)

    def add_exemplars(self, exemplars: Iterable[Exemplar]) -> None:
        """Teach the matcher at run time: titles close to these exemplars inherit their kind or topic from
        the next `match_many` on. Raises ExemplarError (naming the entry) for an unknown kind or topic."""
        checked = tuple(check(e, self._text.kb) for e in exemplars)
        merged = tuple(dict.fromkeys(self._exemplars.exemplars + checked))
        normalised = [a.normalised for a in self._text.analyse_many([e.text for e in merged])] if merged else []
        self._exemplars = ExemplarIndex(merged, normalised)
        self._remembered = {}      # what the exemplars teach may change any result

    def match_many(self, items: Sequence[Item]) -> list[Result]:
        """Result i belongs to item i: (responsibilities best first, ethics). Items whose texts are the
        same, or analyse the same (equal analyses are shared objects), are scored once."""
        remembered = self._remembered
        keys = [(t, d or None, r or None) for t, d, r in items]
        fresh = list(dict.fromkeys(k for k in keys if k not in remembered))
        if fresh and len(remembered) + len(fresh) > MAX_REMEMBERED:   # over the bound: keep what this call needs
            needed = {k: remembered[k] for k in dict.fromkeys(keys) if k in remembered}
            remembered.clear()
            remembered.update(needed)
        if fresh:
            remembered.update(zip(fresh, self._score_items(fresh)))
        found = [remembered[k] for k in keys]
        if len(remembered) > MAX_REMEMBERED:   # one call larger than the bound: answered, then forgotten
            remembered.clear()
        return found

    def _score_items(self, distinct: list[Item]) -> list[Result]:
        """Results of distinct items; those whose fields analyse the same (shared objects) are scored once."""
        groups: dict[tuple[int, ...], int] = {}
        shapes: list[list[TextAnalysis | None]] = []
        titles: list[str] = []
        group_of: list[int] = []
        for item, fields in zip(distinct, self._analyse(distinct)):
            group = groups.setdefault(tuple(id(a) for a in fields), len(groups))
            if group == len(shapes):
                shapes.append(fields)
                titles.append(item[0])
            group_of.append(group)
        results = self._score(self._enrich(shapes, titles))
        return [results[g] for g in group_of]

    def _enrich(self, shapes: list[list[TextAnalysis | None]], titles: list[str]) -> list[list[TextAnalysis | None]]:
        """Titles with the units exemplars give them and, where their words name no specific concept,
        the concepts their meaning is close to (inference.py)."""
        graph = self._index.graph
        extra: list[list[Unit]] = [[] for _ in shapes]
        for i, hits in enumerate(self._exemplars.close_by_words([f[0].normalised if f[0] else "" for f in shapes])):
            extra[i] += [self._exemplar_unit(k) for k in hits]
        weak = [i for i, fields in enumerate(shapes) if is_weak(fields[0], graph.unit_weights)]
        embed = embedder() if weak else None
        if embed is not None:
            vectors = embed.embed([titles[i] for i in weak])
            inferred = _anchors(self._text, embed).infer(vectors)
            for i, units, hits in zip(weak, inferred, self._exemplars.close_by_meaning(vectors, embed)):
                extra[i] += [self._exemplar_unit(k) for k in hits] + list(units)
        return [[with_units(fields[0], tuple(dict.fromkeys(more))), *fields[1:]] if more and fields[0] else fields
                for fields, more in zip(shapes, extra)]

    def _exemplar_unit(self, k: int) -> Unit:
        exemplar = self._exemplars.exemplars[k]
        return Unit((self._text.index(exemplar.node()),), EXEMPLAR_MARK + exemplar.text)

    def _score(self, analyses: list[list[TextAnalysis | None]]) -> list[Result]:
        feats = features(analyses, self._index.graph.unit_weights)
        ethics = score_ethics(self._index, feats, len(analyses))
        responsibilities = np.zeros((len(analyses), 0), dtype=np.float32)
        if self._index.targets:
            texts = [[a.normalised if a else None for a in fields] for fields in analyses]
            fuzzy = fuzzy_scores(texts, self._index.targets)
            responsibilities = score_responsibilities(self._index, feats, fuzzy, len(analyses))
        best = np.argsort(-responsibilities, axis=1, kind="stable")[:, :MAX_RESPONSIBILITIES]
        topics = np.argsort(-ethics, axis=1, kind="stable")[:, :MAX_TOPICS]
        return [self._result(fields, best[i], responsibilities[i], topics[i], ethics[i])
                for i, fields in enumerate(analyses)]

    def _analyse(self, uniques: list[Item]) -> list[list[TextAnalysis | None]]:
        columns: list[list[TextAnalysis | None]] = []
        for f in range(len(FIELD_WEIGHTS)):
            texts = [item[f] or "" for item in uniques]
            analysed = self._text.analyse_many([t for t in texts if t.strip()])
            it = iter(analysed)
            columns.append([next(it) if t.strip() else None for t in texts])
        return [list(fields) for fields in zip(*columns)]

    def _result(self, fields: list[TextAnalysis | None], order: Indices, scores: Matrix,
                topic_order: Indices, ethics: Matrix) -> Result:
        matches = tuple(self._responsibility(fields, j, scores[j])
                        for j in order.tolist() if scores[j] >= RESPONSIBILITY_THRESHOLD)
        topics = tuple(self._topic(fields, k, ethics[k])
                       for k in topic_order.tolist() if ethics[k] >= ETHICS_THRESHOLD)
        return matches, (Ethics(related=True, topics=topics) if topics else NO_ETHICS)

    def _responsibility(self, fields: list[TextAnalysis | None], j: int, score: np.float32) -> ResponsibilityMatch:
        target = self._index.targets[j]
        ours: list[str] = []
        theirs: list[str] = []
        for analysis in fields:
            if analysis is None:
                continue
            for unit in analysis.units:
                sim, surface = self._index.best_unit(unit.concepts, j)
                if sim >= TERM_SIMILARITY:
                    ours.append(unit.surface)
                    theirs.append(surface)
            for word in analysis.words:
                if word.lemma in target.words:
                    ours.append(word.surface)
                    theirs.append(target.words[word.lemma])
        terms = _unique(ours + theirs)
        return ResponsibilityMatch(id=target.id, text=target.text, score=round(float(score), 1), terms=terms)

    def _topic(self, fields: list[TextAnalysis | None], k: int, score: np.float32) -> EthicsTopicMatch:
        topic = self._topics[k]
        terms: list[str] = []
        for analysis, field_weight in zip(fields, FIELD_WEIGHTS):
            if analysis is None:
                continue
            for unit in analysis.units:
                if 100 * float(self._index.topic_row(unit.concepts)[k]) * field_weight >= ETHICS_THRESHOLD:
                    link = max(unit.concepts, key=lambda c: self._index.graph.topic_strength(c)[k])
                    terms += [unit.surface, self._index.graph.topic_link(link, k)]
        return EthicsTopicMatch(id=topic.id, label=topic.label, score=round(float(score), 1), terms=_unique(terms))


def kinds_of(responsibility: str) -> tuple[str, ...]:
    """The responsibility kinds (frameworks.yaml `kinds`) a responsibility's text reaches, strongest first:
    what a title a person confirmed for that responsibility becomes an exemplar of (Exemplar.kind)."""
    text = analyser()
    graph = _graph(text)
    kinds = {text.index(k.node): k.id for k in text.kb.kinds}
    best: dict[str, float] = {}
    for unit in text.analyse_nested(responsibility).units:
        for concept in unit.concepts:
            for node, strength in graph.reach(concept).items():
                if node in kinds and strength > best.get(kinds[node], 0.0):
                    best[kinds[node]] = strength
    return tuple(sorted(best, key=lambda k: (-best[k], k)))


@lru_cache(maxsize=1)
def _graph(text: TextAnalyser) -> ConceptGraph:
    return ConceptGraph(text.kb, text.concept_ids)


@lru_cache(maxsize=1)
def _anchors(text: TextAnalyser, embed: Embedder) -> ConceptAnchors:
    return ConceptAnchors(text.kb, text.concept_ids, embed)


def _target(text: TextAnalyser, rid: str, body: str) -> Target:
    nested = text.analyse_nested(body)
    top = text.analyse_many([body])[0]
    words = {w.lemma: w.surface for w in top.words}
    return Target(rid, body, nested.units + _distributed(text, body, nested.units), top.units, words, top.normalised)


def _distributed(text: TextAnalyser, body: str, units: tuple[Unit, ...]) -> tuple[Unit, ...]:
    """Units that only the distributed forms of coordinated phrases name ("foundation law" in "trust,
    foundation and company law"), quoted as the phrase was written."""
    known = {c for unit in units for c in unit.concepts}
    extra: list[Unit] = []
    for written, forms in expansions(body):
        for modifier, form in forms:
            for unit in text.analyse_nested(form).units:
                fresh = tuple(c for c in unit.concepts if c not in known)
                if fresh and modifier.casefold() in unit.surface.casefold():
                    known.update(fresh)
                    extra.append(Unit(fresh, written))
    return tuple(extra)


def _unique(terms: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for term in terms:
        key = term.casefold()
        if key not in seen:
            seen.add(key)
            out.append(term)
    return tuple(out)
