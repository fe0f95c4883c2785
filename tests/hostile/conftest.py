"""One `cpd-evidence extract --json FILE` process per file, under the bounds every file must keep.

The hostile files (made once per session, tests/hostile/makers.py) and the real-world files are all
submitted when the session's `cli` fixture is first used, the slowest first, and run two at a time (a
2-core machine); each test waits for its own file's answer. Each process has its own clock, started
when it starts, so waiting in the queue costs a file nothing. Under pytest-xdist (make test) the workers
already share the cores: there each test runs its own file when it comes, one at a time per worker.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .makers import HOSTILE

CLI = Path(sys.executable).with_name("cpd-evidence")
ROOT = Path(__file__).resolve().parents[2]
REALWORLD = Path(os.environ.get("CPD_SHARED_DIR", ROOT.parent / "shared")) / "realworld"
REALWORLD_FILES = sorted(p for p in REALWORLD.rglob("*") if p.is_file() and p.name != "README.md") \
    if REALWORLD.is_dir() else []
SLOWEST_HOSTILE = ("endless-page.pdf", "rows-200000.csv")
TIME_LIMIT_S = 30
MEMORY_LIMIT_BYTES = 1 << 30
PARALLEL = 2
UNDER_XDIST = "PYTEST_XDIST_WORKER" in os.environ
_HEAD_ONLY = 8 << 20             # longer lines: parse the head, count the activities


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


@dataclass(frozen=True)
class Answer:
    """What one process did: exit status, stdout lines, stderr, seconds; `head` is the parsed JSON object
    (for long lines without its activities), `activities` their number."""

    returncode: int | None
    lines: list[bytes]
    stderr: str
    seconds: float
    head: dict[str, Any] | None = None
    activities: int = 0

    @property
    def code(self) -> str | None:
        error = (self.head or {}).get("error")
        return error["code"] if error else None


def run_cli(path: Path) -> Answer:
    started = time.monotonic()
    try:
        proc = subprocess.run([str(CLI), "extract", "--json", str(path)], capture_output=True, stdin=subprocess.DEVNULL,
                              timeout=TIME_LIMIT_S, preexec_fn=_limit_memory, check=False)
    except subprocess.TimeoutExpired as exc:
        return Answer(None, [], (exc.stderr or b"").decode(errors="replace"), time.monotonic() - started)
    seconds = time.monotonic() - started
    lines = proc.stdout.splitlines(keepends=True)
    head, count = None, 0
    if len(lines) == 1:
        head, count = _parse(lines[0])
    return Answer(proc.returncode, lines, proc.stderr.decode(errors="replace"), seconds, head, count)


def _parse(line: bytes) -> tuple[dict[str, Any], int]:
    if len(line) <= _HEAD_ONLY:
        found: dict[str, Any] = json.loads(line)
        return found, len(found["activities"])
    # The head holds every string escaped, so the first ',"activities":[' is the key itself.
    cut = line.index(b',"activities":[')
    assert line.rstrip().endswith(b"]}"), "the long line does not end as a JSON object"
    return json.loads(line[:cut] + b"}"), line.count(b'{"activity_id":')


class CliPool:
    def __init__(self, hostile: Path, parallel: int = PARALLEL) -> None:
        self.hostile = hostile           # the folder of hostile files
        self._pool = ThreadPoolExecutor(parallel, thread_name_prefix="cli")
        self._answers: dict[Path, Future[Answer]] = {}

    def submit(self, *paths: Path) -> None:
        for path in paths:
            if path not in self._answers:
                self._answers[path] = self._pool.submit(run_cli, path)

    def answer(self, path: Path) -> Answer:
        self.submit(path)
        return self._answers[path].result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


@pytest.fixture(scope="session")
def cli(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[CliPool]:
    """The pool, with every file the selected tests will ask for already submitted (under xdist: none, as a
    worker cannot know which of them it will be given)."""
    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in HOSTILE.items():
        (folder / name).write_bytes(make())
    if UNDER_XDIST:
        pool = CliPool(folder, parallel=1)
        yield pool
        pool.close()
        return
    pool = CliPool(folder)
    asked = [item.callspec.params.get("name") or item.callspec.params.get("path")
             for item in request.session.items if hasattr(item, "callspec")]
    names = {a for a in asked if isinstance(a, str) and a in HOSTILE}
    paths = {a for a in asked if isinstance(a, Path)}
    pool.submit(*(folder / name for name in SLOWEST_HOSTILE if name in names))
    pool.submit(*(folder / name for name in HOSTILE if name in names))
    pool.submit(*sorted(paths & set(REALWORLD_FILES), key=lambda p: p.stat().st_size, reverse=True))
    yield pool
    pool.close()


def assert_answered(answer: Answer, name: str) -> None:
    """In time, exit 0 or 2 as the error says, one JSON line, no traceback."""
    assert answer.returncode is not None, f"{name}: no answer within {TIME_LIMIT_S} s"
    assert "Traceback" not in answer.stderr, answer.stderr[-3000:]
    assert answer.returncode in (0, 2), f"{name}: exit status {answer.returncode}; {answer.stderr[-2000:]}"
    assert len(answer.lines) == 1 and answer.lines[0].endswith(b"\n"), f"{name}: {len(answer.lines)} lines"
    assert answer.head is not None and answer.head["schema_version"] == "1"
    assert answer.returncode == (2 if answer.code else 0)
    if answer.code:
        assert answer.activities == 0 and answer.head["error"]["message"].strip()
