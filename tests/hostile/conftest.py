"""`cpd-evidence extract --json FILE...` over every hostile and real-world file, under the bounds every file keeps.

The files (the hostile ones made once per session, tests/hostile/makers.py, and shared/realworld) are given
to two `extract` processes at once (a 2-core machine), the slowest first, each process taking its share of
files in turn as the command line does for a member's folder: every file is read in its own child process
within the file's limits, and its line is written when it is done. A file's time is measured from the line
before (from the process's start for its first file, start-up included) to its own line; no line within
TIME_LIMIT_S, and the process is killed, that file marked unanswered, and a new process takes the files after
it; a process that dies marks its file with its exit status. Each process runs under 1 GiB of address space,
which its children inherit. At the end (the fixture's teardown) each process's exit status must be what its
lines say (2 when any file has an error, 0 otherwise) and its standard error must hold no traceback.

Start-up (imports, the matcher) is paid once per process, not once per file: 133 files took ~160 s of CPU in
start-up alone when each had its own process. All the tests here are one xdist group, so one pytest worker
holds the pool and knows every file asked for.
"""
from __future__ import annotations

import json
import os
import queue
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

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
_HEAD_ONLY = 8 << 20             # longer lines: parse the head, count the activities


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


@dataclass(frozen=True)
class Answer:
    """What the command line did for one file: the exit status its line implies (2 with an error, 0 without;
    the process's real status is checked against its lines at the end), or the status of a process that died
    before the line, or None when no line came in time; its line, the process's standard error where it
    failed, seconds; `head` is the parsed JSON object (for long lines without its activities), `activities`
    their number."""

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


def _parse(line: bytes) -> tuple[dict[str, Any], int]:
    if len(line) <= _HEAD_ONLY:
        found: dict[str, Any] = json.loads(line)
        return found, len(found["activities"])
    # The head holds every string escaped, so the first ',"activities":[' is the key itself.
    cut = line.index(b',"activities":[')
    assert line.rstrip().endswith(b"]}"), "the long line does not end as a JSON object"
    return json.loads(line[:cut] + b"}"), line.count(b'{"activity_id":')


class CliPool:
    """Answers for files, from `extract` processes that each read a share of them in turn (module docstring)."""

    def __init__(self, hostile: Path, parallel: int = PARALLEL) -> None:
        self.hostile = hostile           # the folder of hostile files
        self.parallel = parallel
        self._answers: dict[Path, Future[Answer]] = {}
        self._lanes: list[threading.Thread] = []
        self.problems: list[str] = []    # exit statuses or tracebacks that do not match the lines; the teardown fails on one

    def submit(self, *paths: Path) -> None:
        """Start reading `paths` (those not asked before), in `parallel` processes, in the order given."""
        fresh = [p for p in dict.fromkeys(paths) if p not in self._answers]
        for path in fresh:
            self._answers[path] = Future()
        for n in range(min(self.parallel, len(fresh))):
            lane = threading.Thread(target=self._lane, args=(fresh[n::self.parallel],), daemon=True)
            lane.start()
            self._lanes.append(lane)

    def answer(self, path: Path) -> Answer:
        self.submit(path)
        return self._answers[path].result()

    def close(self) -> None:
        for lane in self._lanes:
            lane.join()

    def _lane(self, paths: list[Path]) -> None:
        try:
            while paths:
                paths = self._process(paths)
        except BaseException as exc:  # never leave a test waiting for ever
            for path in paths:
                if not self._answers[path].done():
                    self._answers[path].set_exception(exc)
            raise

    def _process(self, paths: list[Path]) -> list[Path]:
        """One `extract` process over `paths`; each file's answer set as its line comes. Returns the files
        after one that got no line (the process was killed or died there), for the next process."""
        with tempfile.TemporaryFile() as stderr:
            proc = subprocess.Popen([str(CLI), "extract", "--json", *map(str, paths)], stdout=subprocess.PIPE,
                                    stderr=stderr, stdin=subprocess.DEVNULL, preexec_fn=_limit_memory,
                                    start_new_session=True)
            assert proc.stdout is not None
            lines: queue.Queue[bytes] = queue.Queue()
            threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
            last, errors = time.monotonic(), 0
            for n, path in enumerate(paths):
                try:
                    line = lines.get(timeout=TIME_LIMIT_S - (time.monotonic() - last))
                except queue.Empty:       # no line in time: this file is unanswered; the rest go to a new process
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    self._set(path, Answer(None, [], _text(stderr), time.monotonic() - last))
                    return paths[n + 1:]
                seconds, last = time.monotonic() - last, time.monotonic()
                if not line:              # the process ended before this file's line
                    status = proc.wait()
                    self._set(path, Answer(status, [], _text(stderr), seconds))
                    return paths[n + 1:]
                found, count = _parse(line)
                errors += bool(found.get("error"))
                self._set(path, Answer(2 if found.get("error") else 0, [line], "", seconds, found, count))
            status = proc.wait()
            if status != (2 if errors else 0) or "Traceback" in _text(stderr):
                self.problems.append(f"the process over {[p.name for p in paths]} exited {status} with "
                                     f"{errors} error lines; its standard error: {_text(stderr)[-3000:]}")
        return []

    def _set(self, path: Path, answer: Answer) -> None:
        self._answers[path].set_result(answer)


def _read_lines(out: IO[bytes], lines: queue.Queue[bytes]) -> None:
    """The process's lines as they come, then b"" at its end."""
    for line in out:
        lines.put(line)
    lines.put(b"")


def _text(stderr: IO[bytes]) -> str:
    stderr.seek(0)
    return stderr.read().decode(errors="replace")


@pytest.fixture(scope="session")
def cli(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[CliPool]:
    """The pool, with every file the selected tests ask for submitted at once, the slowest first."""
    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in HOSTILE.items():
        (folder / name).write_bytes(make())
    pool = CliPool(folder)
    asked = [item.callspec.params.get("name") or item.callspec.params.get("path")
             for item in request.session.items if hasattr(item, "callspec")]
    names = {a for a in asked if isinstance(a, str) and a in HOSTILE}
    paths = {a for a in asked if isinstance(a, Path)}
    realworld = sorted(paths & set(REALWORLD_FILES), key=lambda p: p.stat().st_size, reverse=True)
    slowest = [folder / name for name in SLOWEST_HOSTILE if name in names]
    pool.submit(*slowest, *realworld, *(folder / name for name in HOSTILE if name in names))
    yield pool
    pool.close()
    assert not pool.problems, "\n".join(pool.problems)


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
