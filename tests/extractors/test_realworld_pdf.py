"""Real-world PDFs (pdfplumber's own test files): each answered within 30 s and 1 GiB, never a crash.

Each file runs in its own process (`python -m extractors.pdf FILE`) under an address-space limit and
a timeout, so a hang or a memory blow-up fails one test instead of taking the run down.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REALWORLD = Path(os.environ.get("CPD_SHARED_DIR", ROOT.parent / "shared")) / "realworld" / "pdfplumber-tests"
FILES = sorted(p for p in REALWORLD.glob("*") if p.suffix in {".pdf", ".zip"}) if REALWORLD.is_dir() else []

TIME_LIMIT_S = 30
MEMORY_LIMIT_BYTES = 1 << 30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


@pytest.mark.skipif(not FILES, reason=f"no real-world PDFs at {REALWORLD}")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_realworld_pdf_answers_within_bounds(path: Path) -> None:
    """Tables, nothing, or a clear UnreadableFile: one summary line, exit 0 or 2, no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "extractors.pdf", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT_S,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode in (0, 2), proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path.name}: ")
    if proc.returncode == 2:
        assert " error " in lines[0]
