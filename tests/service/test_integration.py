"""End to end against real services on 127.0.0.1: PostgreSQL + Redis, PostgreSQL + RabbitMQ, each with a
real `cpd-evidence worker` process; and the embedded default (`cpd-evidence serve` on SQLite, no broker).

Each run gets a fresh PostgreSQL database (dropped at the end) and queue names prefixed by a run id
(CPD_QUEUE_PREFIX), so runs never see each other's work. Processes are stopped by their PID.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from extractors.model import ExtractOptions, Upload as FileUpload
from ingest.api import create_app
from ingest.store import UploadRow, create_token, find_or_create_upload, utcnow
from ingest.work.pipeline import run
from ingest.work.roles import load_role_json
from ingest.work.runtime import Runtime, open_runtime
from mappers.matching import Matcher

from .conftest import GOOD_CSV, OTHER_CSV, REPO, all_activities, make_settings, truncated_xlsx

pytestmark = [pytest.mark.services, pytest.mark.slow]

REDIS_URL = "redis://127.0.0.1:6379/0"
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//"
DEADLINE = 60.0
# Small bounds so retries, give-ups and the sweeper's re-sending (of a message the broker lost) fit the deadline.
SPEEDY = {"CPD_MAX_ATTEMPTS": "2", "CPD_RETRY_BACKOFF_SECONDS": "0.2", "CPD_RETRY_BACKOFF_MAX_SECONDS": "1",
          "CPD_SWEEP_SECONDS": "2", "CPD_REQUEUE_AFTER_SECONDS": "10"}


# ---------------------------------------------------------------------------------------------- services


def _delete_queues(broker: str, prefix: str, names: list[str]) -> None:
    """Remove this run's queues and exchanges (each queue has an exchange of its name) from the broker."""
    from kombu import Connection

    with Connection(broker, connect_timeout=5) as connection:
        channel = connection.default_channel
        for name in names:
            with contextlib.suppress(Exception):
                channel.queue_delete(name)
            with contextlib.suppress(Exception):
                channel.exchange_delete(name)
    if broker.startswith("redis"):  # kombu keeps its bindings in keys named after the queues
        import redis

        client = redis.Redis.from_url(broker)
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)
        client.close()


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
    env.update(SPEEDY)
    env.update(values)
    env["PYTHONPATH"] = str(REPO)
    return env


