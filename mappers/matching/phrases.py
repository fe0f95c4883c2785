"""Knowledge-base phrases found in a text's tokens: spaCy's PhraseMatcher, over plain dicts of token ids.

A phrase is the ids (spaCy's string hashes) of one attribute of its tokens, as spaCy tokenises it: NORM for
"lemma" phrases (folded lemmas, mappers.matching.text), LOWER for "exact" ones and ORTH for case-sensitive
abbreviations. `PhraseTable.find` gives every (start, end) whose tokens' ids equal a phrase's, overlapping
ones included, with the concepts it names: what three PhraseMatchers gave (their `find_matches` walks a trie
from every token and reports each phrase end it passes), without a Doc and its lexemes built for each of the
~5,700 phrases at start-up (0.3 CPU s). The ids are plain data, so the compiled phrases can be kept on disk
(mappers.matching.cache); a string's id is the same in every process of one spaCy version.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

__all__ = ["KINDS", "Phrases", "PhraseTable", "phrase_lists"]

# Each kind of phrase and the token attribute it compares (spaCy's attribute names).
KINDS = (("lemma", "NORM"), ("exact", "LOWER"), ("abbreviation", "ORTH"))

# kind -> [(the phrase's token ids, the index of the concept it names)], in the order they were added
Phrases = Mapping[str, Sequence[tuple[Sequence[int], int]]]


class PhraseTable:
    """The phrases of each kind, by their token ids, and the concepts each names."""

    def __init__(self, phrases: Phrases) -> None:
        self._kinds: list[tuple[dict[int, tuple[int, ...]], dict[tuple[int, ...], frozenset[int]]]] = []
        for kind, _ in KINDS:
            named: dict[tuple[int, ...], set[int]] = {}
            lengths: dict[int, set[int]] = {}
            for ids, concept in phrases.get(kind, ()):
                key = tuple(ids)
                if not key:          # PhraseMatcher skips an empty phrase too
                    continue
                named.setdefault(key, set()).add(concept)
                lengths.setdefault(key[0], set()).add(len(key))
            self._kinds.append(({first: tuple(sorted(found)) for first, found in lengths.items()},
                                {key: frozenset(found) for key, found in named.items()}))

    def find(self, columns: Sequence[Sequence[int]]) -> dict[tuple[int, int], set[int]]:
        """(start, end) -> the concepts named there, for every phrase found; `columns` holds the text's token
        ids of each kind's attribute, in KINDS order (the same number of tokens in each)."""
        spans: dict[tuple[int, int], set[int]] = {}
        for (lengths_by_first, named), ids in zip(self._kinds, columns):
            size = len(ids)
            for start, first in enumerate(ids):
                lengths = lengths_by_first.get(first)
                if lengths is None:
                    continue
                for length in lengths:
                    end = start + length
                    if end > size:
                        break
                    found = named.get(tuple(ids[start:end]))
                    if found is not None:
                        spans.setdefault((start, end), set()).update(found)
        return spans


def phrase_lists(phrases: Iterable[tuple[str, Sequence[int], int]]) -> dict[str, list[tuple[tuple[int, ...], int]]]:
    """(kind, ids, concept) triples grouped by kind, as `PhraseTable` and the disk cache take them."""
    grouped: dict[str, list[tuple[tuple[int, ...], int]]] = {kind: [] for kind, _ in KINDS}
    for kind, ids, concept in phrases:
        grouped[kind].append((tuple(ids), concept))
    return grouped
