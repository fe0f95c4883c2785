"""Every file under shared/realworld (pdfplumber's own test PDFs, and a zip) through `cpd-evidence extract
--json` (tests/hostile/conftest.py): answered within 30 s and 1 GiB with activities, none, or a clear error.

The folder's README says what some files must get; those codes are asserted here. No file may end in
`internal_error` (a bug of ours) or without its line.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import REALWORLD, REALWORLD_FILES, CliPool, assert_answered

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile-cli")]

IDS = [str(p.relative_to(REALWORLD)) for p in REALWORLD_FILES]

# What the README asks of particular files.
EXPECTED = {
    "empty.pdf": "empty_file",                    # zero bytes
    "issue-203-decimalize.pdf": "no_text_layer",  # three pages, no text
    "password-example.pdf": "encrypted",          # a user password we do not have
    "issue-948.zip": "unsupported_format",        # a zip holding a PDF: archives are not unpacked
    "issue-297-example.pdf": "corrupt",           # parses to no pages
}
REFUSALS = {"corrupt", "encrypted", "no_text_layer", "too_large", "too_deep", "timeout", "unsupported_format",
            "zip_bomb", "xml_entities", "too_many_rows", "empty_file"}


@pytest.mark.skipif(not REALWORLD_FILES, reason=f"no real-world files at {REALWORLD}")
@pytest.mark.parametrize("path", REALWORLD_FILES, ids=IDS)
def test_realworld_file_is_answered_within_bounds(path: Path, cli: CliPool) -> None:
    """GIVEN a real-world file WHEN extracted by the command line under 1 GiB THEN one JSON line within 30 s:
    activities, none, or a refusal with a message (the README's code where it names one)."""
    answer = cli.answer(path)
    assert_answered(answer, path.name)
    if path.name in EXPECTED:
        assert answer.code == EXPECTED[path.name], answer.head and answer.head["error"]
    elif answer.code is not None:
        assert answer.code in REFUSALS, answer.head and answer.head["error"]


def test_the_readme_files_are_there() -> None:
    """The files the README names exist, so the expectations above are not silently skipped."""
    if not REALWORLD_FILES:
        pytest.skip(f"no real-world files at {REALWORLD}")
    assert set(EXPECTED) <= {p.name for p in REALWORLD_FILES}
