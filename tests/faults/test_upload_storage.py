"""Uploads against the blob store's limits (issue 18, items 3 and 6): the bytes are streamed to the store, so
the API's memory does not grow with the files; a bound on uploads received at once answers 503 `busy`; and a
blob folder that refuses writes (read-only for a server not running as root, or a full disk) answers 503
`storage_unavailable` with one log line for the operator, keeping every upload made before and storing
nothing in part. Each against a real `cpd-evidence serve` (or the app in-process for the full disk)."""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from ingest.api import create_app
from ingest.work.runtime import open_runtime

from .conftest import GOOD_CSV, Api, Recorder, make_settings
from .servers import HOST, ApiServer, RedisServer, cli, rss_kib, service_env, wait_for

MB = 1024 * 1024
OTHER_CSV = (b"Title,Provider,Completion Date,Hours\n"
             b"Estate administration update,Law Society,03/07/2024,2.5\n"
             b"Client care and complaints handling,Law Society,04/09/2024,1\n")
BOUNDARY = "cpd-test-boundary-7c1f"


def form_parts(filename: str, size: int, tag: str) -> tuple[bytes, Iterator[bytes], bytes, int]:
    """A multipart form holding one CSV of `size` bytes made a megabyte at a time (never whole in memory
    here either): its head, the file's chunks, its tail, and the body's length."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    row = f"Course {tag} on trust law and practice,Provider {tag},15/05/2024,1\n".encode()
    chunk = (b"Title,Provider,Completion Date,Hours\n" + row * (MB // len(row) + 1))[:MB]

    def chunks() -> Iterator[bytes]:
        left = size
        while left > 0:
            yield chunk[:min(left, MB)]
            left -= MB

    return head, chunks(), tail, len(head) + size + len(tail)


def post_streamed(url: str, token: str, filename: str, size: int, tag: str) -> httpx.Response:
    head, chunks, tail, length = form_parts(filename, size, tag)

    def body() -> Iterator[bytes]:
        yield head
        yield from chunks
        yield tail

    return httpx.post(f"{url}/uploads", content=body(), timeout=300, headers={
        "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Content-Length": str(length)})


def post(url: str, token: str, filename: str, data: bytes) -> httpx.Response:
    return httpx.post(f"{url}/uploads", files={"file": (filename, data, "text/csv")}, timeout=60,
                      headers={"Authorization": f"Bearer {token}"})


def get(url: str, token: str, path: str) -> Any:
    response = httpx.get(f"{url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def blob_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------------------------- memory
@pytest.mark.services
@pytest.mark.slow
def test_twelve_concurrent_49_mb_uploads_raise_the_apis_memory_by_under_150_mb(tmp_path: Path) -> None:
    """GIVEN the API with a broker (it only stores and sends ids) WHEN 12 members' 49 MB files arrive at once
    THEN all are accepted, every blob is the bytes sent, and the API's peak RSS (VmHWM) rose by < 150 MB."""
    redis = RedisServer(tmp_path)
    env = service_env(data_dir=str(tmp_path / "var"), broker_url=redis.url, queue_prefix="rss-",
                      max_upload_bytes=str(50 * MB))
    members = [f"m{n}" for n in range(12)]
    tokens = {m: cli(env, "token", "create", "--member", m) for m in members}
    api = ApiServer(env, tmp_path / "api.log")
    try:
        assert post(api.url, tokens["m0"], "warm.csv", GOOD_CSV).status_code == 202  # lazy imports done
        before = rss_kib(api.pid, "VmHWM")
        answers: dict[str, httpx.Response] = {}

        def send(member: str) -> None:
            answers[member] = post_streamed(api.url, tokens[member], f"{member}.csv", 49 * MB, member)

        threads = [threading.Thread(target=send, args=(m,)) for m in members]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        peak = rss_kib(api.pid, "VmHWM")
        rise_mb = (peak - before) / 1024
        print(f"\nAPI peak RSS before {before / 1024:.0f} MB, after 12 x 49 MB uploads {peak / 1024:.0f} MB: "
              f"rise {rise_mb:.0f} MB")
        assert set(answers) == set(members) and all(r.status_code == 202 for r in answers.values()), \
            {m: (r.status_code, r.text[:200]) for m, r in answers.items()}
        for member, response in answers.items():
            upload = response.json()
            assert upload["size"] == 49 * MB
            blob = tmp_path / "var" / "blobs" / upload["sha256"][:2] / upload["sha256"]
            assert blob.stat().st_size == 49 * MB
            digest = hashlib.sha256()
            head, chunks, tail, _ = form_parts("x", 49 * MB, member)
            for chunk in chunks:
                digest.update(chunk)
            assert digest.hexdigest() == upload["sha256"]
        assert not [p for p in (tmp_path / "var" / "blobs").iterdir() if p.name.startswith(".incoming-")]
        assert rise_mb < 150, api.logs()[-2000:]
    finally:
        api.stop(grace=2)  # the uploads' reading is not under test: no need to wait for it
        redis.stop()


