"""When, how long, which number: the activity's dates, its time and credits, its reference, whether it is structured.

Every date on the page gets a role from its label or the words before it: completion ("completed on", "held on",
a date in the sentence that says it was done), plain ("Date"), start, issue ("Date issued", "Fait le") or expiry
("valid through", "Expires"). The completion date is the best of completion, then sentence, then plain dates;
an issue or expiry date never is. A range ("1–3 October 2025") gives the start and the completion.

Figures: a credited figure (CPD hours, CPE credits, points) where the words around it or its label say credit;
otherwise time spent ("Length 6.5 total hours", "1 hour 25 minutes", "a duration of 200 hour(s)").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .labels import DATE_FIELDS
from .page import Line
from .reading import Reading
from .spans import DateHit, Quantity, find_dates, find_ids, find_quantities, find_urls
from .vocabulary import fold

__all__ = ["DateChoice", "dates", "figures", "reference", "verifiable"]

# How much a date's role counts toward being the completion date; issue and expiry dates never are.
_ROLE_SCORE = {"completed_on": 4.0, "sentence": 3.0, "date": 2.0, "range": 2.5, "plain": 1.0}
_EXPIRY = re.compile(r"\b(?:valid|expir|expires|renew|gültig|gultig|valable|válido|valido|vence)", re.IGNORECASE)
_ISSUE = re.compile(r"\b(?:issued?|printed|generated|awarded on|date of award|fait (?:à|a|le)|délivré|delivre|"
                    r"ausgestellt|emitido|expedido|emisión|emision)\b", re.IGNORECASE)
_CREDIT_WORDS = re.compile(r"\b(?:cpd|cpe|cle|ceu|pdu|credits?|points?|units?|créditos?|punkte|accredited|qualif)",
                           re.IGNORECASE)
_DURATION_WORDS = re.compile(r"\b(?:duration|length|durée|duree|dauer|umfang|duración|duracion|time spent|total)",
                             re.IGNORECASE)
_ALONE = re.compile(r"\b(non[- ]?verifiable|unstructured|verifiable|structured)\b", re.IGNORECASE)
_VERIFIABLE = re.compile(r"\b(non[- ]?verifiable|unstructured|informal|verifiable|structured|formal)\s+(?:cpd|learning)\b",
                         re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateChoice:
    started_on: str
    completed_on: str
    issued_on: str


def _role(r: Reading, at: int, hit: DateHit, labelled: dict[int, str]) -> str:
    line = r.lines[at]
    before = line.text[:hit.start]
    tail = before[-40:]
    if _EXPIRY.search(tail):
        return "expires_on"
    if _ISSUE.search(tail) and not re.search(r"\bcompleted\b", tail, re.IGNORECASE):
        return "issued_on"
    if line.number in labelled:
        return labelled[line.number]
    if r.cues_of_line(at, "ACHIEVE", "DONE_BY") or (at > 0 and r.cues_of_line(at - 1, "ACHIEVE")) or re.search(
            r"\b(?:held|on|le|am|el|took place|from|du|vom|del)\s*$", before, re.IGNORECASE):
        return "sentence"
    return "range" if hit.is_range else "plain"


def _labelled_dates(r: Reading) -> dict[int, str]:
    """Line number -> the date field its label names (the value's line)."""
    out: dict[int, str] = {}
    for hit in r.labelled:
        if hit.field in DATE_FIELDS:
            out.setdefault(hit.value_line.number, hit.field)
    return out


def dates(r: Reading) -> DateChoice:
    labelled = _labelled_dates(r)
    scored: list[tuple[float, int, DateHit]] = []
    started = issued = ""
    for at, line in enumerate(r.lines):
        hits = find_dates(line.text)
        for hit in hits:
            role = _role(r, at, hit, labelled)
            if role == "issued_on":
                issued = issued or hit.last
            elif role == "started_on":
                started = started or hit.first
            elif role in _ROLE_SCORE:
                scored.append((_ROLE_SCORE[role], -at, hit))
        if len(hits) == 2 and re.search(r"\b(?:from|du|vom|del|de)\b", line.text[:hits[0].start], re.IGNORECASE):
            scored.append((3.5, -at, DateHit(hits[0].start, hits[1].end, line.text, hits[0].first, hits[1].last)))
    if not scored:
        return DateChoice(started, "", issued)
    _, _, chosen = max(scored, key=lambda s: (s[0], s[1]))
    first = chosen.first if chosen.is_range else started
    return DateChoice(first, chosen.last, issued)


def _figure_kind(r: Reading, line: Line, q: Quantity, labelled: dict[int, str]) -> str:
    text = line.text
    window = text[max(0, q.start - 30):q.start] + " " + text[q.end:q.end + 30]
    label = labelled.get(line.number)
    if label == "credits" or q.credit or (_CREDIT_WORDS.search(window) and not _DURATION_WORDS.search(
            text[max(0, q.start - 25):q.start])):
        return "credits"
    return "duration"


def figures(r: Reading) -> dict[str, str]:
    """{'duration': '1 hour 25 minutes'} and {'cpd_hours': '1.5'} or {'credits': '2.0', 'credits_unit': 'cpe'}."""
    labelled = {h.value_line.number: h.field for h in r.labelled if h.field in ("credits", "duration", "grade")}
    out: dict[str, str] = {}
    for line in r.lines:
        if labelled.get(line.number) == "grade":
            continue
        quantities = find_quantities(line.text)
        for q in quantities:
            kind = _figure_kind(r, line, q, labelled)
            if kind == "duration":
                out.setdefault("duration", q.text)
            elif "cpd_hours" not in out and "credits" not in out:
                out.update(_credit(q, line.text))
        if not quantities and labelled.get(line.number) == "credits":
            number = re.search(r"\d+(?:[.,]\d+)?", _after_label(r, line))
            if number and "credits" not in out and "cpd_hours" not in out:
                out.update(_credit_unit(number.group(0), fold(_label_text(r, line))))
    return out


def _after_label(r: Reading, line: Line) -> str:
    for hit in r.labelled:
        if hit.value_line.number == line.number and hit.field == "credits":
            return hit.value
    return line.text


def _label_text(r: Reading, line: Line) -> str:
    for hit in r.labelled:
        if hit.value_line.number == line.number and hit.field == "credits":
            return hit.label_line.text if hit.label_line is not hit.value_line else line.text[:line.text.find(hit.value)]
    return ""


def _credit(q: Quantity, text: str) -> dict[str, str]:
    unit = q.unit.lower()
    context = fold(text)
    if unit.startswith(("hour", "hr", "h")) or unit in ("cpd",):
        return {"cpd_hours": q.number}
    return _credit_unit(q.number, f"{unit} {context}")


def _credit_unit(number: str, words: str) -> dict[str, str]:
    """The record's own unit word: CPE credits -> 'cpe'; CPD points -> 'points'; plain hours -> CPD hours."""
    for stem, unit in (("cpe", "cpe"), ("point", "points"), ("punkte", "points"), ("pdu", "pdus"), ("ceu", "ceus"),
                       ("unit", "units"), ("cle", "cle credits"), ("credit", "credits"), ("credito", "credits")):
        if stem in words.split() or any(w.startswith(stem) for w in words.split()):
            return {"credits": number, "credits_unit": unit}
    return {"cpd_hours": number}


def reference(r: Reading) -> str:
    """A labelled certificate number, else a verification address, else a long identifier on the page."""
    for hit in r.labels_for("reference"):
        urls, ids = find_urls(hit.value), find_ids(hit.value)
        token = hit.value.split()[0].strip(".,;") if hit.value.split() else ""
        value = ids[0] if ids else urls[0] if urls else token
        if value and any(ch.isdigit() for ch in value) or (value.isupper() and len(value) >= 4):
            return value
    sponsor = {h.value_line.number for h in r.labelled if h.field in ("sponsor_id", "member_id")}
    ids = [token for line in r.lines if line.number not in sponsor for token in find_ids(line.text)
           if len(token) >= 10 and sum(ch.isdigit() for ch in token) >= 3]
    hashes = [token for token in ids if len(token) >= 16]
    urls = [url for line in r.lines for url in find_urls(line.text)
            if re.search(r"verif|cert|credential|badge|accomplishment|/c/|/v/", url, re.IGNORECASE)]
    return next(iter(hashes + urls + ids), "")


def verifiable(r: Reading) -> str:
    """Structured / verifiable (or not) as the page says of its CPD: 'structured CPD', 'CPD hours: 2 (structured)'."""
    credited = {h.value_line.number for h in r.labelled if h.field in ("credits", "duration")}
    for line in r.lines:
        found = _VERIFIABLE.search(line.text) or (_ALONE.search(line.text) if line.number in credited else None)
        if found:
            word = fold(found.group(1)).replace(" ", "")
            return {"formal": "structured", "informal": "unstructured", "nonverifiable": "unstructured"}.get(word, word)
    return ""
