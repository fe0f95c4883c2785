#!/usr/bin/env python
"""Fault injection (issue 6): under faults, nothing lost, nothing duplicated, every upload answered.

    .venv/bin/python bench/fault_suite.py [--only kill,redis,postgres,twice,burst,poison] [--burst 1000]

Starts its own services, all on 127.0.0.1 and each stopped by its PID at the end: a fresh PostgreSQL
database (dropped at the end), a TCP proxy in front of PostgreSQL (killed to make the database go away,
started again to bring it back), a redis-server on a free port as the broker (run without persistence,
so a restart loses every message in it), the API (`cpd-evidence serve`) and two workers
(`cpd-evidence worker --concurrency 1`). The API and the workers reach PostgreSQL through the proxy.

    kill       kill -9 the worker (its whole process group) reading a large CSV; the other worker's sweeper
               sends it again at once (the lease's holder, on this host, is gone), not after the lease
    redis      restart the broker during a burst of uploads (the queued messages are lost with it)
    postgres   cut the database for a few seconds during a burst; POSTs meanwhile get 503, sent again after
    twice      the same bytes posted by several threads at the same moment: one upload, one 202
    burst      1,000 distinct small CSVs from 10 members
    poison     files that always fail (bad-input samples, random bytes) amid good ones

Figures per scenario (a file posted several times, or by several threads, is sent once):

    accepted / refused / unanswered   POST answers: 2xx / a JSON 503 (sent again later) / none, or another 5xx
    done / failed                      final states of the scenario's uploads
    lost        a 2xx POST with no upload row, an upload still queued or processing after the wait, or an
                upload done with fewer activities than its file holds
    duplicated  more than one upload for a member's same bytes, more than one activity per (member,
                activity_id), or an upload with more activities than its file holds
    unexpected  an upload that ended otherwise than its file should (a good file failed, a poison file done
                or retried), a failure without code and message, a POST refused with another 4xx, or a
                fault that did not land (the kill after the file was read, no upload in flight at the cut)
    resent      messages the workers' sweepers sent again (a lease run out, or queued longer than
                CPD_REQUEUE_AFTER_SECONDS): the recovery at work, or wasted sends under a backlog
Exits 1 when lost, duplicated, unanswered or unexpected is above 0 in any scenario.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import glob
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import Engine, create_engine, func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from ingest.store import ActivityRow, UploadRow, create_token  # noqa: E402
from ingest.store.db import migrate  # noqa: E402

HOST = "127.0.0.1"
PG_PORT = int(os.environ.get("FAULT_PG_PORT", "5432"))
PG_ADMIN = f"postgresql+psycopg2://postgres@{HOST}:{PG_PORT}/postgres"
SAMPLES = ROOT / "samples"
# Short bounds so a killed worker costs seconds: a lease of 25 s must exceed the hard time limit.
WORKER_SETTINGS = {
    "CPD_LEASE_SECONDS": "25", "CPD_TASK_SOFT_TIME_LIMIT": "18", "CPD_TASK_TIME_LIMIT": "22",
    "CPD_SWEEP_SECONDS": "1", "CPD_REQUEUE_AFTER_SECONDS": "30", "CPD_MAX_ATTEMPTS": "5",
    "CPD_RETRY_BACKOFF_SECONDS": "0.5", "CPD_RETRY_BACKOFF_MAX_SECONDS": "2", "CPD_MAX_RETRIES": "20",
}
SETTLE_SECONDS = 240.0  # how long a scenario's uploads may take to end, once its faults are over
SCENARIOS = ("kill", "redis", "postgres", "twice", "burst", "poison")


# ---------------------------------------------------------------------------------------------- helpers
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def wait_for(check: Callable[[], Any], seconds: float, what: str, every: float = 0.2) -> Any:
    """`check()`'s first truthy value within `seconds`, else TimeoutError naming `what`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"{what}: not within {seconds:.0f} s")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------- the proxy
async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