# ---------------------------------------------------------------------------------------------- busy
@pytest.mark.slow
def test_past_the_bound_on_uploads_at_once_the_answer_is_503_busy_with_retry_after(tmp_path: Path) -> None:
    """GIVEN CPD_MAX_CONCURRENT_UPLOADS=1 and one upload still arriving WHEN a second upload is sent THEN it gets
    503 `busy` with Retry-After and nothing is stored for it; the first one then completes (202)."""
    env = service_env(data_dir=str(tmp_path / "var"), max_concurrent_uploads="1")
    token = cli(env, "token", "create", "--member", "alice")
    api = ApiServer(env, tmp_path / "api.log")
    try:
        head, chunks, tail, length = form_parts("slow.csv", 3 * MB, "slow")
        first_chunk = next(chunks)
        slow = socket.create_connection((HOST, api.port), timeout=60)
        slow.sendall((f"POST /uploads HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
                      f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n\r\n"
                      ).encode() + head + first_chunk)

        def second() -> httpx.Response | None:
            response = post(api.url, token, "other.csv", OTHER_CSV)
            return response if response.status_code == 503 else None

        busy = wait_for(second, 30, "a 503 while the first upload is still arriving", every=0.5)
        assert busy.json()["error"]["code"] == "busy" and int(busy.headers["Retry-After"]) > 0
        assert "send the file again" in busy.json()["error"]["message"]
        for chunk in chunks:
            slow.sendall(chunk)
        slow.sendall(tail)
        answer = slow.recv(65536).decode(errors="replace")
        slow.close()
        assert answer.startswith("HTTP/1.1 202"), answer[:500]
        listed = get(api.url, cli(env, "token", "create", "--admin"), "/admin/uploads")["items"]
        assert [u["filename"] for u in listed] == ["slow.csv"]
        assert post(api.url, token, "other.csv", OTHER_CSV).status_code == 202  # the slot is free again
    finally:
        api.stop(grace=2)  # the uploads' reading is not under test: no need to wait for it



def _until_closed(conn: socket.socket) -> str:
    """Everything the server sends on `conn` until it closes it (a 408 says Connection: close)."""
    data = b""
    try:
        while chunk := conn.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data.decode(errors="replace")


@pytest.mark.slow
def test_an_upload_whose_body_stalls_is_answered_408_and_gives_its_place_back(tmp_path: Path) -> None:
    """GIVEN CPD_MAX_CONCURRENT_UPLOADS=1 and CPD_BODY_IDLE_SECONDS=2 WHEN a client sends its headers and the first
    megabyte of a 3 MB file, then nothing THEN it is answered 408 `upload_stalled`, nothing is stored (no upload,
    no blob, no temporary file), and the one upload place is free again for the next client."""
    blobs = tmp_path / "var" / "blobs"
    env = service_env(data_dir=str(tmp_path / "var"), max_concurrent_uploads="1", body_idle_seconds="2")
    token = cli(env, "token", "create", "--member", "alice")
    api = ApiServer(env, tmp_path / "api.log")
    try:
        head, chunks, _tail, length = form_parts("stalled.csv", 3 * MB, "stalled")
        with socket.create_connection((HOST, api.port), timeout=30) as stalled:
            stalled.sendall((f"POST /uploads HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
                             f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}"
                             "\r\n\r\n").encode() + head + next(chunks))
            answer = _until_closed(stalled)   # nothing more is sent: the server answers, and closes
        assert answer.startswith("HTTP/1.1 408"), answer[:500]
        assert '"upload_stalled"' in answer and "send the file again" in answer
        admin = cli(env, "token", "create", "--admin")
        assert get(api.url, admin, "/admin/uploads")["items"] == []
        assert blob_files(blobs) == []
        assert post(api.url, token, "other.csv", OTHER_CSV).status_code == 202  # the place is free again
    finally:
        api.stop(grace=2)  # the uploads' reading is not under test: no need to wait for it

