"""Length-preserving text preparation, and the way back from prepared offsets to the words as written.

Matching sees hyphens, slashes, dashes, brackets and French elisions (l', d', qu') as spaces and
curly quotes as straight ones, with runs of white space made one; `Source` maps offsets in that
prepared text back onto the original, so explanations quote members' own words.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Source", "prepare", "spaced", "fold"]

_ELISION = re.compile(r"(?<![^\W\d_])(?:[ldjmnst]|qu)'(?=\w)", re.IGNORECASE)
_SPACING = str.maketrans({**{ch: " " for ch in "-\u2010\u2011\u2012\u2013\u2014\u2015/\\_|()[]{}"},
                          **{ch: "'" for ch in "\u2019\u2018`\u00b4"}})
_RUNS = re.compile(r"\s{2,}")


def fold(text: str) -> str:
    """Lower case without accents (ß -> ss), for comparing words across spelling conventions."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Source:
    """The text as written, and how to map offsets of its prepared form back onto it."""

    text: str
    shifts: tuple[tuple[int, int], ...]

    def surface(self, start: int, end: int) -> str:
        if not self.shifts:          # nothing was removed: offsets are the text's own
            return self.text[start:end]
        return self.text[self._original(start):self._original(end - 1) + 1]

    def _original(self, index: int) -> int:
        """The offset in the text as written: the prepared offset plus what the last run before it removed (a
        title has a run or two, so a scan beats bisecting)."""
        removed = 0
        for first, total in self.shifts:
            if first > index:
                break
            removed = total
        return index + removed


def prepare(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The text spaced (see `spaced`) with runs of white space made one, and the offset shifts that
    map it back: (first prepared index after a run, characters removed so far)."""
    out = spaced(text)
    if not _RUNS.search(out):
        return out, ()
    pieces: list[str] = []
    shifts: list[tuple[int, int]] = []
    removed = last = 0
    for run in _RUNS.finditer(out):
        pieces.append(out[last:run.start() + 1])
        removed += len(run.group(0)) - 1
        shifts.append((run.end() - removed, removed))
        last = run.end()
    pieces.append(out[last:])
    return "".join(pieces), tuple(shifts)


def spaced(text: str) -> str:
    """Hyphens, slashes, dashes and elisions as spaces; curly quotes straight (same length, same offsets)."""
    text = text.translate(_SPACING)
    return _ELISION.sub(lambda m: " " * len(m.group(0)), text) if "'" in text else text
