"""Text analysis with spaCy: tokens, lower-cased lemmas, stop words and knowledge-base phrases.

One pipeline per process (`analyser()`), built on `spacy.blank("en")` and the English lookup lemma
table of spacy-lookups-data, with the knowledge base's fixes for the table's misses ("taxes" ->
"taxis"). Lemmas are computed once per word type and stored as the lexeme's NORM (lower-cased, lemma,
accents folded), so a text costs only its tokenisation: three PhraseMatchers then find concepts by
NORM (phrases), LOWER (exact forms) and ORTH (case-sensitive abbreviations). Hyphens, slashes, dashes
and French elisions (l', d') become spaces first, keeping character offsets, so every match points
back to the words as written. Analyses of repeated texts come from a bounded per-process cache.

What the analyser derives from the data (the phrases' token ids, from which its PhraseMatchers are built in
0.01 s, mappers.matching.phrases; the lemma table; the spelling vocabulary: `Compiled`) takes ~0.5 CPU s to
build; `analyser()` keeps it on disk (mappers.matching.cache) keyed by a
hash of the data files, this code and the libraries' versions, and builds it only where none is stored.
"""
from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import mappers.lightspacy  # noqa: F401,I001  (first: spaCy imported without its command line)
import spacy
from spacy.attrs import LOWER, NORM, ORTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from rapidfuzz import process
from rapidfuzz.distance import OSA

from mappers import datafiles
from mappers.matching import cache, knowledge, phrases, surface
from mappers.matching.knowledge import KnowledgeBase, Pattern, load_knowledge
from mappers.matching.phrases import KINDS, phrase_lists, phrase_matchers
from mappers.matching.surface import Source, fold, prepare

__all__ = ["Unit", "Word", "TextAnalysis", "TextAnalyser", "Compiled", "analyser"]

MAX_CACHED_TEXTS = 100_000
AUDIENCE_MARKERS = frozenset({"for", "on", "für", "fur", "bei", "pour", "sur", "para"})
AUDIENCE_WEIGHT = 0.6
HEAD_UNIT_WEIGHT = 0.9
MIN_STEM_WORD = 5
MIN_LOWERCASE_ABBREVIATION = 3
MIN_CORRECTED_WORD = 7
SPELLING_SIMILARITY = 0.85
PIPE_BATCH_SIZE = 2_000
_KIND_ATTRS = {"NORM": NORM, "LOWER": LOWER, "ORTH": ORTH}
CACHE_NAME = "analyser"


@dataclass(frozen=True, slots=True)
class Unit:
    """One concept mention: the concept indexes (one phrase may name several), the words as written,
    and its emphasis: AUDIENCE_WEIGHT after "for" or "on" when a subject (a concept of unit weight
    HEAD_UNIT_WEIGHT or more) comes before it: "Ethics for tax advisers" is about ethics, "Exit charges
    on discretionary trusts" about exit charges, but "Case law on trustee duties" about trustee duties."""

    concepts: tuple[int, ...]
    surface: str
    emphasis: float = 1.0


@dataclass(frozen=True, slots=True)
class Word:
    """A content word that no concept explains: its lemma, the word as written, its emphasis (as `Unit`)."""

    lemma: str
    surface: str
    emphasis: float = 1.0


@dataclass(frozen=True, slots=True)
class _TokenInfo:
    norm: str
    content: bool
    stem_owner: int
    marker: bool
    correction: str


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """A text's concept units (in reading order, then any the combinations imply), its leftover
    content words, and its content lemmas joined by spaces (for fuzzy comparison)."""

    units: tuple[Unit, ...]
    words: tuple[Word, ...]
    normalised: str


