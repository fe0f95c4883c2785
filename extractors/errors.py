"""Errors an extractor raises for a file it cannot read; the caller turns them into the contract's error object.

    IngestError(code, message)
    ├── UnsupportedFormat      no extractor knows these bytes            code "unsupported_format"
    └── UnreadableFile         corrupt, encrypted, over a limit, hostile code given by the raiser
                               ("corrupt", "encrypted", "too_large", "zip_bomb", "xml_entities",
                                "no_text_layer", "timeout", "too_deep", ...)

Every message says what happened and what the person can do about it.
"""
from __future__ import annotations

from .model import Location

__all__ = ["IngestError", "UnsupportedFormat", "UnreadableFile"]


class IngestError(Exception):
    code = "ingest_error"

    def __init__(self, code: str, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.location = location


class UnsupportedFormat(IngestError):
    def __init__(self, message: str) -> None:
        super().__init__("unsupported_format", message)


class UnreadableFile(IngestError):
    pass
