"""Uploaded bytes, stored by content (sha256) and never changed.

`LocalBlobs` keeps them in a folder, `ab/abcdef...` by hash; a folder shared by several machines (NFS,
SMB) works the same. Bytes arrive through a `BlobWriter`: written to a temporary file in the blob folder
while they are hashed (one pass, a chunk at a time, so a 50 MB upload never sits whole in memory), flushed,
then renamed with `os.replace`, which is atomic on one file system: a crash never leaves half a blob under
its name. `S3Blobs` (ingest/store/s3.py) keeps them in an S3-compatible object store, chosen by
CPD_BLOB_URL=s3://bucket/prefix; `open_blobs` (ingest/store/choose.py) picks one by the settings.

The store cannot take bytes (permission refused, disk or quota full, a read-only mount, the object store
away): `StorageUnavailable`, whose message is for the member (try again later) and whose `detail` is for the
operator (what failed where). Nothing is stored in part.
"""
from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

__all__ = ["BlobStore", "BlobWriter", "LocalBlobs", "BlobMissing", "BlobCorrupt", "StorageUnavailable",
           "is_sha256", "put_through", "storage_error"]

# OSError numbers that mean "the store cannot take bytes now", not a bug: permission, space, quota,
# a read-only or vanished mount, an I/O error of the disk.
_STORAGE_ERRNOS = {errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.ENOENT,
                   errno.ESTALE, errno.ENOTDIR}
MEMBER_MESSAGE = ("The service cannot store files just now, so this upload was not kept. Nothing of yours was "
                  "lost: send the same file again in a few minutes. If this goes on, tell an administrator.")


class BlobMissing(OSError):
    """The bytes of an upload are not in the store (a shared folder not mounted, a file deleted)."""


class BlobCorrupt(OSError):
    """The stored bytes no longer hash to their name (a copy still being written, a damaged disk)."""


class StorageUnavailable(OSError):
    """The store cannot take bytes now; `str()` is for the member, `detail` for the operator's log."""

    def __init__(self, detail: str) -> None:
        super().__init__(MEMBER_MESSAGE)
        self.detail = detail


def is_sha256(value: str) -> bool:
    """Whether `value` is a lowercase sha256 hex digest (the only names blobs have)."""
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


class BlobWriter(Protocol):
    """Bytes on their way into the store: `write` chunks, then `commit` (or `abort`, which leaves nothing)."""

    @property
    def size(self) -> int:
        """Bytes written so far."""

    def write(self, chunk: bytes) -> None:
        """Add a chunk (hashed as it is written); `StorageUnavailable` when the store cannot take it."""

    def commit(self) -> str:
        """Put the bytes under their sha256 (once: a blob already there is kept) and return it."""

    def abort(self) -> None:
        """Drop what was written; safe to call twice and after `commit`."""


class BlobStore(Protocol):
    """Where uploaded bytes are kept, by their sha256, and never changed."""

    def writer(self) -> BlobWriter:
        """A writer for new bytes (streamed: memory does not grow with the file)."""

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their sha256."""

    def get(self, sha256: str) -> bytes:
        """The bytes of that sha256, checked against it (`BlobMissing`, `BlobCorrupt`)."""

    def exists(self, sha256: str) -> bool:
        """Whether the bytes of that sha256 are kept."""

    def delete(self, sha256: str) -> None:
        """Forget the bytes of that sha256 (only once no upload refers to them; nothing when absent)."""


def storage_error(exc: OSError, doing: str) -> OSError:
    """`exc` as `StorageUnavailable` when it means the store cannot take bytes now, else `exc` itself."""
    if exc.errno in _STORAGE_ERRNOS or isinstance(exc, PermissionError):
        return StorageUnavailable(f"{doing}: {exc.strerror or exc} [errno {exc.errno}]"
                                  + (f" ({exc.filename})" if exc.filename else ""))
    return exc


class _LocalWriter:
    """A temporary file in the blob folder, hashed as it is written, renamed into place by `commit`."""

    def __init__(self, store: LocalBlobs) -> None:
        self._store, self._hash, self._size = store, hashlib.sha256(), 0
        try:
            store.root.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".incoming-", dir=store.root)
        except OSError as exc:
            raise storage_error(exc, f"cannot create a file in the blob folder {store.root}") from exc
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
            raise storage_error(exc, f"cannot write to the blob folder {self._store.root}") from exc

    def commit(self) -> str:
        sha256 = self._hash.hexdigest()
        final = self._store.path(sha256)
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            if final.is_file() and final.stat().st_size == self._size:
                self.abort()  # the same bytes are kept already
                return sha256
            final.parent.mkdir(parents=True, exist_ok=True)
            if self._tmp is None:
                raise RuntimeError("this blob was committed or aborted already")
            os.replace(self._tmp, final)
            self._tmp = None
        except OSError as exc:
            self.abort()
            raise storage_error(exc, f"cannot store {sha256} in the blob folder {self._store.root}") from exc
        return sha256

    def abort(self) -> None:
        if not self._file.closed:
            try:
                self._file.close()
            except OSError:
                pass  # a full disk may refuse the last flush; the file goes anyway
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None


class LocalBlobs:
    """A folder of blobs named by their sha256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the blob of that sha256 lives (ValueError for anything not a sha256 hex digest)."""
        if not is_sha256(sha256):
            raise ValueError(f"'{sha256}' is not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def writer(self) -> BlobWriter:
        """A temporary file in the folder (`StorageUnavailable` when the folder takes no new file)."""
        return _LocalWriter(self)

    def put(self, data: bytes) -> str:
        """Store the bytes (once: an existing blob is left as it is) and return their sha256."""
        return put_through(self, data)

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


def put_through(store: BlobStore, data: bytes, chunk: int = 1 << 20) -> str:
    """`put` by way of the store's writer: the bytes written a chunk at a time, then committed."""
    writer = store.writer()
    try:
        for start in range(0, len(data), chunk):
            writer.write(data[start:start + chunk])
        return writer.commit()
    except BaseException:
        writer.abort()
        raise
