"""Hostile files through `cpd-evidence extract --json`: each is answered within 30 s and 1 GiB, with its own
error code (or, for the few that are readable, its activities), never a crash.

The files are made once per session (tests/hostile/makers.py, about a second in all); tests/hostile/
conftest.py runs them through two `extract` processes at once, each file read in its own child process.
"""
from __future__ import annotations

import pytest

from .conftest import SLOWEST_HOSTILE, CliPool, assert_answered
from .makers import HOSTILE

# One pool of `extract` processes for the hostile and real-world files: on one xdist worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile-cli")]

# Readable files: how many activities each must give (None: some, not counted).
ACTIVITIES = {"rows-200000.csv": 200_000, "invalid-utf8.csv": 2, "truncated.csv": None, "truncated.html": None}


# The slowest first: run side by side (pytest-xdist), they start at once rather than last.
ORDER = [*SLOWEST_HOSTILE, *(name for name in HOSTILE if name not in SLOWEST_HOSTILE)]


@pytest.mark.parametrize("name", ORDER, ids=ORDER)
def test_hostile_file_is_answered_with_its_code(name: str, cli: CliPool) -> None:
    """GIVEN a hostile file WHEN extracted by the command line under 1 GiB THEN one JSON line within 30 s,
    with the file's error code (exit 2), or its activities and no error (exit 0)."""
    answer = cli.answer(cli.hostile / name)
    assert_answered(answer, name)
    expected = HOSTILE[name][1]
    assert answer.code == expected, answer.head and answer.head["error"]
    if name in ACTIVITIES:
        wanted = ACTIVITIES[name]
        assert answer.activities == wanted if wanted is not None else answer.activities > 0
    assert b"root:x:0:0" not in answer.lines[0]          # no external entity was ever resolved


def test_generated_files_are_what_they_claim(cli: CliPool) -> None:
    """The makers made what the names say: sizes of the big ones, pages of the long PDF."""
    hostile = cli.hostile
    assert (hostile / "empty.xlsx").stat().st_size == 0
    assert (hostile / "rows-200000.csv").read_bytes().count(b"\n") == 200_001
    assert (hostile / "pages-3000.pdf").read_bytes().count(b"/Type /Page ") == 3000
    assert (hostile / "bomb-many-members.docx").read_bytes().count(b"PK\x01\x02") > 20_000
    assert b"file:///etc/passwd" in (hostile / "xxe-passwd.html").read_bytes()