@dataclass(frozen=True, slots=True)
class Compiled:
    """What an analyser derives from its knowledge base and spaCy's data: spacy-lookups-data's English lemma
    table (string id -> lemma), the lemmas in it (the words known as English), the knowledge base's phrases as
    token ids by kind (phrases.Phrases) and the vocabulary misspellings are corrected to."""

    lemmas: dict[int, str]
    english: frozenset[str]
    phrases: dict[str, list[tuple[tuple[int, ...], int]]]
    vocabulary: dict[str, str]

    def to_data(self) -> dict[str, object]:
        """Plain data for the disk cache."""
        return {"lemmas": self.lemmas, "english": sorted(self.english), "phrases": self.phrases,
                "vocabulary": self.vocabulary}

    @classmethod
    def from_data(cls, data: object) -> Compiled | None:
        """The Compiled `to_data` gave, or None for anything else (a damaged or foreign file)."""
        if not isinstance(data, dict) or set(data) != {"lemmas", "english", "phrases", "vocabulary"}:
            return None
        lemmas, english, found, vocabulary = data["lemmas"], data["english"], data["phrases"], data["vocabulary"]
        if not (isinstance(lemmas, dict) and isinstance(english, list) and isinstance(found, dict)
                and isinstance(vocabulary, dict) and set(found) == {kind for kind, _ in KINDS}):
            return None
        return cls(lemmas, frozenset(english), found, vocabulary)


@lru_cache(maxsize=1)
def analyser() -> TextAnalyser:
    """The process-wide analyser, built once, on first use, from what the disk cache keeps where it can.

    What the process holds by then (spaCy, numpy, the knowledge base, the lemma table: ~80,000 objects the
    cyclic collector tracks) lives as long as the process, so it is moved out of the collector's reach
    (gc.freeze): later collections, and the interpreter's last ones at exit (0.08 of a one-row
    `extract --json`'s 0.96 CPU s), no longer walk it, and a forked child (ingest.work.sandbox) shares its pages
    untouched. Reference counting still frees what is dropped; cyclic garbage among these objects is never
    collected (a process builds this once, and keeps it)."""
    kb = load_knowledge()
    key = _cache_key()
    compiled = Compiled.from_data(cache.load(CACHE_NAME, key))
    text = TextAnalyser(kb, compiled)
    if compiled is None:
        cache.store(CACHE_NAME, key, text.compiled.to_data())
    gc.freeze()
    return text


def _cache_key() -> str:
    """What `Compiled` is made from: the data files, the code that reads them, spaCy and its lookups data."""
    try:
        import spacy_lookups_data

        lookups = str(getattr(spacy_lookups_data, "__version__", "?"))
    except ImportError:
        lookups = "-"
    code = [Path(m.__file__ or "") for m in (datafiles, knowledge, surface, phrases)] + [Path(__file__)]
    data = [knowledge.KNOWLEDGE_FILE, knowledge.FRAMEWORKS_FILE, knowledge.ETHICS_FILE]
    return cache.source_key([*data, *code], [str(getattr(spacy, "__version__", "?")), lookups])