# ---------------------------------------------------------------------------------------------- read-only folder
@pytest.fixture()
def shared_base() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is root's alone), removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="cpd-storage-", dir="/tmp"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
def test_a_read_only_blob_folder_answers_503_storage_unavailable_and_loses_nothing(shared_base: Path,
                                                                                  tmp_path: Path) -> None:
    """GIVEN the API running as `nobody` and an upload stored WHEN the blob folder becomes read-only to it THEN a
    new upload gets 503 `storage_unavailable` with Retry-After and a message for the member, the log one
    line for the operator, nothing half-stored; the earlier upload stays done; once the folder is writable
    again the same file is accepted and read."""
    data, blobs = shared_base / "var", shared_base / "blobs"
    data.mkdir()
    blobs.mkdir()
    shutil.chown(data, "nobody", "nogroup")
    shutil.chown(blobs, "nobody", "nogroup")
    env = service_env(data_dir=str(data), blob_dir=str(blobs))
    alice = cli(env, "token", "create", "--member", "alice", user="nobody")
    admin = cli(env, "token", "create", "--admin", user="nobody")
    api = ApiServer(env, tmp_path / "api.log", user="nobody")
    try:
        first = post(api.url, alice, "first.csv", GOOD_CSV)
        assert first.status_code == 202, first.text
        wait_for(lambda: get(api.url, alice, f"/uploads/{first.json()['id']}")["state"] == "done", 60,
                 "the first upload done")
        shutil.chown(blobs, "root", "root")
        blobs.chmod(0o555)
        refused = post(api.url, alice, "other.csv", OTHER_CSV)
        assert refused.status_code == 503, refused.text
        error = refused.json()["error"]
        assert error["code"] == "storage_unavailable" and "send the same file again" in error["message"]
        assert int(refused.headers["Retry-After"]) > 0
        operator_lines = [line for line in api.logs().splitlines() if "storage_unavailable" in line]
        assert len(operator_lines) == 1 and str(blobs) in operator_lines[0], operator_lines
        assert [u["filename"] for u in get(api.url, admin, "/admin/uploads")["items"]] == ["first.csv"]
        assert get(api.url, alice, f"/uploads/{first.json()['id']}")["state"] == "done"
        assert len(get(api.url, alice, "/members/alice/activities")["items"]) == 2
        assert [p.name for p in blob_files(blobs)] == [first.json()["sha256"]]

        blobs.chmod(0o755)
        shutil.chown(blobs, "nobody", "nogroup")
        again = post(api.url, alice, "other.csv", OTHER_CSV)
        assert again.status_code == 202, again.text
        wait_for(lambda: get(api.url, alice, f"/uploads/{again.json()['id']}")["state"] == "done", 60,
                 "the upload sent again done")
        assert len(get(api.url, alice, "/members/alice/activities")["items"]) == 4
    finally:
        api.stop()


# ---------------------------------------------------------------------------------------------- full disk
@pytest.fixture()
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs mounted for the blob folder (the test runs as root, which may mount), unmounted after."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    assert done.returncode == 0, f"cannot mount a tmpfs here ({done.stderr.strip()}); run as root"
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_answers_503_storage_unavailable_and_keeps_the_blobs_it_has(
        tmp_path: Path, full_disk: Path, caplog: pytest.LogCaptureFixture) -> None:
    """GIVEN a blob folder on a 1 MB file system WHEN a 600 KB file fits and a second does not THEN the second
    gets 503 `storage_unavailable`, one ERROR line is logged, no temporary file is left, the first blob is
    intact, and a small file is still accepted."""
    runtime = open_runtime(make_settings(tmp_path / "var", blob_dir=full_disk, max_upload_bytes=4 * MB))
    with TestClient(create_app(runtime.settings, runtime=runtime, dispatcher=Recorder()),
                    raise_server_exceptions=False) as client:
        api = Api(client, runtime)
        big = b"Title,Completion Date,Hours\n" + b"A course on trusts and estates,15/05/2024,1\n" * 14_000
        first = api.call("POST", "/uploads", "alice", files={"file": ("one.csv", big, "text/csv")})
        assert first.status_code == 202, first.text
        with caplog.at_level(logging.ERROR, logger="ingest.api.app"):
            refused = api.call("POST", "/uploads", "alice", files={"file": ("two.csv", big + b"\n", "text/csv")})
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "storage_unavailable", refused.text
        assert refused.headers["Retry-After"]
        lines = [r for r in caplog.records if "storage_unavailable" in r.getMessage()]
        assert len(lines) == 1 and "No space left" in lines[0].getMessage(), [r.getMessage() for r in lines]
        assert [p.name for p in blob_files(full_disk)] == [first.json()["sha256"]]
        assert hashlib.sha256((full_disk / first.json()["sha256"][:2] / first.json()["sha256"]).read_bytes()
                              ).hexdigest() == first.json()["sha256"]
        listed = api.call("GET", "/admin/uploads", "admin").json()["items"]
        assert [u["filename"] for u in listed] == ["one.csv"]
        assert api.call("POST", "/uploads", "alice", files={"file": ("small.csv", OTHER_CSV, "text/csv")}
                        ).status_code == 202
    runtime.close()
    assert os.path.ismount(full_disk)
