"""The domain knowledge base and the ethics taxonomy, read from mappers/data as plain data.

`load_knowledge()` reads knowledge.yaml, frameworks.yaml and ethics_topics.yaml once per process and returns
one `KnowledgeBase`: every concept (knowledge concepts, one node per responsibility kind, id "kind:<kind>",
and one node per ethics topic, id "ethics:<topic>"), the phrases that name them, the compound-word stems and
the word lists. A kind's or topic's `concepts` (and a concept's own `serves` and `ethics`) become `broader`
links from those concepts to the kind or topic node, so a narrower concept (kyc -> cdd -> aml ->
financial-crime) reaches them through the graph. ethics_topics.yaml's `decisions` are checked against the
graph: a concept decided "not ethics" must reach no topic, one decided "ethics" must reach one. Bad data
raises `KnowledgeError` naming the entry.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from mappers.datafiles import load_yaml

__all__ = [
    "Concept", "Pattern", "EthicsTopic", "Kind", "Source", "Decision", "Combination", "KnowledgeBase", "KnowledgeError",
    "load_knowledge", "build_knowledge", "TOPIC_PREFIX", "KIND_PREFIX",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
KNOWLEDGE_FILE = DATA_DIR / "knowledge.yaml"
FRAMEWORKS_FILE = DATA_DIR / "frameworks.yaml"
ETHICS_FILE = DATA_DIR / "ethics_topics.yaml"
TOPIC_PREFIX = "ethics:"
KIND_PREFIX = "kind:"
TOPIC_WEIGHT = 0.9
KIND_WEIGHT = 0.6
LANGUAGE_KEYS = ("aliases", "fr", "de", "es")

PatternKind = Literal["lemma", "exact", "abbreviation"]


class KnowledgeError(ValueError):
    """knowledge.yaml or ethics_topics.yaml holds something unusable; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    label: str
    weight: float
    unit_weight: float
    broader: tuple[str, ...]
    related: tuple[str, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """A public document concepts were taken from."""

    id: str
    title: str
    used: str


@dataclass(frozen=True, slots=True)
class Kind:
    """A responsibility kind (what a piece of work is for); `node` is its concept id in the graph."""

    id: str
    label: str
    node: str
    concepts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """A borderline ethics call decided in ethics_topics.yaml: is `concept` (and all under it) ethics?"""

    concept: str
    ethics: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Combination:
    """A text naming a concept under each of `all` is also about `implies`."""

    all: tuple[str, ...]
    implies: str


@dataclass(frozen=True, slots=True)
class Pattern:
    concept_id: str
    text: str
    kind: PatternKind


@dataclass(frozen=True, slots=True)
class EthicsTopic:
    id: str
    label: str
    node: str
    concepts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    version: str
    concepts: Mapping[str, Concept]
    patterns: tuple[Pattern, ...]
    stems: tuple[tuple[str, str], ...]
    topics: tuple[EthicsTopic, ...]
    kinds: tuple[Kind, ...]
    sources: Mapping[str, Source]
    decisions: tuple[Decision, ...]
    combinations: tuple[Combination, ...]
    lemma_fixes: Mapping[str, str]
    stop_words: frozenset[str]
    course_words: frozenset[str]


@lru_cache(maxsize=1)
def load_knowledge() -> KnowledgeBase:
    """The knowledge base of mappers/data, read and checked once per process."""
    return build_knowledge(_read_yaml(KNOWLEDGE_FILE), _read_yaml(ETHICS_FILE), _read_yaml(FRAMEWORKS_FILE))


def build_knowledge(knowledge: Mapping[str, object], ethics: Mapping[str, object],
                    frameworks: Mapping[str, object] | None = None) -> KnowledgeBase:
    """A checked `KnowledgeBase` from the parsed contents of the data files (frameworks.yaml optional)."""
    frameworks = frameworks or {}
    sources = {s.id: s for s in (_source(e) for e in _entries(frameworks.get("sources") or [], "frameworks.yaml sources"))}
    default_source = str(knowledge.get("source") or "")
    entries = _entries(knowledge.get("concepts"), "knowledge.yaml concepts")
    entries += _entries(frameworks.get("concepts") or [], "frameworks.yaml concepts")
    topic_entries = _entries(ethics.get("topics"), "ethics_topics.yaml topics")
    topics = tuple(_topic(entry) for entry in topic_entries)
    kinds = tuple(_kind(entry) for entry in _entries(frameworks.get("kinds") or [], "frameworks.yaml kinds"))
    extra_broader = _hub_links(entries, topics, kinds)
    concepts = {entry_id: concept for entry_id, concept in (_concept(e, extra_broader, default_source) for e in entries)}
    for topic in topics:
        concepts[topic.node] = Concept(topic.node, topic.label, TOPIC_WEIGHT, TOPIC_WEIGHT, (), ())
    for kind in kinds:
        concepts[kind.node] = Concept(kind.node, kind.label, KIND_WEIGHT, KIND_WEIGHT, (), ())
    combinations = tuple(_combination(c) for c in _list(knowledge.get("combinations")))
    _check_references(concepts, topics, kinds, combinations)
    _check_sources(concepts, sources)
    _check_acyclic(concepts)
    decisions = tuple(_decision(d) for d in _list(ethics.get("decisions")))
    _check_decisions(concepts, decisions)
    patterns = tuple(_patterns(entries)) + tuple(_topic_patterns(topic_entries, topics))
    _check_duplicates(patterns)
    return KnowledgeBase(
        version=f"{knowledge.get('version', '?')}+{frameworks.get('version', '-')}/{ethics.get('version', '?')}",
        concepts=concepts,
        patterns=patterns,
        stems=tuple((str(s), str(e["id"])) for e in entries for s in _strings(e, "stems")),
        topics=topics,
        kinds=kinds,
        sources=sources,
        decisions=decisions,
        combinations=combinations,
        lemma_fixes={str(k): str(v) for k, v in _mapping(knowledge.get("lemma_fixes")).items()},
        stop_words=frozenset(str(w) for w in _list(knowledge.get("stop_words"))),
        course_words=frozenset(str(w) for w in _list(knowledge.get("course_words"))),
    )


def _hub_links(entries: list[Mapping[str, object]], topics: tuple[EthicsTopic, ...],
               kinds: tuple[Kind, ...]) -> dict[str, list[str]]:
    """Extra `broader` links from concepts to the ethics-topic and kind nodes they belong to."""
    links: dict[str, list[str]] = {}
    hubs: tuple[EthicsTopic | Kind, ...] = (*topics, *kinds)
    for hub in hubs:
        for concept_id in hub.concepts:
            links.setdefault(concept_id, []).append(hub.node)
    for entry in entries:
        concept_id = str(entry["id"])
        links.setdefault(concept_id, []).extend(TOPIC_PREFIX + t for t in _strings(entry, "ethics"))
        links.setdefault(concept_id, []).extend(KIND_PREFIX + k for k in _strings(entry, "serves"))
    return {k: list(dict.fromkeys(v)) for k, v in links.items()}


def _read_yaml(path: Path) -> Mapping[str, object]:
    data = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path.name}: expected a mapping at the top level.")
    return data