class TextAnalyser:
    """Finds knowledge-base concepts and leftover content words in texts."""

    def __init__(self, kb: KnowledgeBase, compiled: Compiled | None = None) -> None:
        """`compiled`: what an analyser of this same knowledge base derived before (`compiled`); built when None."""
        self.kb = kb
        self.concept_ids: tuple[str, ...] = tuple(kb.concepts)
        self._index = {cid: i for i, cid in enumerate(self.concept_ids)}
        if compiled is None:
            lemmas, english = _lemma_table()
            self._english = english | STOP_WORDS
            self.nlp = _pipeline(lemmas, kb.lemma_fixes)
            found, vocabulary = self._compile(kb.patterns)
            compiled = Compiled(lemmas, english, found, vocabulary)
        else:
            self._english = compiled.english | STOP_WORDS
            self.nlp = _pipeline(compiled.lemmas, kb.lemma_fixes)
        self.compiled = compiled
        self._matchers, self._keys = phrase_matchers(self.nlp.vocab, compiled.phrases, self.concept_ids)
        self._vocabulary = compiled.vocabulary
        self._vocabulary_by_initial = _by_initial(self._vocabulary)
        self._ignored = frozenset(fold(w) for w in STOP_WORDS | kb.stop_words | kb.course_words)
        stems = sorted({fold(s) for s, _ in kb.stems}, key=len, reverse=True)
        self._stem_re = re.compile("|".join(re.escape(s) for s in stems)) if stems else None
        self._stem_owner = {fold(s): self._index[c] for s, c in kb.stems}
        self._under = _closures(kb, self._index)
        self._unit_weights = tuple(kb.concepts[c].unit_weight for c in kb.concepts)
        self._related = tuple(frozenset(self._index[r] for r in kb.concepts[c].related) for c in kb.concepts)
        self._rules = tuple((parts, frozenset(parts), self._index[rule.implies])
                            for rule in kb.combinations for parts in [tuple(self._index[c] for c in rule.all)])
        self._cache: dict[str, TextAnalysis] = {}
        self._interned: dict[TextAnalysis, TextAnalysis] = {}
        self._info: dict[int, _TokenInfo] = {}
        self._ups: dict[tuple[int, ...], frozenset[int]] = {}

    def index(self, concept_id: str) -> int:
        return self._index[concept_id]

    def analyse_many(self, texts: Sequence[str]) -> list[TextAnalysis]:
        """One analysis per text (longest non-overlapping phrases), cached across calls; equal analyses
        of different texts are one shared object."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if len(self._cache) + len(missing) > MAX_CACHED_TEXTS:
            self._cache.clear()
            self._interned.clear()
            missing = list(dict.fromkeys(texts))
        prepared = [prepare(t) for t in missing]
        # The tokenizer alone (a blank pipeline has nothing else): 9% less than nlp.pipe on 100,000 titles.
        tokenizer: Tokenizer = self.nlp.tokenizer
        docs = tokenizer.pipe((clean for clean, _ in prepared), batch_size=PIPE_BATCH_SIZE)
        for text, (_, shifts), doc in zip(missing, prepared, docs):
            analysis = self._analyse_doc(doc, Source(text, shifts), nested=False)
            self._cache[text] = self._interned.setdefault(analysis, analysis)
        return [self._cache[t] for t in texts]

    def analyse_nested(self, text: str) -> TextAnalysis:
        """Like `analyse_many` for one text (uncached), but also keeping kindred phrases nested in longer
        ones and adding no implied units: the analysis of a responsibility, whose concepts count in full."""
        clean, shifts = prepare(text)
        return self._analyse_doc(self.nlp(clean), Source(text, shifts), nested=True)

    def _compile(self, patterns: tuple[Pattern, ...]) -> tuple[dict[str, list[tuple[tuple[int, ...], int]]], dict[str, str]]:
        """The phrases of each kind as their tokens' ids (as a PhraseMatcher on that attribute keeps them), and
        the vocabulary of the "lemma" phrases' words (folded word -> its norm; each norm to itself)."""
        grouped: dict[tuple[str, str], list[Doc]] = {}
        for pattern in patterns:
            for kind, text in self._pattern_forms(pattern):
                grouped.setdefault((kind, pattern.concept_id), []).append(self.nlp.make_doc(prepare(text)[0]))
        attrs = {kind: _KIND_ATTRS[attr] for kind, attr in KINDS}
        found = phrase_lists((kind, [int(i) for i in doc.to_array(attrs[kind]).tolist()], self._index[concept_id])
                             for (kind, concept_id), docs in grouped.items() for doc in docs)
        words = {fold(t.lower_): t.norm_ for (kind, _), docs in grouped.items() if kind == "lemma"
                 for d in docs for t in d if t.is_alpha}
        return found, dict(words) | {norm: norm for norm in words.values()}

    def _pattern_forms(self, pattern: Pattern) -> Iterable[tuple[str, str]]:
        if pattern.kind == "exact":
            yield "exact", pattern.text.lower()
            return
        if pattern.kind == "lemma":
            yield "lemma", pattern.text
            return
        yield "abbreviation", pattern.text
        if not pattern.text.endswith("s"):
            yield "abbreviation", pattern.text + "s"
        lower = pattern.text.lower()
        if len(lower) >= MIN_LOWERCASE_ABBREVIATION and lower not in self._english:
            yield "lemma", lower

    def _analyse_doc(self, doc: Doc, source: Source, nested: bool) -> TextAnalysis:
        known, learn = self._info.get, self._token_info
        # the tokens' ORTH, IDX and LENGTH read off the Tokens: Doc.to_array(...).tolist() takes ~3x as long
        tokens = [(known(orth) or learn(orth), idx, length)
                  for orth, idx, length in [(token.orth, token.idx, len(token)) for token in doc]]
        for i, (info, _, _) in enumerate(tokens):
            if info.correction:
                doc[i].norm_ = info.correction
        spans = self._spans(doc)
        chosen = self._nested(spans) if nested else _longest_first(spans)
        covered = [False] * len(tokens)
        for start, end in chosen:
            covered[start:end] = [True] * (end - start)
        audience = next((i for i, (info, _, _) in enumerate(tokens) if info.marker and not covered[i]), len(tokens))
        if not any(start < audience and self._is_head(spans[(start, end)]) for start, end in chosen):
            audience = len(tokens)
        placed: list[tuple[int, Unit]] = []
        for start, end in chosen:
            surface = source.surface(tokens[start][1], tokens[end - 1][1] + tokens[end - 1][2])
            emphasis = AUDIENCE_WEIGHT if start > audience else 1.0
            placed.append((start, Unit(tuple(sorted(spans[(start, end)])), surface, emphasis)))
        words: list[Word] = []
        content: list[str] = []
        for i, (info, idx, length) in enumerate(tokens):
            if not info.content:
                continue
            content.append(info.norm)
            if covered[i]:
                continue
            surface = source.surface(idx, idx + length)
            emphasis = AUDIENCE_WEIGHT if i > audience else 1.0
            if info.stem_owner >= 0:
                placed.append((i, Unit((info.stem_owner,), surface, emphasis)))
            else:
                words.append(Word(info.norm, surface, emphasis))
        units = tuple(unit for _, unit in sorted(placed, key=lambda item: item[0]))
        implied = () if nested else self._implied(units)
        return TextAnalysis(units + implied, tuple(words), " ".join(content))

    def _token_info(self, orth: int) -> _TokenInfo:
        """What the analysis needs to know about a word type (memoised per vocabulary entry)."""
        info = self._info.get(orth)
        if info is None:
            lexeme = self.nlp.vocab[orth]
            norm = lexeme.norm_
            content = lexeme.is_alpha and len(norm) >= 2 and norm not in self._ignored
            owner = self._stem(norm) if content else None
            correction = self._correction(norm) if content and owner is None else ""
            info = _TokenInfo(norm, content, -1 if owner is None else owner, lexeme.lower_ in AUDIENCE_MARKERS, correction)
            self._info[orth] = info
        return info

    def _correction(self, norm: str) -> str:
        """The knowledge-base word an unknown word is a misspelling of ("laundring" -> "laundering"), if
        any: same first letter, optimal-string-alignment similarity >= SPELLING_SIMILARITY."""
        if len(norm) < MIN_CORRECTED_WORD or norm in self._vocabulary or norm in self._english:
            return ""
        candidates = self._vocabulary_by_initial.get(norm[0], ())
        found = process.extractOne(norm, candidates, scorer=OSA.normalized_similarity, score_cutoff=SPELLING_SIMILARITY)
        return self._vocabulary[str(found[0])] if found else ""

    def _implied(self, units: tuple[Unit, ...]) -> tuple[Unit, ...]:
        """Units the knowledge base's combinations add (each once, and only when not already named)."""
        if len(units) < 2:
            return ()
        ups = [self._up(u.concepts) for u in units]
        reached = frozenset().union(*ups)
        present = set(reached)
        extra: list[Unit] = []
        for parts, every, implied in self._rules:
            if implied in present or not every <= reached:   # a part that no unit reaches: not this rule
                continue
            found = [next(i for i, up in enumerate(ups) if part in up) for part in parts]
            if len(set(found)) == len(found):
                extra.append(Unit((implied,), " + ".join(units[i].surface for i in found)))
                present |= self._under[implied]
        return tuple(extra)

    def _nested(self, spans: dict[tuple[int, int], set[int]]) -> list[tuple[int, int]]:
        """The longest spans, plus spans inside them that name a kindred concept (sharing a broader or a
        related concept: "trust" in "trust tax returns"), not another sense ("portfolio" in "administer
        a portfolio of trusts")."""
        longest = _longest_first(spans)
        kept = list(longest)
        for start, end in spans:
            outer = next(((s, e) for s, e in longest if s <= start and end <= e), None)
            if outer is None or outer == (start, end):
                continue
            inner = tuple(sorted(spans[(start, end)]))
            if (self._up(inner) | self._kin(inner)) & self._up(tuple(sorted(spans[outer]))):
                kept.append((start, end))
        return sorted(kept)

    def _is_head(self, concepts: set[int]) -> bool:
        return max(self._unit_weights[c] for c in concepts) >= HEAD_UNIT_WEIGHT

    def _kin(self, concepts: tuple[int, ...]) -> frozenset[int]:
        return frozenset(r for c in concepts for r in self._related[c])

    def _up(self, concepts: tuple[int, ...]) -> frozenset[int]:
        found = self._ups.get(concepts)
        if found is None:
            found = self._ups[concepts] = frozenset().union(*(self._under[c] for c in concepts))
        return found

    def _spans(self, doc: Doc) -> dict[tuple[int, int], set[int]]:
        spans: dict[tuple[int, int], set[int]] = {}
        for matcher in self._matchers:
            for key, start, end in matcher(doc):
                spans.setdefault((start, end), set()).add(self._keys[key])
        return spans

    def _stem(self, norm: str) -> int | None:
        if self._stem_re is None or len(norm) < MIN_STEM_WORD:
            return None
        found = self._stem_re.match(norm)
        return self._stem_owner[found.group(0)] if found else None


