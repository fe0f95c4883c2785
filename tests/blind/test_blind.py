"""The frozen blind set (tests/blind/README.md): its shape, and the floors the matcher must keep on it."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from mappers.matching import builtin_roles, load_role

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def blind() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_blind", ROOT / "bench" / "eval_blind.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_set_has_150_titles_or_more_in_four_languages(blind: ModuleType) -> None:
    titles = blind.load_titles()
    assert len(titles) >= 150 and len({t["t"] for t in titles}) == len(titles)
    assert {t["lang"] for t in titles} == {"en", "fr", "de", "es"}
    assert all(isinstance(t["ethics"], bool) or t["ethics"] is None for t in titles)


def test_its_roles_are_not_built_in_and_its_labels_name_their_responsibilities(blind: ModuleType) -> None:
    builtin = {role.id for role in builtin_roles()}
    for key, name in blind.ROLES.items():
        role = load_role(str(ROOT / "tests" / "blind" / "roles" / f"{name}.yaml"))
        assert role.id not in builtin
        ids = {r.id for r in role.responsibilities}
        for title in blind.load_titles():
            assert set(title.get(key) or ()) <= ids, title


def test_the_matcher_keeps_its_floors_on_the_blind_set(blind: ModuleType) -> None:
    """Top-1 >= 0.90 over every scored (title, role) pair and ethics F1 >= 0.95 (issue 14)."""
    titles = blind.load_titles()
    right = total = 0
    for key in blind.ROLES:
        tally = blind.score_role(key, titles, {})
        right += tally.right
        total += tally.total
    ethics = blind.score_ethics(titles)
    f1 = 2 * ethics.tp / (2 * ethics.tp + ethics.fp + ethics.fn)
    assert right / total >= 0.90, f"top-1 {right}/{total}"
    assert f1 >= 0.95, f"ethics F1 {f1:.3f}"