@contextlib.contextmanager
def _process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m ingest ARGS` in its own process group; stopped (TERM, then KILL) by its PID."""
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ingest", *args], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------------------------------------- the scenario
class Client:
    def __init__(self, http: Any, tokens: dict[str, str], blobs: Path) -> None:
        self.http, self.tokens, self.blobs = http, tokens, blobs

    def call(self, method: str, url: str, who: str, **kwargs: Any) -> Any:
        return self.http.request(method, url, headers={"Authorization": f"Bearer {self.tokens[who]}"}, **kwargs)

    def upload(self, who: str, data: bytes, name: str) -> Any:
        return self.call("POST", "/uploads", who, files={"file": (name, data, "application/octet-stream")})

    def wait(self, upload_id: int, who: str = "admin", until: Callable[[dict[str, Any]], bool] | None = None,
             log: Path | None = None) -> dict[str, Any]:
        """Poll the upload until it is done or failed (or `until`), at most DEADLINE seconds."""
        deadline = time.monotonic() + DEADLINE
        upload: dict[str, Any] = {}
        while time.monotonic() < deadline:
            upload = self.call("GET", f"/uploads/{upload_id}", who).json()
            if (until or (lambda u: u["state"] in ("done", "failed")))(upload):
                return upload
            time.sleep(0.25)
        tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        raise AssertionError(f"upload {upload_id} still {upload} after {DEADLINE} s\n{tail}")

    def activities(self, member: str, who: str) -> list[dict[str, Any]]:
        return all_activities(self.call, member, who, limit=2)


def scenario(client: Client, runtime: Runtime, log: Path | None = None) -> None:
    """UploadRow -> worker -> activities; duplicates; a bad file; a transient failure; a worker that died;
    members kept apart; a role change re-maps."""
    first = client.upload("alice", GOOD_CSV, "record.csv")
    assert first.status_code == 202, first.text
    good_id = first.json()["id"]
    good = client.wait(good_id, "alice", log=log)
    assert (good["state"], good["error"], good["activity_count"]) == ("done", None, 5)
    ids = sorted(a["activity_id"] for a in client.activities("alice", "alice"))
    assert len(ids) == 5

    again = client.upload("alice", GOOD_CSV, "record-again.csv")
    assert again.status_code == 200 and again.json()["id"] == good_id

    _bad_file_stays_failed(client, ids, log)
    _transient_failure_then_reprocess(client, good_id, good["sha256"], ids, log)
    _dead_workers_upload_is_swept(client, runtime, log)
    _members_kept_apart(client, good_id)
    _role_remaps(client, log)
    summary = client.call("GET", "/members/alice/summary", "portal", params={"year": 2024}).json()
    assert (summary["activities"], summary["hours"]) == (5, 8.0)  # record.csv 3 + other.csv 2


def _bad_file_stays_failed(client: Client, ids: list[str], log: Path | None) -> None:
    data = truncated_xlsx()
    expected = run(FileUpload.from_bytes(data, "broken.xlsx"), ExtractOptions(), Matcher(None)).error
    assert expected is not None
    bad_id = client.upload("alice", data, "broken.xlsx").json()["id"]
    bad = client.wait(bad_id, log=log)
    assert (bad["state"], bad["error"]["code"], bad["attempts"]) == ("failed", expected.code, 1)
    assert client.call("POST", f"/admin/uploads/{bad_id}/reprocess", "admin").status_code == 202
    bad = client.wait(bad_id, log=log)
    assert (bad["state"], bad["error"]["code"], bad["activity_count"]) == ("failed", expected.code, 0)
    failed = client.call("GET", "/admin/uploads", "admin", params={"state": "failed"}).json()["items"]
    assert [u["id"] for u in failed] == [bad_id]
    assert sorted(a["activity_id"] for a in client.activities("alice", "alice")) == ids
    if log is not None:  # the worker (or serve) says so in its log, one line each time: id, code, message
        line = f"upload {bad_id} failed: {expected.code}: {' '.join(expected.message.split())}"
        deadline = time.monotonic() + DEADLINE
        while (text := log.read_text(errors="replace")).count(line) < 2:
            assert time.monotonic() < deadline, f"not twice in the log: {line}\n{text[-3000:]}"
            time.sleep(0.2)


def _transient_failure_then_reprocess(client: Client, good_id: int, sha: str, ids: list[str],
                                      log: Path | None) -> None:
    """GIVEN the upload's blob folder away WHEN it is reprocessed THEN it fails after bounded retries;
    WHEN the blob is back and it is reprocessed THEN it is done, with the same activities, no more."""
    blob = client.blobs / sha[:2] / sha
    saved = blob.read_bytes()
    blob.unlink()
    try:
        assert client.call("POST", f"/admin/uploads/{good_id}/reprocess", "admin").status_code == 202
        gone = client.wait(good_id, log=log)
        assert (gone["state"], gone["error"]["code"]) == ("failed", "too_many_attempts"), gone
    finally:
        blob.write_bytes(saved)
    bulk = client.call("POST", "/admin/reprocess", "admin", json={"state": "failed"})
    assert bulk.status_code == 202 and good_id in bulk.json()["ids"]
    back = client.wait(good_id, log=log)
    assert (back["state"], back["activity_count"]) == ("done", 5)
    assert sorted(a["activity_id"] for a in client.activities("alice", "alice")) == ids


def _dead_workers_upload_is_swept(client: Client, runtime: Runtime, log: Path | None) -> None:
    """GIVEN an upload claimed by a worker that died (its lease ran out, no message left anywhere)
    THEN the sweeper sends it again and a live worker reads it."""
    sha = runtime.blobs.put(OTHER_CSV)
    with runtime.sessions() as s, s.begin():
        upload, _ = find_or_create_upload(s, member_id="alice", filename="other.csv", sha256=sha,
                                          size=len(OTHER_CSV), media_type="text/csv")
        s.flush()
        s.execute(update(UploadRow).where(UploadRow.id == upload.id).values(
            state="processing", lease_owner="dead-worker", attempts=1,
            lease_expires_at=utcnow() - dt.timedelta(seconds=1)))
    swept = client.wait(upload.id, log=log)
    assert (swept["state"], swept["activity_count"], swept["attempts"]) == ("done", 2, 2)


def _role_remaps(client: Client, log: Path | None) -> None:
    """PUT role: the stored activities are matched to it by the worker (within DEADLINE seconds)."""
    role = load_role_json("trust-administrator")
    assert client.call("PUT", "/members/alice/role", "alice", json=role).status_code == 200
    deadline = time.monotonic() + DEADLINE
    while not any(a["responsibilities"] for a in client.activities("alice", "alice")):
        assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:] if log else "no remap"
        time.sleep(0.25)
    summary = client.call("GET", "/members/alice/summary", "alice", params={"year": 2024}).json()
    assert summary["role"]["id"] == "trust-administrator" and summary["responsibilities"]["covered"]


def _members_kept_apart(client: Client, good_id: int) -> None:
    assert client.call("GET", f"/uploads/{good_id}", "bob").status_code == 404
    for url in ("/members/alice/activities", "/members/alice/summary?year=2024"):
        response = client.call("GET", url, "bob")
        assert response.status_code == 403 and "items" not in response.json() and "hours" not in response.json()
    assert client.activities("bob", "bob") == []


# ---------------------------------------------------------------------------------------------- the three ways
def _tokens(runtime: Any) -> dict[str, str]:
    with runtime.sessions() as s, s.begin():
        return {"alice": create_token(s, "member", "alice"), "bob": create_token(s, "member", "bob"),
                "admin": create_token(s, "admin"), "portal": create_token(s, "portal")}


@pytest.mark.parametrize("broker", [REDIS_URL, AMQP_URL], ids=["redis", "rabbitmq"])
def test_postgresql_broker_and_a_real_worker(broker: str, pg_database: str, tmp_path: Path) -> None:
    prefix = f"cpdtest-{uuid.uuid4().hex[:8]}-"
    env = _env(CPD_DATABASE_URL=pg_database, CPD_BROKER_URL=broker, CPD_DATA_DIR=str(tmp_path / "var"),
               CPD_QUEUE_PREFIX=prefix)
    settings = make_settings(tmp_path, database_url=pg_database, broker_url=broker, queue_prefix=prefix,
                             max_attempts=2, retry_backoff_seconds=0.2, retry_backoff_max_seconds=1.0)
    runtime = open_runtime(settings)
    log = tmp_path / "worker.log"
    try:
        with _process(["worker", "--concurrency", "2"], env, log), \
                TestClient(create_app(settings, runtime=runtime)) as http:
            scenario(Client(http, _tokens(runtime), settings.blobs), runtime, log)
    finally:
        runtime.close()
        _delete_queues(broker, prefix, [settings.uploads_queue, settings.reprocess_queue])


def test_embedded_default_serve_without_broker(tmp_path: Path) -> None:
    """`cpd-evidence serve` on SQLite with no broker does the same, its work in a thread pool."""
    env = _env(CPD_DATA_DIR=str(tmp_path / "var"))
    token = subprocess.run([sys.executable, "-m", "ingest", "token", "create", "--member", "alice"], cwd=REPO,
                           env=env, capture_output=True, text=True, timeout=60, check=True).stdout
    assert token.count("\n") == 1 and token.startswith("cpd_")
    runtime = open_runtime(make_settings(tmp_path))
    tokens = {**_tokens(runtime), "alice": token.strip()}
    port, log = _free_port(), tmp_path / "serve.log"
    with _process(["serve", "--port", str(port)], env, log), \
            httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http, contextlib.closing(runtime):
        deadline = time.monotonic() + DEADLINE
        while True:
            with contextlib.suppress(httpx.TransportError):
                if http.get("/openapi.json").status_code == 200:
                    break
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        scenario(Client(http, tokens, (tmp_path / "var" / "blobs").resolve()), runtime, log)


def test_worker_without_broker_says_what_to_set(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ingest", "worker"], cwd=REPO, capture_output=True, text=True,
                          env=_env(CPD_DATA_DIR=str(tmp_path / "var")), timeout=60)
    assert done.returncode == 2 and "CPD_BROKER_URL" in done.stderr
