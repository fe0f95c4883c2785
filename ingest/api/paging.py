"""Opaque keyset cursors: a page's `next` is the last row's id, so pages never skip or repeat rows
when new ones arrive meanwhile."""
from __future__ import annotations

import base64
import binascii

__all__ = ["encode_cursor", "decode_cursor", "BadCursor"]


class BadCursor(ValueError):
    """A cursor this service did not give (the API answers 400 bad_cursor)."""


def encode_cursor(last_id: int) -> str:
    """The `next` of a page whose last row has id `last_id`."""
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The id after which the page starts (0: the first page); `BadCursor` for anything we did not make."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind == "after" and value.isdigit():
            return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise BadCursor("The cursor is not one this service gave; pass a page's 'next' value back unchanged, "
                    "or leave it out for the first page.")