async def _proxy(listen: int, target: int) -> None:
    async def connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(HOST, target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    server = await asyncio.start_server(connect, HOST, listen, reuse_address=True)
    async with server:
        await server.serve_forever()


def proxy_main(listen: int, target: int) -> None:
    """`fault_suite.py proxy LISTEN TARGET`: forward TCP from 127.0.0.1:LISTEN to 127.0.0.1:TARGET. Killing
    the process resets every connection through it, as a database that went away would."""
    asyncio.run(_proxy(listen, target))


# ---------------------------------------------------------------------------------------------- processes
@dataclass
class Service:
    """One subprocess in its own process group, logged to LOGDIR/NAME.N.log (N: the how-many-th start)."""
    name: str
    argv: list[str]
    logdir: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def log(self) -> Path:
        return self.logdir / f"{self.name}.{self.starts}.log"

    def logs(self) -> str:
        return "".join((self.logdir / f"{self.name}.{n}.log").read_text(errors="replace")
                       for n in range(1, self.starts + 1) if (self.logdir / f"{self.name}.{n}.log").exists())

    def start(self) -> None:
        self.starts += 1
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def kill9(self) -> None:
        """SIGKILL to the whole group (a worker's main process and its pool children): a machine gone."""
        self._signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self._signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill9()

    def _signal(self, sig: signal.Signals) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)


# ---------------------------------------------------------------------------------------------- the harness
class Harness:
    """The database, broker, proxy, API and workers of one run, with tokens and an engine for the checks."""

    def __init__(self, workdir: Path, workers: int = 2) -> None:
        self.workdir, self.run = workdir, uuid.uuid4().hex[:8]
        self.db = f"cpd_faults_{self.run}"
        self.ports = {"redis": free_port(), "proxy": free_port(), "api": free_port()}
        self.engine: Engine | None = None
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()
        self._admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        redis = shutil.which("redis-server") or "redis-server"
        self.redis = Service("redis", [redis, "--port", str(self.ports["redis"]), "--bind", HOST, "--save", "",
                                       "--appendonly", "no", "--dir", str(workdir)], workdir)
        self.proxy = Service("proxy", [sys.executable, str(Path(__file__).resolve()), "proxy",
                                       str(self.ports["proxy"]), str(PG_PORT)], workdir)
        env = self._env()
        self.api = Service("api", [sys.executable, "-m", "ingest", "serve", "--host", HOST, "--port",
                                   str(self.ports["api"])], workdir, env)
        self.workers = [Service(f"worker{n}", [sys.executable, "-m", "ingest", "worker", "--concurrency", "1"],
                                workdir, env) for n in range(1, workers + 1)]

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
        env.update(WORKER_SETTINGS, PYTHONPATH=str(ROOT), CPD_DATA_DIR=str(self.workdir / "var"),
                   CPD_DATABASE_URL=f"postgresql://postgres@{HOST}:{self.ports['proxy']}/{self.db}",
                   CPD_BROKER_URL=f"redis://{HOST}:{self.ports['redis']}/0", CPD_QUEUE_PREFIX=f"faults-{self.run}-")
        return env

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.ports['api']}"

    def __enter__(self) -> Harness:
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.db}"'))
        try:
            self.engine = create_engine(f"postgresql+psycopg2://postgres@{HOST}:{PG_PORT}/{self.db}")
            migrate(self.engine)  # once here, before the API and the workers start
            self.start_broker()
            self.start_proxy()
            self.api.start()
            wait_for(self._api_up, 60, "the API answering /openapi.json")
            for worker in self.workers:
                self.start_worker(worker)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        for service in [*self.workers, self.api, self.proxy, self.redis]:
            service.stop()
        if self.engine is not None:
            self.engine.dispose()
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)'))
        self._admin.dispose()

    def _api_up(self) -> bool:
        with contextlib.suppress(httpx.TransportError):
            return httpx.get(f"{self.base_url}/openapi.json", timeout=2).status_code == 200
        return False

    def start_broker(self) -> None:
        self.redis.start()
        wait_for(lambda: listening(self.ports["redis"]), 20, "redis-server listening")

    def start_proxy(self) -> None:
        self.proxy.start()
        wait_for(lambda: listening(self.ports["proxy"]), 20, "the PostgreSQL proxy listening")

    def start_worker(self, worker: Service, wait: bool = True) -> None:
        worker.start()
        if wait:
            wait_for(lambda: " ready." in worker.log.read_text(errors="replace"), 90, f"{worker.name} ready")

    def token(self, member: str) -> str:
        """A member's token (made once), or an admin's for member "*admin"."""
        with self._lock:
            if member not in self._tokens:
                assert self.engine is not None
                with Session(self.engine) as session, session.begin():
                    kind, member_id = ("admin", None) if member == "*admin" else ("member", member)
                    self._tokens[member] = create_token(session, kind, member_id)
            return self._tokens[member]

    def worker_holding(self, owner: str) -> Service | None:
        """The worker whose log shows it received the task `owner` (the lease owner is the task id)."""
        return next((w for w in self.workers if owner in w.log.read_text(errors="replace")), None)


