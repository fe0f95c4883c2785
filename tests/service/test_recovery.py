"""Quick recovery and timeouts told by their signal (issue 18, item 4), against SQLite through the real job.

    a lease names its holder (host, pid, the pid's start time); the sweeper gives back at once a lease whose
    holder on this host is gone, and leaves a live holder's, or another host's, to run out
    Celery's soft time limit (billiard's SIGUSR1 handler raising SoftTimeLimitExceeded in the task's process,
    as in a prefork pool child) ends the upload as `timeout`, whether it fires while the file's child process
    reads or while the pipeline runs in this process; never as `internal_error`
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
from billiard.pool import soft_timeout_sighandler
from sqlalchemy import func, select, update

from ingest.store import ActivityRow, UploadRow, find_or_create_upload
from ingest.work import jobs, leases, sandbox
from ingest.work.runtime import Runtime, open_runtime

from .conftest import GOOD_CSV, make_settings


def _upload(runtime: Runtime, data: bytes = GOOD_CSV, name: str = "record.csv") -> int:
    sha = runtime.blobs.put(data)
    with runtime.sessions() as s, s.begin():
        upload, _ = find_or_create_upload(s, member_id="m1", filename=name, sha256=sha, size=len(data),
                                          media_type=None)
    return upload.id


def _held_by(runtime: Runtime, upload_id: int, holder: str) -> None:
    """Claimed (a lease of an hour) by a worker whose process is `holder`."""
    with runtime.sessions() as s, s.begin():
        assert leases.claim(s, upload_id, "task-of-that-worker", 3600) is not None
        s.execute(update(UploadRow).where(UploadRow.id == upload_id).values(lease_holder=holder))


def _gone_process() -> str:
    """The holder string of a process of this host that has ended (started here, killed by its pid)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    started = leases._started(child.pid)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    return f"{leases._host()}:{child.pid}:{started}"


def test_a_claim_names_this_process_as_the_holder(runtime: Runtime) -> None:
    upload_id = _upload(runtime)
    with runtime.sessions() as s, s.begin():
        claimed = leases.claim(s, upload_id, "task-1", 60)
        assert claimed is not None and claimed.lease_holder == leases.holder()
    host, pid, started = leases.holder().rsplit(":", 2)
    assert int(pid) == os.getpid() and started and leases.holder_alive(leases.holder())


def test_a_lease_whose_holder_is_gone_is_taken_back_at_once_and_read(runtime: Runtime) -> None:
    """GIVEN an upload held for an hour by a process of this host that was killed THEN the next sweep gives it
    back at once (not after the lease), and it is read, once."""
    upload_id = _upload(runtime)
    _held_by(runtime, upload_id, _gone_process())
    with runtime.sessions() as s, s.begin():
        assert leases.sweep(s, requeue_after_seconds=3600) == [upload_id]
    with runtime.sessions() as s:
        upload = s.get(UploadRow, upload_id)
        assert upload is not None and (upload.state, upload.lease_owner, upload.lease_holder) == ("queued", None, None)
    assert jobs.process(upload_id, runtime).state == "done"
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).where(ActivityRow.upload_id == upload_id)) == 4 + 1
        assert s.scalar(select(UploadRow.attempts).where(UploadRow.id == upload_id)) == 2


@pytest.mark.parametrize("who", ["this process", "another host", "unknown"])
def test_a_live_or_distant_holder_keeps_its_lease(runtime: Runtime, who: str) -> None:
    """A holder alive (this very process), on another host (its liveness cannot be seen from here) or in a form
    not understood keeps the lease until it runs out."""
    holder = {"this process": leases.holder(), "another host": f"elsewhere.example:{os.getpid()}:1",
              "unknown": "celery@worker-3"}[who]
    upload_id = _upload(runtime)
    _held_by(runtime, upload_id, holder)
    with runtime.sessions() as s, s.begin():
        assert leases.sweep(s, requeue_after_seconds=3600) == []
    assert jobs.process(upload_id, runtime, owner="someone-else").state == "skipped"


def test_a_pid_used_again_by_a_later_process_is_not_the_holder(runtime: Runtime) -> None:
    """GIVEN a lease held by pid P started at another time than the process that has pid P now (a server
    restarted in a container gets the same pid) THEN the holder is gone and the lease comes back."""
    upload_id = _upload(runtime)
    _held_by(runtime, upload_id, f"{leases._host()}:{os.getpid()}:1")
    with runtime.sessions() as s, s.begin():
        assert leases.sweep(s, requeue_after_seconds=3600) == [upload_id]


# -- the soft time limit, told by its signal --------------------------------------------------------------------
def _big_csv(rows: int = 20_000) -> bytes:
    lines = [f"Trust accounting part {n + 1},Harbour Academy,{1 + n % 28:02d}/{1 + n % 12:02d}/2024,1.5\n"
             for n in range(rows)]
    return ("Title,Provider,Completion Date,Hours\n" + "".join(lines)).encode()


@pytest.fixture()
def soft_limit_while_reading(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Celery's soft time limit, fired while the file is being read: SIGUSR1 to this process, handled by
    billiard's own handler, which raises SoftTimeLimitExceeded wherever the task is (what a prefork pool child
    gets from its parent). It is sent from inside the reading itself, so it lands there however fast the
    machine reads: while the parent waits for the file's child process (`sandbox._read_answer`), or while the
    pipeline runs in this process (`sandbox.run`). Yields where it was sent."""
    fired: list[str] = []

    def firing(name: str, original: Callable[..., object]) -> Callable[..., object]:
        def wrapped(*args: object, **kwargs: object) -> object:
            if not fired:
                fired.append(name)
                os.kill(os.getpid(), signal.SIGUSR1)   # handled at the next bytecode: inside the reading
            return original(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(sandbox, "_read_answer", firing("child", sandbox._read_answer))
    monkeypatch.setattr(sandbox, "run", firing("in process", sandbox.run))
    previous = signal.signal(signal.SIGUSR1, soft_timeout_sighandler)
    try:
        yield fired
    finally:
        signal.signal(signal.SIGUSR1, previous)


@pytest.mark.parametrize("isolate", [True, False], ids=["file read in its child", "pipeline in this process"])
def test_the_soft_time_limit_ends_the_upload_as_timeout(tmp_path: object, isolate: bool,
                                                        soft_limit_while_reading: list[str]) -> None:
    """GIVEN a 20,000-row file WHEN the soft time limit fires while it is read THEN the upload fails as
    `timeout` with the message for a file that ran out of time, nothing stored; not `internal_error`."""
    from pathlib import Path
    assert isinstance(tmp_path, Path)
    runtime = open_runtime(make_settings(tmp_path, isolate_files=isolate))
    try:
        upload_id = _upload(runtime, _big_csv(), "transcript-20000-rows.csv")
        outcome = jobs.process(upload_id, runtime, owner="task-1")
        assert soft_limit_while_reading == ["child" if isolate else "in process"]
        with runtime.sessions() as s:
            upload = s.get(UploadRow, upload_id)
            assert upload is not None
            stored = s.scalar(select(func.count()).where(ActivityRow.upload_id == upload_id))
        assert (outcome.state, outcome.code) == ("failed", "timeout"), outcome
        assert (upload.state, upload.error_code, stored) == ("failed", "timeout", 0)
        assert "transcript-20000-rows.csv" in (upload.error_message or "")
    finally:
        runtime.close()
