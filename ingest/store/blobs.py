"""Uploaded bytes, stored by content (sha256) and never changed.

`LocalBlobs` keeps them in a folder, `ab/abcdef...` by hash; a folder shared by several machines (NFS,
SMB) works the same. A blob is written to a temporary file in the same folder, flushed, then renamed
with `os.replace`, which is atomic on one file system: a crash never leaves half a blob under its name.

The seam for other stores (S3-compatible object storage) is the `BlobStore` protocol: an implementation
needs `put`, `get`, `exists` and `delete`, and `open_blobs` picks one by the settings. Only the folder is built in.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from ..settings import Settings

__all__ = ["BlobStore", "LocalBlobs", "BlobMissing", "BlobCorrupt", "open_blobs"]


class BlobMissing(OSError):
    """The bytes of an upload are not in the store (a shared folder not mounted, a file deleted)."""


class BlobCorrupt(OSError):
    """The stored bytes no longer hash to their name (a copy still being written, a damaged disk)."""


class BlobStore(Protocol):
    """Where uploaded bytes are kept, by their sha256, and never changed."""

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their sha256."""

    def get(self, sha256: str) -> bytes:
        """The bytes of that sha256, checked against it (`BlobMissing`, `BlobCorrupt`)."""

    def exists(self, sha256: str) -> bool:
        """Whether the bytes of that sha256 are kept."""

    def delete(self, sha256: str) -> None:
        """Forget the bytes of that sha256 (only once no upload refers to them; nothing when absent)."""


class LocalBlobs:
    """A folder of blobs named by their sha256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the blob of that sha256 lives (ValueError for anything not a sha256 hex digest)."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"'{sha256}' is not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store the bytes (once: an existing blob is left as it is) and return their sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        final = self.path(sha256)
        if final.exists() and final.stat().st_size == len(data):
            return sha256
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        """The stored bytes, checked against their name: the one hash a worker makes of an upload."""
        path = self.path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise BlobMissing(f"The stored file {sha256} is not in the blob folder {self.root}. Check that the "
                              "folder is mounted on this machine (CPD_BLOB_DIR / CPD_DATA_DIR), then reprocess.") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobCorrupt(f"The stored file {path} no longer matches its hash; restore it from a backup "
                              "or ask the member to upload it again.")
        return data

    def exists(self, sha256: str) -> bool:
        """Whether the blob is in the folder."""
        return self.path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        """Remove the blob (no error when it is not there)."""
        self.path(sha256).unlink(missing_ok=True)


def open_blobs(settings: Settings) -> BlobStore:
    """The blob store the settings name (the local or shared folder CPD_BLOB_DIR, default DATA_DIR/blobs)."""
    return LocalBlobs(settings.blobs)