# ---------------------------------------------------------------------------------------------- files
HEADER = "Title,Provider,Completion Date,Hours,Status\n"
TOPICS = ("Trust accounting", "Anti-money laundering", "Inheritance tax", "Professional ethics", "Probate update",
          "Data protection", "Conflicts of interest", "Trustee investment duties")


def transcript_csv(tag: str, rows: int) -> bytes:
    """A CSV of `rows` distinct activities, one per row (the tag makes its bytes unique in the run)."""
    lines = [f"{TOPICS[n % len(TOPICS)]} {tag} part {n + 1},Harbour Academy,{13 + n % 15}/0{1 + n % 9}/2024,"
             f"{1 + n % 3},Completed\n" for n in range(rows)]
    return (HEADER + "".join(lines)).encode()


def poison_files() -> list[tuple[str, bytes, str | None]]:
    """Files that can never be read: the repository's bad-input samples (whatever code they fail with) and
    random bytes (unsupported_format). Each: name, bytes, the code expected or None for any."""
    found: list[tuple[str, bytes, str | None]] = []
    for expected in sorted(SAMPLES.glob("*/*.expected.json")):
        with contextlib.suppress(OSError, ValueError):
            if not json.loads(expected.read_text()).get("error"):
                continue
            stem = expected.name[: -len(".expected.json")]  # "truncated.xlsx", or "truncated" for truncated.pdf
            candidates = [expected.with_name(stem)] + sorted(expected.parent.glob(glob.escape(stem) + ".*"))
            sample = next((c for c in candidates if c.is_file() and not c.name.endswith(".expected.json")), None)
            if sample is not None and 0 < sample.stat().st_size <= 5_000_000:
                found.append((sample.name, sample.read_bytes(), None))
    rng = random.Random(6)
    found.append(("scan.bin", bytes(rng.randrange(256) for _ in range(4096)), "unsupported_format"))
    return found


# ---------------------------------------------------------------------------------------------- posting
@dataclass(frozen=True)
class Expect:
    rows: int = 0                 # activities the file holds
    state: str = "done"
    code: str | None = None       # a failed upload's error code, where one is known
    max_attempts: int | None = None


@dataclass
class Post:
    member: str
    name: str
    data: bytes
    expect: Expect
    answers: list[int | None] = field(default_factory=list)  # status codes (None: no answer)
    bodies: list[Any] = field(default_factory=list)
    upload_id: int | None = None

    @property
    def accepted(self) -> bool:
        return any(a is not None and 200 <= a < 300 for a in self.answers)


_local = threading.local()


def _client(base_url: str) -> httpx.Client:
    if getattr(_local, "base_url", None) != base_url:
        _local.client, _local.base_url = httpx.Client(base_url=base_url, timeout=60), base_url
    return _local.client  # type: ignore[no-any-return]


def post(h: Harness, p: Post) -> None:
    """POST the file once and record the answer: status and JSON body (None and the error if none came)."""
    try:
        r = _client(h.base_url).post("/uploads", headers={"Authorization": f"Bearer {h.token(p.member)}"},
                                     files={"file": (p.name, p.data, "application/octet-stream")})
    except httpx.HTTPError as exc:
        p.answers.append(None)
        p.bodies.append(repr(exc))
        return
    p.answers.append(r.status_code)
    try:
        body = r.json()
    except ValueError:
        body = r.text[:300]
    p.bodies.append(body)
    if 200 <= r.status_code < 300 and isinstance(body, dict):
        p.upload_id = body.get("id")


def post_all(h: Harness, posts: Sequence[Post], threads: int = 8) -> None:
    with ThreadPoolExecutor(threads, thread_name_prefix="poster") as pool:
        list(pool.map(lambda p: post(h, p), posts))