def _closures(kb: KnowledgeBase, index: Mapping[str, int]) -> tuple[frozenset[int], ...]:
    """For each concept, itself and every concept above it through `broader` links."""
    memo: dict[str, frozenset[int]] = {}

    def up(concept_id: str) -> frozenset[int]:
        if concept_id not in memo:
            above = {index[concept_id]}
            for parent in kb.concepts[concept_id].broader:
                above |= up(parent)
            memo[concept_id] = frozenset(above)
        return memo[concept_id]

    return tuple(up(cid) for cid in kb.concepts)


@lru_cache(maxsize=1)
def _lemma_table() -> tuple[dict[int, str], frozenset[str]]:
    """spacy-lookups-data's English lemma table (~40,000 entries) as string id -> lemma, and its lemmas; loaded
    once: each load leaves ~10 MB behind."""
    from spacy.lookups import load_lookups

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    lemmas = {int(key): value for key, value in table.items() if isinstance(value, str)}
    return lemmas, frozenset(lemmas.values())


def _by_initial(vocabulary: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """The vocabulary's words long enough to be corrected to, by their first letter, sorted."""
    by_initial: dict[str, list[str]] = {}
    for word in sorted(w for w in vocabulary if len(w) >= MIN_CORRECTED_WORD - 1):
        by_initial.setdefault(word[0], []).append(word)
    return {k: tuple(v) for k, v in by_initial.items()}


def _pipeline(lemmas: Mapping[int, str], lemma_fixes: Mapping[str, str]) -> Language:
    """spaCy's blank English tokenizer whose lexeme NORM is the folded lookup lemma (`lemmas`: the lookup table
    by string id, as spaCy's Table keeps it)."""
    nlp = spacy.blank("en")
    fixes = {key.lower(): value for key, value in lemma_fixes.items()}

    def norm(string: str) -> str:
        lower = string.lower()
        lemma = fixes.get(lower)
        if lemma is None:
            lemma = lemmas.get(get_string_id(lower), lower)
        return fold(lemma)

    getters: dict[int, Callable[[str], object]] = getattr(nlp.vocab, "lex_attr_getters")
    getters[NORM] = norm
    for lexeme in nlp.vocab:
        lexeme.norm_ = norm(lexeme.orth_)
    return nlp


def _longest_first(spans: dict[tuple[int, int], set[int]]) -> list[tuple[int, int]]:
    if len(spans) < 2:
        return list(spans)
    taken: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda se: (se[0] - se[1], se[0])):
        for s, e in taken:
            if start < e and s < end:      # overlaps a longer (or earlier) span already taken
                break
        else:
            taken.append((start, end))
    return sorted(taken)

