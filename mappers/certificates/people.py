"""Who: the learner the certificate names and the organisation that gives it.

Learner candidates, strongest first: a learner label's value ("ISSUED TO"), the words after "certifies that" /
"is hereby granted to" / "Congratulations," (on the line or the next), "completed by NAME", a name just before
the verb ("Jane Doe has completed"), then any name-like line, weighed by its size on the page. Signatories,
placeholders ("Your Name") and organisations are never the learner.

Provider candidates: a provider label's value, the words after "presented by" / "authorized by" / "offered
through" (a platform, weaker), the subject of "X certifies that", then the letterhead (an organisation's name
near the top of the page).
"""
from __future__ import annotations

import re

from .cues import BY_STRENGTH
from .page import Line
from .reading import Candidate, Reading, best, cut_phrase
from .spans import find_dates, is_name, is_org, strip_honorific
from .vocabulary import fold, vocabulary

__all__ = ["learner", "provider"]

_NAME_END = re.compile(r"\s+(?:for|who|in recognition|on|has|have|hat|ha|a)\b|[,;!(]", re.IGNORECASE)
_ELIDED = re.compile(r"^l['’]", re.IGNORECASE)
_ALL = ("CERTIFY", "CONGRATS", "ACHIEVE", "DONE_BY", "BY")
_SUBJECTS = {"this", "we", "i", "it", "nous", "wir", "hiermit", "se", "le", "la", "el", "que", "hereby", "is", "be"}


def _clean_name(text: str) -> str:
    text = text.lstrip(" ,:;!–—-")
    found = _NAME_END.search(text)
    value = text[:found.start()] if found else text
    return strip_honorific(value.strip(" .:,;!–—-"))


def _placeholder(value: str) -> bool:
    folded = fold(value)
    return folded in vocabulary().placeholder_names or bool(re.search(r"[\[\]{}<>]|_{3,}", value))


def _learner_candidates(r: Reading) -> list[Candidate]:
    out: list[Candidate] = []
    for hit in r.labels_for("learner"):
        out.append(Candidate(4.0, _clean_name(hit.value), hit.value_line))
    for cue in r.cues_of("CERTIFY", "CONGRATS", "DONE_BY"):
        line = r.lines[cue.line]
        stops = [c.start - cue.end for c in r.cues if c.line == cue.line and c.start >= cue.end]
        rest = r.after(cue)
        value = _clean_name(rest[:min(stops)] if stops else rest)
        weight = 3.5 if cue.kind == "DONE_BY" else 4.0
        if value:
            out.append(Candidate(weight, value, line))
        elif cue.line + 1 < len(r.lines):
            following = r.lines[cue.line + 1]
            out.append(Candidate(weight - 0.3, _clean_name(following.text), following))
    for cue in r.cues_of("ACHIEVE"):
        before = r.before(cue).strip(" ,")
        if before and is_name(before):
            out.append(Candidate(3.0, _clean_name(before), r.lines[cue.line]))
        elif not before and cue.line > 0:
            out.append(Candidate(2.5, _clean_name(r.lines[cue.line - 1].text), r.lines[cue.line - 1]))
    for line in r.lines:
        if is_name(line.text):
            out.append(Candidate(0.5 + r.page.prominence(line), strip_honorific(line.text), line, cued=False))
    return out


def learner(r: Reading, taken: set[int]) -> Candidate | None:
    """The best learner candidate that is a name (or an e-mail), not a signatory, placeholder or heading."""
    kept = []
    for cand in _learner_candidates(r):
        line = cand.line
        if not cand.value or _placeholder(cand.value) or line is None or line.number in taken:
            continue
        if line.number in r.signatories or line.number in r.headings:
            continue
        if not (is_name(cand.value) or "@" in cand.value or (cand.score >= 4.0 and _plain_name(cand.value))):
            continue
        bonus = r.page.prominence(line) if cand.cued else 0.0
        kept.append(Candidate(cand.score + bonus, cand.value, line))
    return best(kept)


def _plain_name(value: str) -> bool:
    """A labelled or cued value: a name in a script or form `is_name` does not know (one word, lower case)."""
    words = value.split()
    return 1 <= len(words) <= 5 and not any(ch.isdigit() for ch in value) and not is_org(value)


def _provider_candidates(r: Reading) -> list[Candidate]:
    out: list[Candidate] = []
    for hit in r.labels_for("provider"):
        value = cut_phrase(hit.value)
        if sum(ch.isalpha() for ch in value) >= 3:
            out.append(Candidate(4.0, value, hit.value_line))
    for cue in r.cues_of("BY"):
        stops = [c.start - cue.end for c in r.cues if c.line == cue.line and c.start > cue.end]
        rest = r.after(cue)
        value = cut_phrase(rest, stops)
        line = r.lines[cue.line]
        if not value and cue.line + 1 < len(r.lines):
            line = r.lines[cue.line + 1]
            value = cut_phrase(line.text)
        weight = min(BY_STRENGTH.get(w, 3.0) for w in cue.words)
        if value and (is_org(value) or not is_name(value)):
            out.append(Candidate(weight + (0.5 if is_org(value) else 0.0), value, line))
    for cue in r.cues_of("CERTIFY"):
        before = r.before(cue).strip(" ,")
        first = fold(before).split()[:1]
        if before and before[0].isupper() and first and first[0] not in _SUBJECTS and not is_name(before):
            out.append(Candidate(3.0, _ELIDED.sub("", before), r.lines[cue.line]))
    out.extend(_letterhead(r))
    return out


def _letterhead(r: Reading) -> list[Candidate]:
    """An organisation's name near the top: with a word organisations use, or a short line above the heading."""
    first_heading = min((r.page.index(line) for line in r.lines if line.number in r.headings), default=-1)
    out = []
    for at, line in enumerate(r.lines):
        text = line.text.strip()
        if not r.near_top(line) or line.number in r.headings or find_dates(text) or r.cues_of_line(at, *_ALL):
            continue
        short = 1 <= len(text.split()) <= 8 and not any(ch.isdigit() for ch in text) and text[:1].isupper()
        if is_org(text):
            out.append(Candidate(1.5 + 0.3 * r.page.prominence(line), text, line))
        elif short and at < first_heading and not is_name(text):
            out.append(Candidate(1.0 + 0.3 * r.page.prominence(line), text, line))
    return out


def provider(r: Reading, taken: set[int]) -> Candidate | None:
    """The organisation that gives the certificate, where the page names one."""
    kept = [c for c in _provider_candidates(r)
            if c.value and c.line is not None and len(c.value.split()) <= 12
            and not (c.score < 3.0 and (c.line.number in taken or c.line.number in r.label_lines))]
    return best(kept)