# ---------------------------------------------------------------------------------------------- checking
@dataclass
class Figures:
    scenario: str
    sent: int = 0
    accepted: int = 0
    refused: int = 0
    unanswered: int = 0
    done: int = 0
    failed: int = 0
    lost: int = 0
    duplicated: int = 0
    unexpected: int = 0
    resent: int = 0              # messages the workers' sweepers sent again during the scenario
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.unanswered or self.unexpected)

    def note(self, text: str, *, counts_as: str | None = None) -> None:
        self.notes.append(text)
        if counts_as:
            setattr(self, counts_as, getattr(self, counts_as) + 1)


def _answers(fig: Figures, posts: Sequence[Post]) -> None:
    fig.sent = len({(p.member, sha256(p.data)) for p in posts})
    for p in posts:
        for status, body in zip(p.answers, p.bodies):
            if status is not None and 200 <= status < 300:
                fig.accepted += 1
            elif status == 503 and isinstance(body, dict) and "error" in body:
                fig.refused += 1
            elif status is None or status >= 500:
                fig.note(f"{p.name}: POST answered {status}: {str(body)[:200]}", counts_as="unanswered")
            else:
                fig.note(f"{p.name}: POST refused {status}: {str(body)[:200]}", counts_as="unexpected")


def _wait_settled(h: Harness, ids: set[int], seconds: float) -> set[int]:
    """Wait until none of the uploads is queued or processing; the ids still open at the deadline."""
    assert h.engine is not None
    deadline, open_ids = time.monotonic() + seconds, set(ids)
    while open_ids and time.monotonic() < deadline:
        with h.engine.connect() as c:
            open_ids = set(c.scalars(select(UploadRow.id).where(UploadRow.id.in_(ids),
                                                            UploadRow.state.in_(("queued", "processing")))))
        if open_ids:
            time.sleep(0.5)
    return open_ids


def settle(h: Harness, fig: Figures, posts: Sequence[Post], seconds: float = SETTLE_SECONDS) -> Figures:
    """Wait for the scenario's uploads to end, then count what was lost, duplicated and unexpected."""
    assert h.engine is not None
    _answers(fig, posts)
    ids = {p.upload_id for p in posts if p.accepted and p.upload_id is not None}
    still_open = _wait_settled(h, ids, seconds)
    with h.engine.connect() as c:
        rows = {u.id: u for u in c.execute(select(UploadRow).where(UploadRow.id.in_(ids)))}
        counts = dict(c.execute(select(ActivityRow.upload_id, func.count()).where(
            ActivityRow.upload_id.in_(ids)).group_by(ActivityRow.upload_id)).all())
    fig.done = sum(1 for u in rows.values() if u.state == "done")
    fig.failed = sum(1 for u in rows.values() if u.state == "failed")
    for upload_id in sorted(still_open):
        fig.note(f"upload {upload_id} still {rows[upload_id].state} after {seconds:.0f} s", counts_as="lost")
    seen: set[int] = set()
    for p in posts:
        if p.accepted:
            _check_post(fig, p, rows, counts, seen)
    _check_duplicates(h, fig, posts)
    return fig


def _check_post(fig: Figures, p: Post, rows: dict[int, Any], counts: dict[int, int], seen: set[int]) -> None:
    row = rows.get(p.upload_id) if p.upload_id is not None else None
    if row is None or row.member_id != p.member or row.sha256 != sha256(p.data):
        fig.note(f"{p.name}: answered {p.answers[-1]} with upload {p.upload_id}, but no such upload", counts_as="lost")
        return
    if row.id in seen or row.state not in ("done", "failed"):
        return
    seen.add(row.id)
    got, want = counts.get(row.id, 0), p.expect.rows if row.state == "done" else 0
    if got < want:
        fig.lost += want - got
        fig.note(f"upload {row.id} ({p.name}): {got} activities, its file holds {want}")
    elif got > want:
        fig.duplicated += got - want
        fig.note(f"upload {row.id} ({p.name}): {got} activities, its file holds {want}")
    problem = _unexpected(p.expect, row)
    if problem:
        fig.note(f"upload {row.id} ({p.name}): {problem}", counts_as="unexpected")


