"""The development corpus (../shared/corpus), scored by ../shared/tools/score_extraction.py.

`cpd-evidence extract --json` runs once per group of files that share a role and a date order (not
once per file: process start-up is most of the cost), each file's JSON line is stored as the scorer's
prediction, and the scorer's own rules judge them. The thresholds are the issues' acceptance figures.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("CPD_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "corpus"
SCORER = SHARED / "tools" / "score_extraction.py"
CLI = Path(sys.executable).with_name("cpd-evidence")
# The corpus's predictions are made once per session: every test here on one xdist worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("corpus")]

if not CORPUS.is_dir() or not SCORER.is_file():
    if os.environ.get("CI"):
        raise RuntimeError(f"the development corpus must sit beside the repository at {SHARED}")
    pytest.skip(f"no development corpus at {SHARED}", allow_module_level=True)


def _golds() -> list[Path]:
    return sorted(CORPUS.glob("*.gold.json"))


@pytest.fixture(scope="session")
def predictions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every corpus file's JSON line, in the scorer's predictions layout (NAME.EXT.json)."""
    out = tmp_path_factory.mktemp("predictions")
    groups: dict[tuple[str | None, bool], list[Path]] = defaultdict(list)
    for gold_path in _golds():
        gold = json.loads(gold_path.read_text("utf-8"))
        groups[(gold.get("role"), bool(gold.get("monthfirst")))].append(gold_path.with_name(gold["file"]))
    for (role, monthfirst), files in groups.items():
        argv = [str(CLI), "extract", "--json", *map(str, files)]
        argv += ["--role", str(CORPUS / role)] if role else []
        argv += ["--monthfirst"] if monthfirst else []
        done = subprocess.run(argv, capture_output=True, timeout=600, stdin=subprocess.DEVNULL)
        lines = done.stdout.decode("utf-8").splitlines()
        assert done.returncode in (0, 2), done.stderr.decode()[-2000:]
        assert len(lines) == len(files), done.stderr.decode()[-2000:]
        for path, line in zip(files, lines):
            (out / f"{path.name}.json").write_text(line + "\n", "utf-8")
    return out


def _score(predictions: Path, names: list[str], tmp_path: Path) -> dict[str, float]:
    """The scorer's summary figures over the named corpus files."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "roles").symlink_to(CORPUS / "roles")
    for name in names:
        (corpus / name).symlink_to(CORPUS / name)
        (corpus / f"{name}.gold.json").symlink_to(CORPUS / f"{name}.gold.json")
    done = subprocess.run([sys.executable, str(SCORER), str(corpus), "--predictions", str(predictions)],
                          capture_output=True, text=True, timeout=300, check=True)
    summary = done.stdout.strip().splitlines()[-1]
    print(done.stdout)
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+|nan)", summary)}


def _files(*suffixes: str) -> list[str]:
    return [g.name.removesuffix(".gold.json") for g in _golds() if g.name.removesuffix(".gold.json").endswith(suffixes)]


def test_spreadsheets_and_csv_score(predictions: Path, tmp_path: Path) -> None:
    """Issue 2: on the CSV, XLSX and XLS files, activity F1 >= 0.98 and field accuracy >= 0.97."""
    score = _score(predictions, _files(".csv", ".xlsx", ".xls"), tmp_path)
    assert score["crashed"] == 0
    assert score["extraction_f1"] >= 0.98
    assert score["field_accuracy"] >= 0.97


def test_whole_corpus_nothing_crashes(predictions: Path, tmp_path: Path) -> None:
    """Over the whole corpus no file crashes: every file gets its line, errors only where expected."""
    score = _score(predictions, _files(""), tmp_path)
    assert score["crashed"] == 0


def test_whole_corpus_scores(predictions: Path, tmp_path: Path) -> None:
    """Issue 3: over the whole corpus (documents included), activity F1 >= 0.97 and field accuracy >= 0.95."""
    score = _score(predictions, _files(""), tmp_path)
    assert score["extraction_f1"] >= 0.97
    assert score["field_accuracy"] >= 0.95


def test_role_mapping_and_ethics(predictions: Path, tmp_path: Path) -> None:
    """Issue 4: on the files whose gold names a role, mapping top-1 >= 0.85 and ethics F1 >= 0.95."""
    with_role = [g.name.removesuffix(".gold.json") for g in _golds() if json.loads(g.read_text("utf-8")).get("role")]
    score = _score(predictions, with_role, tmp_path)
    assert score["mapping_top1"] >= 0.85
    assert score["ethics_f1"] >= 0.95
