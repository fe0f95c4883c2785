"""The knowledge base's phrases as token ids, and spaCy PhraseMatchers built from those ids.

A phrase is the ids (spaCy's string hashes) of one attribute of its tokens as spaCy tokenises it: NORM for
"lemma" phrases (folded lemmas, mappers.matching.text), LOWER for "exact" ones and ORTH for case-sensitive
abbreviations. PhraseMatcher.add keeps a phrase as exactly those ids (it reads them off a Doc, or takes
them as they are), so matchers built from stored ids match as those built from Docs, without tokenising
~5,700 phrases and creating a lexeme for each of their words at start-up (0.3 CPU s against 0.01). The ids
are plain data, kept on disk between processes (mappers.matching.cache); a string's id is the same in every
process of one spaCy version.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from spacy.matcher import PhraseMatcher
from spacy.vocab import Vocab

__all__ = ["KINDS", "Phrases", "phrase_lists", "phrase_matchers"]

# Each kind of phrase and the token attribute it compares (spaCy's attribute names).
KINDS = (("lemma", "NORM"), ("exact", "LOWER"), ("abbreviation", "ORTH"))

# kind -> [(the phrase's token ids, the index of the concept it names)], in the order they were compiled
Phrases = Mapping[str, Sequence[tuple[Sequence[int], int]]]


def phrase_lists(phrases: Iterable[tuple[str, Sequence[int], int]]) -> dict[str, list[tuple[tuple[int, ...], int]]]:
    """(kind, ids, concept) triples grouped by kind, as `phrase_matchers` and the disk cache take them."""
    grouped: dict[str, list[tuple[tuple[int, ...], int]]] = {kind: [] for kind, _ in KINDS}
    for kind, ids, concept in phrases:
        grouped[kind].append((tuple(ids), concept))
    return grouped


def phrase_matchers(vocab: Vocab, phrases: Phrases, concept_ids: Sequence[str]) -> tuple[list[PhraseMatcher], dict[int, int]]:
    """One PhraseMatcher per kind (KINDS order) holding its phrases, each under its concept's id as match key,
    and the concept index of each match key."""
    matchers: list[PhraseMatcher] = []
    keys: dict[int, int] = {}
    for kind, attr in KINDS:
        matcher = PhraseMatcher(vocab, attr=attr)
        by_concept: dict[int, list[list[int]]] = {}
        for ids, concept in phrases.get(kind, ()):
            by_concept.setdefault(concept, []).append(list(ids))
        for concept, keywords in by_concept.items():
            matcher.add(concept_ids[concept], keywords)  # type: ignore[arg-type]  # ids as it reads them off a Doc
            keys[vocab.strings[concept_ids[concept]]] = concept
        matchers.append(matcher)
    return matchers, keys