def _unexpected(expect: Expect, row: Any) -> str | None:
    if row.state != expect.state:
        return f"ended {row.state} ({row.error_code}: {row.error_message}), expected {expect.state}"
    if row.state == "failed" and not (row.error_code and row.error_message):
        return "failed without an error code and message"
    if expect.code is not None and row.error_code != expect.code:
        return f"failed with {row.error_code}, expected {expect.code}"
    if expect.max_attempts is not None and row.attempts > expect.max_attempts:
        return f"tried {row.attempts} times, at most {expect.max_attempts} expected"
    return None


def _check_duplicates(h: Harness, fig: Figures, posts: Sequence[Post]) -> None:
    """One upload per member's bytes (in the answers and in the table); one activity per (member, id)."""
    assert h.engine is not None
    members = sorted({p.member for p in posts})
    ids_per_file: dict[tuple[str, str], set[int]] = {}
    for p in posts:
        if p.accepted and p.upload_id is not None:
            ids_per_file.setdefault((p.member, sha256(p.data)), set()).add(p.upload_id)
    for (member, digest), ids in ids_per_file.items():
        if len(ids) > 1:
            fig.duplicated += len(ids) - 1
            fig.note(f"member {member}: the same bytes {digest[:12]} answered with uploads {sorted(ids)}")
    with h.engine.connect() as c:
        uploads = c.execute(select(UploadRow.member_id, UploadRow.sha256, func.count()).where(
            UploadRow.member_id.in_(members)).group_by(UploadRow.member_id, UploadRow.sha256)
            .having(func.count() > 1)).all()
        activities = c.execute(select(ActivityRow.member_id, ActivityRow.activity_id, func.count()).where(
            ActivityRow.member_id.in_(members)).group_by(ActivityRow.member_id, ActivityRow.activity_id)
            .having(func.count() > 1)).all()
    for member, key, n in [*uploads, *activities]:
        fig.duplicated += n - 1
        fig.note(f"member {member}: {n} rows for {key}")


# ---------------------------------------------------------------------------------------------- scenarios
def small_posts(scenario: str, count: int, members: int = 5, max_rows: int = 3) -> list[Post]:
    posts = []
    for n in range(count):
        rows = 1 + n % max_rows
        posts.append(Post(f"{scenario}-m{n % members}", f"{scenario}-{n}.csv", transcript_csv(f"{scenario}{n}", rows),
                          Expect(rows)))
    return posts


def _processing_owner(h: Harness, upload_id: int) -> str | None:
    assert h.engine is not None
    with h.engine.connect() as c:
        row = c.execute(select(UploadRow.state, UploadRow.lease_owner).where(UploadRow.id == upload_id)).one()
    return row.lease_owner if row.state == "processing" else None


def _state(h: Harness, upload_id: int) -> tuple[str, int]:
    assert h.engine is not None
    with h.engine.connect() as c:
        row = c.execute(select(UploadRow.state, UploadRow.attempts).where(UploadRow.id == upload_id)).one()
    return row.state, row.attempts


KILL_ROWS = 20_000  # seconds of reading and saving, well inside the 18 s soft limit on a busy machine: the kill lands inside the file


def scenario_kill(h: Harness, fig: Figures) -> list[Post]:
    """GIVEN a worker reading a large CSV WHEN its whole process group gets SIGKILL THEN the other worker's
    sweeper sends it again at once (its lease's holder is gone) and it is read once, whole; later uploads are
    served."""
    slow = Post("kill-m0", "transcript-20000-rows.csv", transcript_csv("kill-big", KILL_ROWS), Expect(KILL_ROWS))
    post(h, slow)
    if slow.upload_id is None:
        fig.note(f"the large file was not accepted: {slow.answers} {slow.bodies}", counts_as="unexpected")
        return [slow]
    upload_id = slow.upload_id
    owner = wait_for(lambda: _processing_owner(h, upload_id), 60, "a worker claiming the large file")
    time.sleep(1.0)  # into the file
    victim = h.worker_holding(owner)
    if victim is None or _processing_owner(h, upload_id) != owner:
        fig.note(f"the kill did not land mid-file (state {_state(h, upload_id)})", counts_as="unexpected")
        return [slow]
    victim.kill9()
    killed = time.monotonic()
    fig.note(f"killed {victim.name} (pid {victim.proc.pid if victim.proc else '?'}) 1 s into upload "
             f"{upload_id}")
    others = small_posts("kill", 20)
    post_all(h, others)
    h.start_worker(victim, wait=False)
    wait_for(lambda: _state(h, upload_id)[0] in ("done", "failed"), SETTLE_SECONDS, "the large file read again")
    state, attempts = _state(h, upload_id)
    fig.note(f"upload {upload_id} {state} {time.monotonic() - killed:.1f} s after the kill, attempts {attempts}")
    if attempts < 2:
        fig.note("the large file was not claimed again after the kill", counts_as="unexpected")
    return [slow, *others]