def _entries(value: object, where: str) -> list[Mapping[str, object]]:
    if not isinstance(value, list) or not all(isinstance(e, dict) and e.get("id") for e in value):
        raise KnowledgeError(f"{where}: expected a list of mappings, each with an id.")
    return value


def _concept(entry: Mapping[str, object], extra_broader: Mapping[str, list[str]], default_source: str) -> tuple[str, Concept]:
    concept_id = str(entry["id"])
    weight = _weight(entry, "weight", 1.0)
    unit_weight = _weight(entry, "unit_weight", weight)
    broader = tuple(dict.fromkeys(_strings(entry, "broader") + extra_broader.get(concept_id, [])))
    label = str(entry.get("label") or concept_id)
    sources = tuple(_strings(entry, "source")) if isinstance(entry.get("source"), list) else ()
    sources = sources or ((default_source,) if default_source else ())
    return concept_id, Concept(concept_id, label, weight, unit_weight, broader, tuple(_strings(entry, "related")), sources)


def _source(entry: Mapping[str, object]) -> Source:
    title = entry.get("title")
    if not isinstance(title, str) or not title:
        raise KnowledgeError(f"source '{entry['id']}': a title is required (the public document it names).")
    return Source(str(entry["id"]), title, str(entry.get("used") or ""))


