"""Text outside tables: labelled paragraph blocks, title blocks kept as context, certificate lines.

Members who keep their CPD record in prose write one block per activity, the same labels each time:

    Activity: Trusts and the Finance Act 2025
    Date: 12 March 2025
    Hours: 1.5
    Reflection: ...            (a reflection may run on over further unlabelled paragraphs)

Every record begins with the same label: the first label that recurs in the document (or, for a
single record, its title label). Labelled lines before the first record are a title block ("Name:
..."), kept as context. Unlabelled lines continue the last field until a blank paragraph or heading;
a table ends the record. Labels found once, after the last record's pattern, are a declaration or
signature line and are dropped.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ..model import CellValue, Location, RawRecord
from ._body import Grid, Para

__all__ = ["Block", "activity_blocks", "blocks_in_lines", "to_record", "context_lines", "split_line"]

MAX_LABEL_WORDS = 6
MAX_QUESTION_WORDS = 14     # "How will you apply what you learned to your work with clients?" has 12
_LABEL = re.compile(r"^\s*([^\W\d_][^:：\n]{0,48}?)\s*[:：]\s*(.*)$", re.DOTALL)
_SPLIT = re.compile(r"\t+|\s{3,}")

# Labels whose meaning is certain get the contract's field name; every other label is kept as
# written for the mapper's fuzzy vocabulary ("Date", "Hours", "Structured?" stay as they are).
_CERTAIN = {
    "title": ("activity", "activity title", "title", "course", "course title", "course name", "event",
              "event title", "learning activity", "training", "training title", "name of activity"),
    "provider": ("provider", "training provider", "organiser", "organizer", "delivered by", "provided by"),
    "reflection": ("reflection", "reflections", "learning outcome", "learning outcomes", "what i learned",
                   "what i learnt", "what did i learn", "reflection learning outcome", "reflection and learning"),
    "description": ("description", "topics covered", "content"),
    "started_on": ("start date", "date started", "started"),
    "completed_on": ("completion date", "date completed", "date of completion", "completed on"),
    "cpd_hours": ("cpd hours", "cpd hours claimed", "hours claimed"),
    "duration": ("duration", "time spent"),
    "activity_type": ("activity type", "type of activity", "type"),
    "reference": ("certificate number", "certificate no", "reference", "course code"),
    "status": ("status",),
}
_FIELD_BY_LABEL = {label: name for name, labels in _CERTAIN.items() for label in labels}


def fold(text: str) -> str:
    """'Learning outcome(s)?' -> 'learning outcome s'; accents and punctuation gone."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def field_name(label: str) -> str:
    """The contract's name for a label whose meaning is certain, else the label as written."""
    return _FIELD_BY_LABEL.get(fold(label), label)


@dataclass(slots=True)
class Block:
    paragraph: int
    line: int
    labels: dict[str, str] = field(default_factory=dict)     # folded label -> label as written
    values: dict[str, list[str]] = field(default_factory=dict)
    last: str | None = None                                   # the label unlabelled lines continue

    def add(self, label: str, value: str) -> None:
        key = fold(label)
        self.labels.setdefault(key, label.strip())
        self.values.setdefault(key, []).extend([value.strip()] if value.strip() else [])
        self.last = key

    def text(self) -> str:
        return "\n".join(f"{self.labels[k]}: {' '.join(v)}" for k, v in self.values.items())


@dataclass(frozen=True, slots=True)
class _Line:
    paragraph: int
    number: int
    kind: str                     # "label", "text", "blank", "heading", "table"
    label: str = ""
    value: str = ""


def _label(line: str) -> tuple[str, str] | None:
    match = _LABEL.match(line)
    if match is None:
        return _question(line)
    label, value = match.group(1), match.group(2)
    if len(label.split()) > MAX_LABEL_WORDS or value.startswith("//"):
        return None
    return label, value


def _question(line: str) -> tuple[str, str] | None:
    """A form's question alone on its line ("What did you learn?"): a label whose answer follows."""
    text = line.strip()
    if not text.endswith(("?", "？")) or len(text.split()) > MAX_QUESTION_WORDS or not text[0].isalpha():
        return None
    return text, ""


def _lines(items: Iterable[Para | Grid]) -> Iterator[_Line]:
    for item in items:
        if isinstance(item, Grid):
            yield _Line(0, 0, "table")
        elif _is_heading(item.style):
            yield _Line(item.index, 1, "heading")
        elif not item.text.strip():
            yield _Line(item.index, 1, "blank")
        else:
            for number, line in enumerate(item.text.split("\n"), start=1):
                labelled = _label(line) if line.strip() else None
                if labelled is not None:
                    yield _Line(item.index, number, "label", *labelled)
                elif line.strip():
                    yield _Line(item.index, number, "text", value=line.strip())