def _in_background(posts: Sequence[Post], h: Harness, threads: int = 8) -> threading.Thread:
    thread = threading.Thread(target=post_all, args=(h, posts, threads), daemon=True)
    thread.start()
    return thread


def scenario_redis(h: Harness, fig: Figures, count: int = 240) -> list[Post]:
    """GIVEN a burst of `count` uploads WHEN the broker is killed a quarter of the way in (its queues lost) and
    started again 4 s later THEN every upload is still read, once: the sweeper sends again what nobody picked up."""
    posts = small_posts("redis", count)
    burst = _in_background(posts, h)
    wait_for(lambda: sum(1 for p in posts if p.answers) >= count // 4, 60, f"{count // 4} uploads answered")
    h.redis.kill9()
    fig.note(f"redis-server killed after {sum(1 for p in posts if p.answers)} uploads answered")
    time.sleep(4)
    h.start_broker()
    burst.join()
    return posts


def _open_count(h: Harness, posts: Sequence[Post]) -> int:
    """How many of the posts' uploads are queued or processing now."""
    assert h.engine is not None
    ids = [p.upload_id for p in posts if p.upload_id is not None]
    with h.engine.connect() as c:
        return int(c.scalar(select(func.count()).where(UploadRow.id.in_(ids),
                                                       UploadRow.state.in_(("queued", "processing")))) or 0)


def scenario_postgres(h: Harness, fig: Figures, cut_seconds: float = 6.0, count: int = 200) -> list[Post]:
    """GIVEN a burst of `count` uploads WHEN PostgreSQL goes away mid-burst for 6 s (the proxy killed: every
    connection reset, new ones refused) THEN POSTs meanwhile get a JSON 503 and are sent again after; the
    workers' reads wait and retry; every accepted upload is read, once, when the database is back."""
    posts = small_posts("postgres", count)
    burst = _in_background(posts, h, threads=4)
    wait_for(lambda: sum(1 for p in posts if p.answers) >= count * 3 // 10, 60,
             f"{count * 3 // 10} uploads answered")
    h.proxy.kill9()
    cut = time.monotonic()
    in_flight = _open_count(h, posts)
    time.sleep(cut_seconds)
    h.start_proxy()
    away = time.monotonic() - cut
    burst.join()
    refused = [p for p in posts if not p.accepted]
    fig.note(f"PostgreSQL away for {away:.1f} s, {in_flight} uploads queued or processing as it "
             f"went; {len(refused)} POSTs refused meanwhile, sent again after")
    if not in_flight:
        fig.note("no upload was in the workers' hands when the database went away", counts_as="unexpected")
    post_all(h, refused)
    return posts


def scenario_twice(h: Harness, fig: Figures, files: int = 25, threads: int = 4) -> list[Post]:
    """GIVEN the same bytes posted by `threads` threads at the same moment (two file names) THEN one upload
    id in every answer, one 202 and the rest 200, and the activities once."""
    posts: list[Post] = []
    for n in range(files):
        data = transcript_csv(f"twice{n}", 2)
        group = [Post("twice-m0", f"twice-{n}-{k % 2}.csv", data, Expect(2)) for k in range(threads)]
        barrier = threading.Barrier(threads)

        def go(p: Post) -> None:
            barrier.wait(timeout=30)
            post(h, p)

        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(go, group))
        created = sum(1 for p in group if p.answers == [202])
        if created != 1:
            fig.note(f"file {n}: {created} answers were 202 (answers {[p.answers for p in group]})",
                     counts_as="unexpected")
        posts += group
    return posts


