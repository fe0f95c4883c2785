"""Forms: CPD records that give one small key/value table, or one labelled block, per activity.

Professional bodies publish their CPD records as forms ("Plan / Act / Reflect", "Plan / Do / Review /
Reflect", revalidation logs): often a development plan first (needs, planned actions, target dates: no
learning done yet), then one box per activity answering "What did you do?", "When?", "How long?", "What
did you learn?", "How will you apply it?". Members fill them in Word or print them to PDF, in their own
words ("half a day", "17-18 June").

`read_forms` takes from an extraction the tables laid out as forms (`pairs`) and the labelled blocks of
prose records (Word and PDF paragraphs: "Label: value" lines, layout `paragraph_blocks`), and leaves the
rest (tables of rows, JSON records) to the column mapper. Each form gives its activities (`records`);
plans and details boxes give none and no error; a details box may name the member. `form_activities`
then reads each activity with the same `Plan` as a table's row, so dates, statuses and figures are read
the one way.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractors.model import Extraction, RawRecord, Row, Table

from ..activity import Activity
from ..learner import learner_from_lines
from ..normalise import FileFacts, Plan
from .labels import label_field
from .pairs import Pair, answer, form_pairs, is_plan_table
from .records import FormRecord, form_record, learner_named, split_activities

__all__ = ["Forms", "FormRecord", "read_forms", "form_activities", "label_field"]

LAYOUT = "form"
BLOCKS = "paragraph_blocks"   # the extractors' layout for records read from labelled paragraphs


@dataclass(frozen=True, slots=True)
class Forms:
    """An extraction's forms read; `tables` and `records` are what is left for the column mapper."""

    found: tuple[FormRecord, ...]
    tables: tuple[Table, ...]
    records: tuple[RawRecord, ...]
    learner: str | None = None

    @property
    def raw(self) -> tuple[RawRecord, ...]:
        return tuple(f.record for f in self.found)


def read_forms(extraction: Extraction) -> Forms:
    """Forms among the extraction's tables, and its labelled blocks, as activity records."""
    found: list[FormRecord] = []
    rest: list[Table] = []
    learner: str | None = None
    for table in extraction.tables:
        if is_plan_table(table):
            continue      # learning to come: no activity, and nothing for the column mapper to misread
        pairs = form_pairs(table)
        if pairs is None:
            rest.append(table)
            continue
        learner = learner or learner_from_lines(table.context)   # "Name: ..." above, or in a details box
        for group in split_activities(pairs):
            record = form_record(group, group[0].location, _evidence(group))
            if record is not None:
                found.append(record)
            else:
                learner = learner or learner_named(group)
    records = extraction.records
    if extraction.layout == BLOCKS:
        found.extend(_blocks(records))
        records = ()
    return Forms(tuple(found), tuple(rest), records, learner)


def form_activities(forms: Sequence[FormRecord], facts: FileFacts) -> list[Activity]:
    """Each form record read as one row, with the warnings its reading raised."""
    facts = replace(facts, layout=LAYOUT if facts.layout != BLOCKS else BLOCKS)
    out: list[Activity] = []
    for form in forms:
        row = Row(form.record.location, tuple(form.record.fields.values()))
        for activity in Plan(list(form.columns), facts).build([row]):
            activity.warnings.extend(form.warnings)
            out.append(activity)
    return out


def _blocks(records: Sequence[RawRecord]) -> list[FormRecord]:
    """A labelled paragraph block is one activity's answers, labels as the extractor wrote them."""
    found = []
    for record in records:
        pairs = [answer(label, value, record.location) for label, value in record.fields.items()]
        read = form_record(pairs, record.location, record.evidence)
        if read is not None:
            found.append(read)
    return found


def _evidence(pairs: Sequence[Pair]) -> str:
    return "\n".join(f"{p.label} {p.value}" if p.label.endswith("?") else f"{p.label}: {p.value}" for p in pairs)
