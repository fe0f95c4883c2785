"""The analyser's compiled phrases (mappers.matching.phrases) and their disk cache (mappers.matching.cache)."""
from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from mappers.matching import cache
from mappers.matching.knowledge import load_knowledge
from mappers.matching.phrases import KINDS, phrase_matchers
from mappers.matching.surface import prepare
from mappers.matching.text import Compiled, TextAnalyser, analyser

TEXTS = [
    "Anti-money laundering refresher", "AML/CTF update for trustees", "Inheritance tax on lifetime gifts (IHT)",
    "Trusts and the Finance Act webinar for trustees - part 3, cohort 12 (2021)", "Ethics for tax advisers",
    "Conflicts of interest: a case study", "Money laundering reporting officer (MLRO) briefing", "KYC and CDD",
    "Know your customer: customer due diligence", "Abus de marché et délit d'initié", "Datenschutz-Grundverordnung",
    "Capital gains tax for trustees", "Trust registration service", "GDPR data protection essentials",
    "Vulnerable clients and the duty of care", "Sanctions screening", "Deeds of variation", "laundring of money",
    "Excel for finance", "Leadership essentials", "Fire safety", "Probate practice update", "", "   ", "!!!",
]


@pytest.fixture(scope="module")
def from_docs() -> list[PhraseMatcher]:
    """Three spaCy PhraseMatchers given the knowledge base's phrases as Docs (the analyser's former way)."""
    text = analyser()
    matchers = {kind: PhraseMatcher(text.nlp.vocab, attr=attr) for kind, attr in KINDS}
    for pattern in text.kb.patterns:
        for kind, form in text._pattern_forms(pattern):
            matchers[kind].add(pattern.concept_id, [text.nlp.make_doc(prepare(form)[0])])
    return list(matchers.values())


def _found(matchers: list[PhraseMatcher], doc: Doc, concept: Callable[[int], int]) -> dict[tuple[int, int], set[int]]:
    spans: dict[tuple[int, int], set[int]] = {}
    for matcher in matchers:
        for key, start, end in matcher(doc):
            spans.setdefault((start, end), set()).add(concept(key))
    return spans


@pytest.mark.parametrize("title", TEXTS)
def test_matchers_from_stored_ids_find_what_matchers_from_docs_find(title: str, from_docs: list[PhraseMatcher]) -> None:
    text = analyser()
    doc = text.nlp.make_doc(prepare(title)[0])
    matchers, keys = phrase_matchers(text.nlp.vocab, text.compiled.phrases, text.concept_ids)
    expected = _found(from_docs, doc, lambda key: text.index(text.nlp.vocab.strings[key]))
    assert _found(matchers, doc, keys.__getitem__) == expected


def test_analyser_from_stored_data_analyses_as_the_built_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN an analyser built from the data WHEN its compiled data goes through the disk cache and back THEN an
    analyser made from it gives the same analyses."""
    monkeypatch.setenv("CPD_CACHE_DIR", str(tmp_path))
    built = TextAnalyser(load_knowledge())
    assert cache.store("analyser", "k", built.compiled.to_data())
    stored = Compiled.from_data(cache.load("analyser", "k"))
    assert stored == built.compiled
    loaded = TextAnalyser(load_knowledge(), stored)
    assert loaded.analyse_many(TEXTS) == built.analyse_many(TEXTS)
    assert [loaded.analyse_nested(t) for t in TEXTS] == [built.analyse_nested(t) for t in TEXTS]


def test_cache_is_keyed_by_its_sources(tmp_path: Path) -> None:
    source = tmp_path / "knowledge.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    first = cache.source_key([source], ["1.0"])
    assert cache.source_key([source], ["1.0"]) == first
    assert cache.source_key([source], ["1.1"]) != first
    source.write_text("a: 2\n", encoding="utf-8")
    assert cache.source_key([source], ["1.0"]) != first


def test_cache_keeps_only_the_newest_file_of_a_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPD_CACHE_DIR", str(tmp_path))
    assert cache.store("analyser", "old", {"x": 1}) and cache.store("analyser", "new", {"x": 2})
    assert cache.load("analyser", "old") is None and cache.load("analyser", "new") == {"x": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["analyser-new.marshal"]


def test_damaged_or_foreign_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPD_CACHE_DIR", str(tmp_path))
    (tmp_path / "analyser-k.marshal").write_bytes(b"\x00not marshal")
    assert cache.load("analyser", "k") is None
    assert Compiled.from_data({"lemmas": {}}) is None and Compiled.from_data([1, 2]) is None


@pytest.fixture()
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written in: for root (who writes through permissions), a read-only tmpfs mounted
    there; for anyone else, a folder without write permission."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_read_only_cache_folder_means_building_not_failing(read_only_folder: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPD_CACHE_DIR", str(read_only_folder))
    assert cache.store("analyser", "k", {"x": 1}) is False
    assert cache.load("analyser", "k") is None
    assert list(read_only_folder.iterdir()) == []


def test_unwritable_cache_location_means_building_not_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CPD_CACHE_DIR", str(blocker / "cache"))
    assert cache.store("analyser", "k", {"x": 1}) is False
    assert cache.load("analyser", "k") is None