def scenario_burst(h: Harness, fig: Figures, count: int = 1000) -> list[Post]:
    """GIVEN `count` distinct small CSVs from 10 members posted by 16 threads THEN every one is done with its
    activities, none twice."""
    posts = small_posts("burst", count, members=10)
    started = time.monotonic()
    post_all(h, posts, threads=16)
    fig.note(f"{count} POSTs answered in {time.monotonic() - started:.1f} s")
    return posts


def scenario_poison(h: Harness, fig: Figures) -> list[Post]:
    """GIVEN files that can never be read amid good ones THEN each fails once with a code and message (never
    retried), the good ones are done; an admin's reprocess of all failed fails them again, once each."""
    poison = [Post("poison-m0", name, data, Expect(0, "failed", code, max_attempts=1))
              for name, data, code in poison_files()]
    good = small_posts("poison", 20, members=1)
    mixed = [p for pair in zip(poison, good) for p in pair] + poison[len(good):] + good[len(poison):]
    post_all(h, mixed, threads=4)
    ids = {p.upload_id for p in poison if p.upload_id is not None}
    if _wait_settled(h, ids, SETTLE_SECONDS):
        return mixed
    r = httpx.post(f"{h.base_url}/admin/reprocess", json={"state": "failed"}, timeout=60,
                   headers={"Authorization": f"Bearer {h.token('*admin')}"})
    again = set(r.json().get("ids", [])) if r.status_code == 202 else set()
    fig.note(f"{len(poison)} poison files; an admin's reprocess of all failed: {r.status_code}, "
             f"{len(again & ids)} of them queued again")
    if not ids <= again:
        fig.note("the reprocess did not queue every failed poison file", counts_as="unexpected")
    return mixed


RUNNERS: dict[str, Callable[..., list[Post]]] = {
    "kill": scenario_kill, "redis": scenario_redis, "postgres": scenario_postgres, "twice": scenario_twice,
    "burst": scenario_burst, "poison": scenario_poison,
}


def resent(h: Harness) -> int:
    """Messages the workers' sweepers sent again so far (from their logs: "sweeper sent N upload(s) again")."""
    return sum(int(n) for w in h.workers for n in re.findall(r"sweeper sent (\d+) upload", w.logs()))


def run_scenario(h: Harness, name: str, **options: Any) -> Figures:
    fig = Figures(name)
    started, resent_before = time.monotonic(), resent(h)
    try:
        posts = RUNNERS[name](h, fig, **options)
    except TimeoutError as exc:
        fig.note(str(exc), counts_as="unexpected")
        posts = []
    settle(h, fig, posts)
    fig.seconds, fig.resent = time.monotonic() - started, resent(h) - resent_before
    return fig


# ---------------------------------------------------------------------------------------------- main
COLUMNS = ("sent", "accepted", "refused", "unanswered", "done", "failed", "lost", "duplicated", "unexpected",
           "resent")


def table(figures: Sequence[Figures]) -> str:
    head = f"{'scenario':<10}" + "".join(f"{c:>11}" for c in COLUMNS) + f"{'seconds':>9}"
    lines = [head, "-" * len(head)]
    for f in figures:
        lines.append(f"{f.scenario:<10}" + "".join(f"{getattr(f, c):>11}" for c in COLUMNS) + f"{f.seconds:>9.1f}")
    for f in figures:
        lines += [f"  {f.scenario}: {n}" for n in f.notes[:15]]
    return "\n".join(lines)


def run_all(names: Sequence[str], workdir: Path, burst: int = 1000) -> list[Figures]:
    figures = []
    with Harness(workdir) as h:
        for name in names:
            options = {"count": burst} if name == "burst" else {}
            figures.append(run_scenario(h, name, **options))
            print(table(figures[-1:]), flush=True)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["proxy"]:
        proxy_main(int(args[1]), int(args[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenarios")
    parser.add_argument("--burst", type=int, default=1000, help="uploads in the burst scenario")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (logs) at the end")
    options = parser.parse_args(args)
    names = [n.strip() for n in options.only.split(",") if n.strip()]
    unknown = set(names) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}")
    workdir = Path(tempfile.mkdtemp(prefix="cpd-faults-"))
    try:
        figures = run_all(names, workdir, options.burst)
    finally:
        if options.keep:
            print(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("\n" + table(figures))
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
