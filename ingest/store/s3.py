"""Blobs in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...): CPD_BLOB_URL=s3://bucket/prefix.

Objects are named PREFIX/ab/abcdef... by sha256, like the folder's files, and never changed. The endpoint is
CPD_S3_ENDPOINT_URL (unset: AWS itself); credentials and region come the usual boto3 way (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, an instance role, ~/.aws). boto3 because it is the reference
client, speaks to every S3-compatible store, and its transfer manager sends a big file in parts with bounded
memory.

A writer spools the bytes to a local temporary file while hashing them (the object's name is their hash, so
it is known only at the end), then uploads that file in parts of 8 MB, two at a time (about 16 MB of memory
per upload at most), unless an object of that name and size is there already. Errors from the store (access
denied, no such bucket, the endpoint unreachable) are `StorageUnavailable`.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..settings import Settings
from .blobs import BlobCorrupt, BlobMissing, BlobWriter, StorageUnavailable, is_sha256, put_through, storage_error

__all__ = ["S3Blobs", "parse_blob_url"]

_PART = 8 * 1024 * 1024
_MISSING = {"404", "NoSuchKey", "NotFound"}


def parse_blob_url(url: str) -> tuple[str, str]:
    """(bucket, prefix) of s3://bucket/prefix (ValueError for anything else); the prefix ends with "/" or is
    empty."""
    parts = urlparse(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"CPD_BLOB_URL '{url}' is not s3://BUCKET[/PREFIX]; set it so, or unset it to keep the "
                         "blobs in the folder CPD_BLOB_DIR")
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


class _S3Writer:
    """A local temporary file, hashed as written; `commit` uploads it under its sha256."""

    def __init__(self, store: S3Blobs) -> None:
        self._store, self._hash, self._size = store, hashlib.sha256(), 0
        try:
            fd, name = tempfile.mkstemp(prefix="cpd-s3-", dir=store.spool)
        except OSError as exc:
            raise storage_error(exc, f"cannot spool an upload in {store.spool or tempfile.gettempdir()}") from exc
        self._tmp: Path | None = Path(name)
        self._file = os.fdopen(fd, "wb")

    @property
    def size(self) -> int:
        return self._size

    def write(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        self._size += len(chunk)
        try:
            self._file.write(chunk)
        except OSError as exc:
            self.abort()
            raise storage_error(exc, "cannot spool an upload before sending it to the object store") from exc

    def commit(self) -> str:
        sha256 = self._hash.hexdigest()
        try:
            self._file.close()
            if self._tmp is None:
                raise RuntimeError("this blob was committed or aborted already")
            if self._store.size_of(sha256) != self._size:
                self._store.upload(self._tmp, sha256)
        except OSError as exc:
            raise storage_error(exc, "cannot spool an upload before sending it to the object store") from exc
        finally:
            self.abort()
        return sha256

    def abort(self) -> None:
        if not self._file.closed:
            try:
                self._file.close()
            except OSError:
                pass
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None


class S3Blobs:
    """Blobs as objects PREFIX/ab/<sha256> in one bucket."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 spool: Path | None = None, client: Any = None) -> None:
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        self.bucket, self.prefix, self.spool = bucket, prefix, spool
        self.where = f"s3://{bucket}/{prefix}" + (f" at {endpoint_url}" if endpoint_url else "")
        self.client = client or boto3.client("s3", endpoint_url=endpoint_url, config=Config(
            retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=60))
        self._transfer = TransferConfig(multipart_threshold=_PART, multipart_chunksize=_PART, max_concurrency=2)

    def key(self, sha256: str) -> str:
        """The object's key for that sha256 (ValueError for anything not a sha256 hex digest)."""
        if not is_sha256(sha256):
            raise ValueError(f"'{sha256}' is not a sha256 hex digest")
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def _unavailable(self, exc: Exception, doing: str) -> StorageUnavailable:
        return StorageUnavailable(f"{doing} {self.where}: {exc.__class__.__name__}: {exc}")

    def size_of(self, sha256: str) -> int | None:
        """The stored object's size, or None when there is none."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return None
            raise self._unavailable(exc, "cannot look for an object in") from exc
        except BotoCoreError as exc:
            raise self._unavailable(exc, "cannot reach") from exc
        return int(head["ContentLength"])

    def upload(self, path: Path, sha256: str) -> None:
        """Send the file as the object of that sha256 (in parts, two at a time)."""
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.upload_file(str(path), self.bucket, self.key(sha256), Config=self._transfer)
        except (ClientError, BotoCoreError, S3UploadFailedError) as exc:
            raise self._unavailable(exc, "cannot store an upload in") from exc

    def writer(self) -> BlobWriter:
        """A writer spooling to a local temporary file, sent to the store on `commit`."""
        return _S3Writer(self)

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their sha256."""
        return put_through(self, data)

    def get(self, sha256: str) -> bytes:
        """The stored bytes, checked against their name."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            data: bytes = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"].read()
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise BlobMissing(f"The stored file {sha256} is not in {self.where}. Check CPD_BLOB_URL and "
                                  "CPD_S3_ENDPOINT_URL name the store the API writes to, then reprocess.") from exc
            raise self._unavailable(exc, "cannot read from") from exc
        except BotoCoreError as exc:
            raise self._unavailable(exc, "cannot reach") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobCorrupt(f"The stored object {self.key(sha256)} in {self.where} no longer matches its hash; "
                              "restore it from a backup or ask the member to upload it again.")
        return data

    def exists(self, sha256: str) -> bool:
        """Whether the object is in the store."""
        return self.size_of(sha256) is not None

    def delete(self, sha256: str) -> None:
        """Remove the object (S3's DeleteObject answers success when there is none)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))
        except (ClientError, BotoCoreError) as exc:
            raise self._unavailable(exc, "cannot delete an object in") from exc


def open_s3(settings: Settings) -> S3Blobs:
    """The store CPD_BLOB_URL names, at CPD_S3_ENDPOINT_URL."""
    bucket, prefix = parse_blob_url(settings.blob_url or "")
    return S3Blobs(bucket, prefix, endpoint_url=settings.s3_endpoint_url)