def _kind(entry: Mapping[str, object]) -> Kind:
    kind_id = str(entry["id"])
    label = entry.get("label")
    if not isinstance(label, str) or not label:
        raise KnowledgeError(f"responsibility kind '{kind_id}': a label is required.")
    return Kind(kind_id, label, KIND_PREFIX + kind_id, tuple(_strings(entry, "concepts")))


def _decision(entry: object) -> Decision:
    if not isinstance(entry, dict) or not isinstance(entry.get("concept"), str) or not isinstance(entry.get("ethics"), bool):
        raise KnowledgeError(f"ethics decision {entry!r:.80}: expected {{concept: id, ethics: true|false, reason: ...}}.")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise KnowledgeError(f"ethics decision on '{entry['concept']}': say why (a 'reason').")
    return Decision(entry["concept"], entry["ethics"], " ".join(reason.split()))


def _check_sources(concepts: Mapping[str, Concept], sources: Mapping[str, Source]) -> None:
    for concept in concepts.values():
        for source in concept.sources:
            if sources and source not in sources:
                raise KnowledgeError(f"concept '{concept.id}' names unknown source '{source}'; add it to frameworks.yaml sources.")


def _check_decisions(concepts: Mapping[str, Concept], decisions: tuple[Decision, ...]) -> None:
    """A concept decided "not ethics" reaches no topic node through `broader` links; one decided "ethics" does."""
    for decision in decisions:
        if decision.concept not in concepts:
            raise KnowledgeError(f"ethics decision names unknown concept '{decision.concept}'.")
        reached = _reaches_topic(concepts, decision.concept)
        if reached != decision.ethics:
            raise KnowledgeError(
                f"ethics decision on '{decision.concept}' says ethics={decision.ethics}, but the concept "
                f"{'reaches' if reached else 'reaches no'} ethics topic through its broader links; fix one or the other.")


def _reaches_topic(concepts: Mapping[str, Concept], concept_id: str) -> bool:
    seen: set[str] = set()
    stack = [concept_id]
    while stack:
        current = stack.pop()
        if current.startswith(TOPIC_PREFIX):
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(concepts[current].broader)
    return False


def _weight(entry: Mapping[str, object], key: str, default: float) -> float:
    value = entry.get(key, default)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= 1:
        raise KnowledgeError(f"concept '{entry['id']}': {key} must be a number in (0, 1], found {value!r}.")
    return float(value)


def _combination(entry: object) -> Combination:
    if not isinstance(entry, dict) or not isinstance(entry.get("implies"), str):
        raise KnowledgeError(f"combination {entry!r:.80}: expected {{all: [concept, ...], implies: concept}}.")
    parts = tuple(str(c) for c in _list(entry.get("all")))
    if len(parts) < 2:
        raise KnowledgeError(f"combination {entry!r:.80}: 'all' needs at least two concepts.")
    return Combination(parts, str(entry["implies"]))


def _topic(entry: Mapping[str, object]) -> EthicsTopic:
    topic_id = str(entry["id"])
    label = entry.get("label")
    if not isinstance(label, str) or not label:
        raise KnowledgeError(f"ethics topic '{topic_id}': a label is required.")
    return EthicsTopic(topic_id, label, TOPIC_PREFIX + topic_id, tuple(_strings(entry, "concepts")))


