"""Data derived from the knowledge base, kept on disk between processes, keyed by a hash of what made it.

    key = source_key([files...], [versions...])
    data = load("analyser", key)            # None: not there, unreadable or damaged
    store("analyser", key, data)            # best effort: a folder that cannot be written is left alone

The data is plain (dicts, lists, tuples, str, int, float, bool) and written with `marshal`: loading the
analyser's ~1 MB takes 5 ms where building it takes ~0.5 CPU s (tokenising ~5,700 phrases, loading the lemma
table). A file is named by its key, a hash of the source files' bytes (the data files and the code that
reads them) and of the library and Python versions, so a change to any of them is a new file and never a
stale answer. Files are written to a temporary name and renamed into place, so a reader never sees half a
file; one that still fails to load is treated as absent (and rebuilt).

The folder: CPD_CACHE_DIR, else $XDG_CACHE_HOME/cpd-evidence, else ~/.cache/cpd-evidence. Read here, not
through ingest's settings: it is where derived data lives, not a reading choice, and `extract` reads no
settings. Where it cannot be created or written (a read-only home, a locked-down container), everything is
built in memory as before; nothing fails. Only this user's own folder is read: marshal trusts its input.
"""
from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["cache_dir", "source_key", "load", "store"]

FORMAT = 1      # bumped when the layout of what is stored changes in a way the sources do not show


def cache_dir() -> Path:
    """Where derived data is kept (see the module's docstring)."""
    explicit = os.environ.get("CPD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cpd-evidence"


def source_key(files: Iterable[Path], versions: Iterable[str]) -> str:
    """A hash of the files' bytes, the versions given, Python's and marshal's, and FORMAT."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|{marshal.version}".encode())
    for version in versions:
        digest.update(b"|" + version.encode())
    for path in files:
        digest.update(b"|" + path.read_bytes())
    return digest.hexdigest()[:32]


def load(name: str, key: str) -> object | None:
    """What `store` kept under this name and key, or None (absent, unreadable or damaged)."""
    try:
        data = (cache_dir() / f"{name}-{key}.marshal").read_bytes()
        return marshal.loads(data)  # type: ignore[no-any-return]
    except (OSError, ValueError, EOFError, TypeError):
        return None


def store(name: str, key: str, value: object) -> bool:
    """Keep `value` under this name and key; False (and nothing written) where the folder cannot take it."""
    folder = cache_dir()
    try:
        data = marshal.dumps(value)  # type: ignore[arg-type]  # plain data, checked by marshal itself
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, folder / f"{name}-{key}.marshal")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, ValueError):
        return False
    for old in folder.glob(f"{name}-*.marshal"):     # those of older sources: never read again
        if old.name != f"{name}-{key}.marshal":
            with contextlib.suppress(OSError):
                old.unlink()
    return True
