"""Certificates and attendance records written as prose, read with spaCy rule-based matching.

    "This is to certify that / Jane Smith / attended the live webinar / Ethics in practice: conflicts
     of interest / presented by Kingsley Law Training on 12 March 2025. / This activity qualifies for
     1.5 CPD hours. / Certificate number: KLT-2025-03817 / Date of issue: 14 March 2025"

The text is one spaCy `Doc` (lines joined by newlines; a blank English pipeline, no model). An
`EntityRuler` marks dates and quantities (`DATE`, `QTY`); a `Matcher` finds the cue phrases
(certify that, attended, presented by, date of issue, certificate number, CPD hours...). Each field
is then read next to its cue, within its line: the learner after "certify that" (or on the next
line), the title after "attended the <type>" (or on the next line), the provider after "presented
by" or before "certifies that", the activity date as the first date after the attendance verb that
no "date of issue" cue claims. Values are the text as found; the mappers parse them.

A text is a certificate only when it says someone attended or completed something (past tense,
not "will attend" or "plan to complete") and it is presented as a certificate or attestation;
a CPD plan is not one.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractors.model import RawRecord, TextBlock

__all__ = ["read_certificate", "read_certificates"]

# A heading line ("Certificate of Attendance") is at most this many tokens long.
MAX_HEADING_TOKENS = 8
# A certificate fits on a page: longer text (a report, minutes) is not read as one.
MAX_CERTIFICATE_CHARS = 4_000
# Cheap pre-filter: without one of these the text is not read with spaCy at all.
_CUE_STEMS = ("certif", "attest", "attended", "completed", "confirm", "participated", "suivi")

MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre"
).split()
ACTIVITY_NOUNS = (
    "webinar webinars conference seminar workshop course e-learning elearning masterclass lecture training "
    "session programme program event module meeting briefing symposium forum talk tutorial assessment "
    "examination exam qualification colloque webinaire séminaire atelier formation"
).split()
TIME_UNITS = "hours hour hrs hr h minutes minute mins min".split()
CREDIT_UNITS = "hours hour hrs hr points point units unit credits credit".split()
# The attendance verbs; "has been completed" and "will attend" are ruled out by _NEGATORS.
ATTEND_VERBS = "attended completed participated undertook finished passed suivi participé".split()
_NEGATORS = {"will", "to", "plan", "planned", "intend", "intends", "been", "not", "yet", "shall", "must", "should"}

_DAY = {"TEXT": {"REGEX": r"^\d{1,2}(st|nd|rd|th|er)?$"}}
_DAY_RANGE = {"TEXT": {"REGEX": r"^\d{1,2}(st|nd|rd|th|er)?[–—-]\d{1,2}(st|nd|rd|th)?$"}}
_MONTH = {"LOWER": {"IN": MONTHS}}
_YEAR = {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}
_DASH = {"TEXT": {"IN": ["-", "–", "—", "to", "and", "au", "et"]}}
_NUM = {"TEXT": {"REGEX": r"^\d+([.,]\d+)?$"}}

_ENTITY_PATTERNS: list[dict[str, Any]] = [
    {"label": "DATE", "pattern": [_DAY, {"LOWER": "of", "OP": "?"}, _MONTH, {"TEXT": ",", "OP": "?"}, _YEAR]},
    {"label": "DATE", "pattern": [_DAY_RANGE, _MONTH, _YEAR]},
    {"label": "DATE", "pattern": [_DAY, _DASH, _DAY, _MONTH, _YEAR]},
    {"label": "DATE", "pattern": [_DAY, _MONTH, _DASH, _DAY, _MONTH, _YEAR]},
    {"label": "DATE", "pattern": [_MONTH, _DAY, {"TEXT": ",", "OP": "?"}, _YEAR]},
    {"label": "DATE", "pattern": [{"TEXT": {"REGEX": r"^\d{1,2}([–-]\d{1,2})?[/.]\d{1,2}[/.](\d\d)?\d\d$"}}]},
    {"label": "DATE", "pattern": [_YEAR, {"TEXT": "-"}, {"TEXT": {"REGEX": r"^\d\d$"}}, {"TEXT": "-"},
                                  {"TEXT": {"REGEX": r"^\d\d$"}}]},
    {"label": "QTY", "pattern": [_NUM, {"TEXT": "-", "OP": "?"}, {"LOWER": {"IN": TIME_UNITS}},
                                 {"TEXT": {"REGEX": r"^\d+$"}, "OP": "?"},
                                 {"LOWER": {"IN": TIME_UNITS}, "OP": "?"}]},
    {"label": "QTY", "pattern": [{"LOWER": {"REGEX": r"^\d+h\d*$"}}]},
]

_CUE_PATTERNS: dict[str, list[list[dict[str, Any]]]] = {
    "CERTIFY": [
        [{"LOWER": {"IN": ["certify", "certifies", "certified", "confirm", "confirms", "attests", "attest",
                           "certifie", "atteste"]}},
         {"LOWER": {"IN": ["that", "que", "qu'"]}}],
        [{"LOWER": {"IN": ["awarded", "presented", "granted"]}}, {"LOWER": "to"}],
    ],
    "HEADING": [[{"LOWER": {"IN": ["certificate", "certification", "attestation", "certificat"]}}],
                [{"LOWER": "record"}, {"LOWER": "of"}, {"LOWER": {"IN": ["attendance", "completion"]}}]],
    "ATTEND": [[{"LOWER": {"IN": ["has", "have", "a"]}, "OP": "?"},
                {"LOWER": "successfully", "OP": "?"},
                {"LOWER": {"IN": ATTEND_VERBS}}]],
    "BY": [[{"LOWER": {"IN": ["presented", "delivered", "provided", "organised", "organized", "hosted", "run",
                              "conducted", "facilitated", "organisé", "dispensé"]}},
            {"LOWER": {"IN": ["by", "par"]}}]],
    "ISSUE": [[{"LOWER": "date"}, {"LOWER": "of"}, {"LOWER": {"IN": ["issue", "award", "printing", "birth"]}}],
              [{"LOWER": {"IN": ["issue", "issued", "printed", "generated", "signed", "expires", "expiry", "valid"]}}],
              [{"LOWER": "fait"}, {"LOWER": "à"}]],
    "DATE_LABEL": [[{"LOWER": {"IN": ["date", "dates", "date(s"]}}, {"LOWER": {"NOT_IN": ["of"]}, "OP": "?"},
                    {"TEXT": {"IN": [":", ")"]}, "OP": "?"}],
                   [{"LOWER": "date"}, {"LOWER": "of"}, {"LOWER": {"IN": ["activity", "event", "course", "attendance",
                                                                          "completion", "webinar", "training"]}}],
                   [{"LOWER": {"IN": ["held", "completed", "attended", "took"]}}, {"LOWER": "place", "OP": "?"},
                    {"LOWER": "online", "OP": "?"}, {"LOWER": "on"}]],
    "REF": [[{"LOWER": {"IN": ["certificate", "cert", "cert.", "attestation"]}},
             {"LOWER": {"IN": ["number", "no", "no.", "#", "id", "reference", "ref", "ref."]}}],
            [{"LOWER": {"IN": ["reference", "ref", "ref.", "certificate"]}}, {"TEXT": {"IN": [":", "#"]}}],
            [{"LOWER": {"IN": ["course", "activity", "event"]}}, {"LOWER": {"IN": ["code", "id", "reference"]}}]],
    "DURATION": [[{"LOWER": {"IN": ["duration", "length", "durée"]}}],
                 [{"LOWER": "time"}, {"LOWER": "spent"}]],
    "CPD": [[{"LOWER": {"IN": ["cpd", "cpe", "cle"]}}]],
    "VERIFIABLE": [[{"LOWER": {"IN": ["structured", "unstructured", "verifiable", "non-verifiable", "formal",
                                      "informal"]}}, {"LOWER": {"IN": ["cpd", "learning"]}}],
                   [{"LOWER": "non"}, {"TEXT": "-"}, {"LOWER": "verifiable"}, {"LOWER": "cpd"}]],
    "TYPE": [[{"LOWER": {"IN": ACTIVITY_NOUNS}}], [{"LOWER": "e"}, {"TEXT": "-"}, {"LOWER": "learning"}]],
    "LABEL_TITLE": [[{"LOWER": {"IN": ["title", "course", "event", "activity", "programme", "webinar", "session",
                                       "intitulé"]}},
                     {"LOWER": "title", "OP": "?"}, {"TEXT": ":"}]],
    "LABEL_LEARNER": [[{"LOWER": {"IN": ["name", "participant", "delegate", "attendee", "learner", "member", "nom"]}},
                       {"TEXT": ":"}]],
    "LABEL_PROVIDER": [[{"LOWER": {"IN": ["provider", "organiser", "organizer", "organisme"]}}, {"TEXT": ":"}]],
}

# Inline titles and names end at these tokens.
_STOP_TEXT = {",", ".", ";", "|", "(", "–", "—"}
_STOP_LOWER = {"on", "held", "at", "for", "which", "presented", "delivered", "provided", "organised", "organized",
               "hosted", "run", "in", "has", "have", "attended", "completed", "participated", "successfully", "le"}
_LEAD_WORDS = {"the", "a", "an", "in", "entitled", "titled", "called", "on", ":", "le", "la", "l'", "à"}


@lru_cache(maxsize=1)
def _pipeline() -> tuple[Any, Any]:
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    ruler: Any = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(_ENTITY_PATTERNS)
    matcher = Matcher(nlp.vocab)
    for label, patterns in _CUE_PATTERNS.items():
        matcher.add(label, patterns)
    return nlp, matcher


@dataclass(frozen=True, slots=True)
class _Span:
    start: int  # token indices, end exclusive
    end: int


class _Reading:
    """One Doc with its cue matches, entities and line boundaries, and the field readers."""

    def __init__(self, lines: Sequence[str]) -> None:
        nlp, matcher = _pipeline()
        self.lines = [line.strip() for line in lines if line.strip()]
        self.doc = nlp("\n".join(self.lines))
        self.line_starts = [0]
        for line in self.lines[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.cues: dict[str, list[_Span]] = {}
        for match_id, start, end in matcher(self.doc):
            label = nlp.vocab.strings[match_id]
            self.cues.setdefault(label, []).append(_Span(start, end))
        for spans in self.cues.values():
            spans.sort(key=lambda s: (s.start, -s.end))
        self.line_ranges: dict[int, tuple[int, int]] = {}
        for token in self.doc:
            if not token.is_space:
                number = self.line_of(token.i)
                first = self.line_ranges.get(number, (token.i, token.i))[0]
                self.line_ranges[number] = (first, token.i + 1)
        self.ents = {label: [_Span(e.start, e.end) for e in self.doc.ents if e.label_ == label] for label in ("DATE", "QTY")}

    # --- token and line helpers -------------------------------------------------------------
    def line_of(self, token: int) -> int:
        return bisect.bisect_right(self.line_starts, self.doc[token].idx) - 1

    def line_tokens(self, line: int) -> tuple[int, int]:
        return self.line_ranges.get(line, (0, 0))

    def text(self, start: int, end: int) -> str:
        if end <= start:
            return ""
        return str(self.doc[start:end].text).strip()

    def starts(self, label: str) -> set[int]:
        return {span.start for span in self.cues.get(label, ())}

    def inline(self, start: int, stops: set[int]) -> str:
        """Tokens from `start` to the end of its line, stopping at a cue or stop word; leading filler dropped."""
        line_end = self.line_tokens(self.line_of(start))[1] if start < len(self.doc) else start
        i = start
        while i < line_end and self.doc[i].lower_ in _LEAD_WORDS and not (self.doc[i].lower_ == "on" and i + 1 in stops):
            i += 1
        begin, end = i, i
        while end < line_end:
            token = self.doc[end]
            if end > begin and (end in stops or token.text in _STOP_TEXT or token.lower_ in _STOP_LOWER):
                break
            end += 1
        return self.text(begin, end).rstrip(" .:,")

    def next_line(self, token: int) -> str:
        line = self.line_of(token) + 1
        return self.lines[line].rstrip(" .") if line < len(self.lines) else ""

    # --- the fields ---------------------------------------------------------------------------
    def attend(self) -> _Span | None:
        for span in self.cues.get("ATTEND", ()):
            before = {self.doc[i].lower_ for i in range(max(0, span.start - 3), span.start)}
            if not before & _NEGATORS:
                return span
        return None

    def presented_as_certificate(self, attend: _Span) -> bool:
        """'... certifies that' before the verb, or a short heading line such as 'Certificate of Completion'."""
        if any(span.start < attend.start for span in self.cues.get("CERTIFY", ())):
            return True
        for span in self.cues.get("HEADING", ()):
            start, end = self.line_tokens(self.line_of(span.start))
            if end - start <= MAX_HEADING_TOKENS and span.start < attend.start:
                return True
        return False

    def learner(self, attend: _Span) -> str:
        for span in self.cues.get("LABEL_LEARNER", ()):
            value = self.inline(span.end, set())
            if value:
                return value
        stops = self.starts("ATTEND")
        for span in self.cues.get("CERTIFY", ()):
            value = self.inline(span.end, stops)
            if value:
                return value
            following = self.line_of(span.end - 1) + 1
            if following < len(self.lines):
                start = self.line_tokens(following)[0]
                return self.inline(start, stops)
        # "Jane Smith attended ..." or a name alone on the line above the verb.
        first = self.line_tokens(self.line_of(attend.start))[0]
        if first < attend.start and all(self.doc[i].is_title or not self.doc[i].is_alpha for i in range(first, attend.start)):
            return self.text(first, attend.start)
        return ""

    def title(self, attend: _Span) -> str:
        for span in self.cues.get("LABEL_TITLE", ()):
            value = self.inline(span.end, set())
            if value:
                return value
        line_end = self.line_tokens(self.line_of(attend.start))[1]
        quoted = re.search(r"[“\"'‘]([^”\"'’]{3,})[”\"'’]", self.doc[attend.end:line_end].text)
        if quoted:
            return quoted.group(1).strip()
        i = attend.end
        types = self.starts("TYPE")
        # "attended the live STEP webinar <title>": skip to just after the activity noun.
        j = i
        while j < line_end and j - i <= 4 and not (j in types):
            j += 1
        while j < line_end and j in types:
            i = j = j + 1 if self.doc[j].lower_ != "e" else j + 3
        stops = self.starts("BY") | self.starts("DATE_LABEL") | {e.start for e in self.ents["DATE"]}
        value = self.inline(i, stops) if i < line_end else ""
        return value or self.next_line(attend.start)

    def activity_type(self, attend: _Span) -> str:
        line = self.line_of(attend.start)
        for span in self.cues.get("TYPE", ()):
            if self.line_of(span.start) == line and span.start >= attend.end:
                return self.text(span.start, span.end).lower()
        return ""

    def provider(self) -> str:
        for label in ("LABEL_PROVIDER", "BY"):
            for span in self.cues.get(label, ()):
                stops = {e.start for e in self.ents["DATE"]}
                value = self.inline(span.end, stops)
                if value:
                    return value
        for span in self.cues.get("CERTIFY", ()):
            first = self.line_tokens(self.line_of(span.start))[0]
            before = self.text(first, span.start)
            if before and before[0].isupper() and before.split()[0].lower() not in {"this", "we", "i", "it", "le", "la"}:
                return before
        return self._letterhead()

    def _letterhead(self) -> str:
        if not self.lines:
            return ""
        head = self.lines[0]
        words = head.split()
        if not 1 <= len(words) <= 8 or any(ch.isdigit() for ch in head):
            return ""
        heading = self.starts("HEADING") | self.starts("CERTIFY")
        start, end = self.line_tokens(0)
        return "" if any(start <= i < end for i in heading) else head

    def dates(self, attend: _Span) -> str:
        issue_lines = {self.line_of(s.start) for s in self.cues.get("ISSUE", ())}
        labelled = {self.line_of(s.start) for s in self.cues.get("DATE_LABEL", ())}
        candidates = [e for e in self.ents["DATE"] if self.line_of(e.start) not in issue_lines]
        for span in candidates:
            if self.line_of(span.start) in labelled:
                return self.text(span.start, span.end)
        after = [e for e in candidates if e.start >= attend.start]
        chosen = after[0] if after else candidates[0] if candidates else None
        return self.text(chosen.start, chosen.end) if chosen else ""

    def hours(self) -> tuple[str, str]:
        """(CPD hours, duration) as found."""
        cpd, duration = "", ""
        cpd_tokens = self.starts("CPD")
        durations = {self.line_of(s.start): s for s in self.cues.get("DURATION", ())}
        for qty in self.ents["QTY"]:
            line = self.line_of(qty.start)
            window = set(range(max(0, qty.start - 3), qty.end + 3))
            label = durations.get(line)
            if window & cpd_tokens and self.doc[qty.end - 1].lower_ in CREDIT_UNITS:
                cpd = cpd or self.doc[qty.start].text
            elif label is not None and 0 <= qty.start - label.end <= 2:
                duration = duration or self.text(qty.start, qty.end)
        if not cpd:
            for token in cpd_tokens:
                for i in (token - 1, token + 1, token + 2, token + 3):
                    if 0 <= i < len(self.doc) and re.fullmatch(r"\d+([.,]\d+)?", self.doc[i].text):
                        return self.doc[i].text, duration
        return cpd, duration

    def reference(self) -> str:
        for span in self.cues.get("REF", ()):
            i = span.end
            while i < len(self.doc) and self.doc[i].text in {":", "#", ".", "-"}:
                i += 1
            start = i
            while i < len(self.doc) and not self.doc[i].is_space and (i == start or not self.doc[i - 1].whitespace_):
                i += 1
            value = self.text(start, i)
            if value and (any(ch.isdigit() for ch in value) or (value.isupper() and len(value) >= 4)):
                return value
        return ""

    def verifiable(self) -> str:
        for span in self.cues.get("VERIFIABLE", ()):
            word = self.text(span.start, span.end - 1).lower().replace(" ", "")
            return {"formal": "structured", "informal": "unstructured"}.get(word, word)
        return ""


def _split_range(text: str) -> tuple[str, str] | None:
    """'18–19 May 2025' -> ('18 May 2025', '19 May 2025'); '6–7/05/2025' -> ('6/05/2025', '7/05/2025')."""
    m = re.fullmatch(r"(\d{1,2}(?:st|nd|rd|th|er)?)\s*[–—-]\s*(\d{1,2}(?:st|nd|rd|th)?)\s*([/.]\d{1,2}[/.]\d{2,4})", text)
    if m:
        return m.group(1) + m.group(3), m.group(2) + m.group(3)
    m = re.fullmatch(r"(\d{1,2}(?:st|nd|rd|th|er)?)(\s+\w+)?\s*(?:[–—-]|to|and|au|et)\s*(\d{1,2}(?:st|nd|rd|th)?)\s+(\w+),?\s+(\d{4})", text)
    if m:
        first_month = (m.group(2) or f" {m.group(4)}").strip()
        return f"{m.group(1)} {first_month} {m.group(5)}", f"{m.group(3)} {m.group(4)} {m.group(5)}"
    return None


def read_certificate(lines: Sequence[str]) -> dict[str, str] | None:
    """The activity a certificate of attendance or completion records, label -> text; None if it is no certificate."""
    joined = " ".join(lines).lower()
    if len(joined) > MAX_CERTIFICATE_CHARS or not any(stem in joined for stem in _CUE_STEMS):
        return None
    reading = _Reading(lines)
    attend = reading.attend()
    if attend is None or not reading.presented_as_certificate(attend):
        return None
    title = reading.title(attend)
    learner, date = reading.learner(attend), reading.dates(attend)
    if not title or not (learner or date):
        return None
    fields = {"title": title}
    verb = reading.doc[attend.end - 1].lower_
    if verb in {"attended", "completed", "passed"}:
        fields["status"] = verb
    cpd, duration = reading.hours()
    for key, value in (
        ("learner", learner),
        ("provider", reading.provider()),
        ("activity_type", reading.activity_type(attend)),
        ("cpd_hours", cpd),
        ("duration", duration),
        ("reference", reading.reference()),
        ("verifiable", reading.verifiable()),
    ):
        if value and value != title:
            fields[key] = value
    if date:
        bounds = _split_range(date)
        if bounds:
            fields["date"] = date
            fields["started_on"], fields["completed_on"] = bounds
        else:
            fields["completed_on"] = date
    return fields


def read_certificates(blocks: Sequence[TextBlock]) -> list[RawRecord]:
    """The text blocks that read as a certificate, each as one labelled record with its evidence lines."""
    records = []
    for block in blocks:
        fields = read_certificate(block.lines)
        if fields:
            values = [value for value in fields.values() if value]
            evidence = "\n".join(line for line in block.lines if any(value in line for value in values))
            records.append(RawRecord(block.location, dict(fields), evidence))
    return records