def _patterns(entries: Iterable[Mapping[str, object]]) -> Iterable[Pattern]:
    for entry in entries:
        concept_id = str(entry["id"])
        yield Pattern(concept_id, str(entry.get("label") or concept_id), "lemma")
        for key in LANGUAGE_KEYS:
            yield from (Pattern(concept_id, text, "lemma") for text in _strings(entry, key))
        yield from (Pattern(concept_id, text, "exact") for text in _strings(entry, "exact"))
        yield from (Pattern(concept_id, text, "abbreviation") for text in _strings(entry, "abbreviations"))


def _topic_patterns(entries: Iterable[Mapping[str, object]], topics: tuple[EthicsTopic, ...]) -> Iterable[Pattern]:
    for entry, topic in zip(entries, topics):
        for key in ("phrases", "fr", "de", "es"):
            yield from (Pattern(topic.node, text, "lemma") for text in _strings(entry, key))


def _check_references(concepts: Mapping[str, Concept], topics: tuple[EthicsTopic, ...], kinds: tuple[Kind, ...],
                      combinations: tuple[Combination, ...]) -> None:
    for combination in combinations:
        for concept_id in combination.all + (combination.implies,):
            if concept_id not in concepts:
                raise KnowledgeError(f"combination {combination.all} -> {combination.implies}: unknown concept '{concept_id}'.")
    for concept in concepts.values():
        for target in concept.broader + concept.related:
            if target not in concepts:
                raise KnowledgeError(f"concept '{concept.id}' refers to unknown concept '{target}'.")
    hubs: tuple[EthicsTopic | Kind, ...] = (*topics, *kinds)
    for hub in hubs:
        for concept_id in hub.concepts:
            if concept_id not in concepts:
                raise KnowledgeError(f"'{hub.id}' lists unknown concept '{concept_id}'.")


def _check_acyclic(concepts: Mapping[str, Concept]) -> None:
    state: dict[str, int] = {}

    def visit(concept_id: str, path: tuple[str, ...]) -> None:
        if state.get(concept_id) == 2:
            return
        if state.get(concept_id) == 1:
            raise KnowledgeError(f"broader links form a cycle: {' -> '.join(path + (concept_id,))}.")
        state[concept_id] = 1
        for parent in concepts[concept_id].broader:
            visit(parent, path + (concept_id,))
        state[concept_id] = 2

    for concept_id in concepts:
        visit(concept_id, ())


def _check_duplicates(patterns: tuple[Pattern, ...]) -> None:
    """The same phrase may name a knowledge concept and an ethics topic, never two knowledge concepts."""
    owner: dict[tuple[str, str], str] = {}
    for pattern in patterns:
        if pattern.concept_id.startswith(TOPIC_PREFIX):
            continue
        key = (pattern.kind, pattern.text if pattern.kind == "abbreviation" else pattern.text.lower())
        other = owner.setdefault(key, pattern.concept_id)
        if other != pattern.concept_id:
            raise KnowledgeError(f"phrase '{pattern.text}' names both '{other}' and '{pattern.concept_id}'.")


def _strings(entry: Mapping[str, object], key: str) -> list[str]:
    values = _list(entry.get(key))
    if not all(isinstance(v, (str, int)) and str(v).strip() for v in values):
        raise KnowledgeError(f"entry '{entry.get('id')}': '{key}' must be a list of non-empty texts.")
    return [str(v).strip() for v in values]


def _list(value: object) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise KnowledgeError(f"expected a list, found {type(value).__name__}: {value!r:.60}.")
    return value


def _mapping(value: object) -> Mapping[object, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise KnowledgeError(f"expected a mapping, found {type(value).__name__}.")
    return value