def _start_label(lines: Sequence[_Line]) -> str | None:
    """The label each record begins with: the first label that recurs, else the first title label."""
    keys = [fold(line.label) for line in lines if line.kind == "label"]
    counts = Counter(keys)
    return next((k for k in keys if counts[k] >= 2), None) or next(
        (k for k in keys if _FIELD_BY_LABEL.get(k) == "title"), None)


def activity_blocks(items: Sequence[Para | Grid]) -> list[Block]:
    """Labelled activity records: each begins at the start label; lines before the first are a title block."""
    return _find_blocks(list(_lines(items)))


def blocks_in_lines(lines: Sequence[tuple[int, int, str | None]]) -> list[Block]:
    """The same records in plain text lines, as a PDF page gives them: (page, line number, text), a text of
    None standing for a gap between paragraphs. A block's `paragraph` is then its page."""
    found: list[_Line] = []
    for page, number, text in lines:
        labelled = _label(text) if text else None
        if labelled is not None:
            found.append(_Line(page, number, "label", *labelled))
        elif text and text.strip():
            found.append(_Line(page, number, "text", value=text.strip()))
        else:
            found.append(_Line(page, number, "blank"))
    return _find_blocks(found)


def _find_blocks(lines: Sequence[_Line]) -> list[Block]:
    start = _start_label(lines)
    if start is None:
        return []
    blocks: list[Block] = []
    current: Block | None = None
    recurring = {k for k, n in Counter(fold(x.label) for x in lines if x.kind == "label").items() if n >= 2}
    for line in lines:
        if line.kind == "table":
            current = None
        elif line.kind == "label" and current is not None and _awaits_answer(current) and (
                fold(line.label) not in recurring):
            # The answer to a question, with a colon of its own ("Safeguarding adults: annual refresher").
            current.values[str(current.last)].append(f"{line.label}: {line.value}".strip())
        elif line.kind in ("heading", "blank"):
            if current is not None and (current.last is None or current.values[current.last]):
                current.last = None     # a question still unanswered waits for its answer
        elif line.kind == "text":
            if current is not None and current.last is not None:
                current.values[current.last].append(line.value)
        elif fold(line.label) == start:
            current = Block(line.paragraph, line.number)
            blocks.append(current)
            current.add(line.label, line.value)
        elif current is not None:
            current.add(line.label, line.value)
    blocks = [b for b in blocks if len(b.labels) >= 2]
    seen = Counter(k for b in blocks for k in b.labels)
    if len(blocks) >= 2 and sum(1 for n in seen.values() if n >= 2) >= 2:
        _trim_last(blocks[-1], seen)
        return blocks
    # No repeated pattern of two or more labels ("Date: ..." at the top and again by the signature):
    # only a block that names its activity is a record.
    return [b for b in blocks if any(_FIELD_BY_LABEL.get(k) == "title" for k in b.labels)]


def _awaits_answer(block: Block) -> bool:
    last = block.last
    return last is not None and not block.values[last] and block.labels[last].endswith(("?", "？"))


def _trim_last(last: Block, seen: Counter[str]) -> None:
    """A declaration or signature line after the last record is not part of it."""
    keys = list(last.labels)
    while keys and seen[keys[-1]] < 2:
        key = keys.pop()
        del last.labels[key]
        del last.values[key]


def to_record(block: Block, location: Location | None = None) -> RawRecord:
    """The block as a record, located at its first paragraph (or where the caller says: a PDF's page and line)."""
    fields: dict[str, CellValue] = {}
    for key, label in block.labels.items():
        name = field_name(label)
        value = "\n".join(block.values[key]) if name in ("reflection", "description") else " ".join(block.values[key])
        if name not in fields or not fields[name]:
            fields[name] = value
    if location is None:
        location = Location(paragraph=block.paragraph, line=block.line if block.line > 1 else None)
    return RawRecord(location=location, fields=fields, evidence=block.text())


def split_line(text: str) -> list[str]:
    """A paragraph's lines, with 'Member: X      Firm: Y' split where the author spaced or tabbed."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(part.strip() for part in _SPLIT.split(line) if part.strip())
    return out


def context_lines(item: Para | Grid) -> list[str]:
    """What a paragraph or a small label/value table contributes to the text around a later table."""
    if isinstance(item, Para):
        return split_line(item.text)
    lines = []
    for _, cells in item.rows:
        filled = list(dict.fromkeys(c for c in cells if c.strip()))
        if len(filled) == 2:
            lines.append(f"{filled[0]}: {filled[1]}")
        elif len(filled) == 1:
            lines.append(filled[0])
    return lines


def _is_heading(style: str) -> bool:
    name = style.casefold()
    return name.startswith("heading") or name in ("title", "subtitle")
