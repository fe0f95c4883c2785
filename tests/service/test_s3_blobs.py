"""Originals in an S3-compatible object store (issue 17, item 4), against moto's S3 server started here as a
subprocess on a free loopback port (a real HTTP server speaking S3; the client is never mocked).

GIVEN CPD_BLOB_URL=s3://bucket/prefix and CPD_S3_ENDPOINT_URL WHEN files are stored and read THEN the objects
are prefix/ab/<sha256>, the same bytes are stored once, missing and altered objects say so, a store that
refuses (no such bucket) is StorageUnavailable (503 for the API), and an upload through the API is read by
the work from the store with nothing written to the local blob folder."""
from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.api import create_app
from ingest.store import BlobCorrupt, BlobMissing, S3Blobs, StorageUnavailable, UploadRow, create_token
from ingest.work.runtime import open_runtime

from .conftest import GOOD_CSV, make_settings

BUCKET = "cpd-originals"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto's S3 server on 127.0.0.1, stopped by its PID afterwards."""
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(autouse=True)
def _aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def store(s3_endpoint: str) -> S3Blobs:
    blobs = S3Blobs(BUCKET, f"run-{os.urandom(4).hex()}/", endpoint_url=s3_endpoint)
    try:
        blobs.client.create_bucket(Bucket=BUCKET)
    except blobs.client.exceptions.BucketAlreadyOwnedByYou:
        pass
    return blobs


def _keys(store: S3Blobs) -> list[str]:
    listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=store.prefix)
    return sorted(o["Key"] for o in listed.get("Contents", []))


def test_bytes_are_stored_once_by_sha256_and_read_back_checked(store: S3Blobs) -> None:
    data = GOOD_CSV * 40_000  # about 10 MB: sent in parts
    sha = hashlib.sha256(data).hexdigest()
    assert store.put(data) == sha and store.put(data) == sha
    assert _keys(store) == [f"{store.prefix}{sha[:2]}/{sha}"]
    assert store.exists(sha) and store.get(sha) == data
    writer = store.writer()
    for start in range(0, len(b"streamed bytes" * 1000), 1000):
        writer.write((b"streamed bytes" * 1000)[start:start + 1000])
    other = writer.commit()
    assert other == hashlib.sha256(b"streamed bytes" * 1000).hexdigest() and store.get(other) == b"streamed bytes" * 1000
    aborted = store.writer()
    aborted.write(b"never committed")
    aborted.abort()
    assert len(_keys(store)) == 2
    store.delete(other)  # a withdrawn upload's bytes, once no upload refers to them
    store.delete(other)  # and again: nothing there, no error
    assert not store.exists(other) and _keys(store) == [f"{store.prefix}{sha[:2]}/{sha}"]


def test_missing_and_altered_objects_say_so(store: S3Blobs) -> None:
    with pytest.raises(BlobMissing, match="CPD_BLOB_URL"):
        store.get("0" * 64)
    assert not store.exists("0" * 64)
    sha = store.put(b"original")
    store.client.put_object(Bucket=store.bucket, Key=store.key(sha), Body=b"changed")
    with pytest.raises(BlobCorrupt):
        store.get(sha)


def test_a_store_that_refuses_is_storage_unavailable(s3_endpoint: str) -> None:
    gone = S3Blobs("no-such-bucket", "", endpoint_url=s3_endpoint)
    with pytest.raises(StorageUnavailable) as refused:
        gone.put(b"bytes")
    assert "no-such-bucket" in refused.value.detail and "send the same file again" in str(refused.value)
    away = S3Blobs(BUCKET, "", endpoint_url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(StorageUnavailable):
        away.put(b"bytes")


def _api(tmp_path: Path, endpoint: str, prefix: str, **overrides: Any) -> tuple[TestClient, Any]:
    settings = make_settings(tmp_path, blob_url=f"s3://{BUCKET}/{prefix}", s3_endpoint_url=endpoint, **overrides)
    runtime = open_runtime(settings)
    return TestClient(create_app(settings, runtime=runtime, dispatcher="inline")), runtime


def test_an_upload_through_the_api_is_kept_in_the_store_and_read_from_it(tmp_path: Path, store: S3Blobs) -> None:
    """Two API processes' worth of runtimes on one database and one bucket: an upload through the first is read
    (inline) from the store, the second sees the same upload and bytes, and the local blob folder stays empty."""
    client, runtime = _api(tmp_path, store.client.meta.endpoint_url, store.prefix.rstrip("/"))
    with runtime.sessions() as s, s.begin():
        token = create_token(s, "member", "alice")
    with client:
        answer = client.post("/uploads", files={"file": ("a.csv", GOOD_CSV, "text/csv")},
                             headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 202, answer.text
        upload = client.get(f"/uploads/{answer.json()['id']}", headers={"Authorization": f"Bearer {token}"}).json()
    assert (upload["state"], upload["activity_count"]) == ("done", 5), upload
    sha = hashlib.sha256(GOOD_CSV).hexdigest()
    assert _keys(store) == [f"{store.prefix}{sha[:2]}/{sha}"]
    assert not (tmp_path / "var" / "blobs").exists() or not any((tmp_path / "var" / "blobs").rglob("*"))
    second = open_runtime(runtime.settings)  # another machine with the same settings
    assert second.blobs.get(sha) == GOOD_CSV
    second.close()
    runtime.close()


def test_the_api_answers_503_when_the_bucket_is_missing(tmp_path: Path, s3_endpoint: str) -> None:
    settings = make_settings(tmp_path, blob_url="s3://no-such-bucket/x", s3_endpoint_url=s3_endpoint)
    runtime = open_runtime(settings)
    with runtime.sessions() as s, s.begin():
        token = create_token(s, "member", "alice")
    with TestClient(create_app(settings, runtime=runtime, dispatcher="inline")) as client:
        answer = client.post("/uploads", files={"file": ("a.csv", GOOD_CSV, "text/csv")},
                             headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 503 and answer.json()["error"]["code"] == "storage_unavailable"
    with runtime.sessions() as s:
        assert s.query(UploadRow).count() == 0  # blob first: no row refers to bytes that were not stored
    runtime.close()
