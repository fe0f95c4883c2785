"""Certificates of completion, attendance and participation, read from their words and their layout.

A certificate says what was learned in a few dozen words laid out for the eye: the title and the learner are
its largest lines, labels in small capitals stand above, beside or below their values, and the sentence that
joins them ("This is to certify that / Jane Smith / has successfully completed the online course / ...") varies
from one maker to the next and from one language to another. So each field is a scored choice among the
lines that could hold it: cue phrases found with spaCy's rule-based Matcher (cues.py), labels and their values
(labels.py), values by their form (spans.py), and each line's size and place (page.py) weigh in together.

    lines (+ styles) -> page_lines (clean) -> tiles.split (several certificates per page) -> per certificate:
        not learning? (thanks, service, invitations, registrations; recognition naming nothing done) -> none
        learner, title (+ activity noun), provider, dates, figures, reference, verifiable -> one record,
        or one per listed event where the verb's object is a plural with no name of its own

Values are the text as found ('4 June 2025', '1 hour 25 minutes', '2.0' with unit 'cpe'); the mappers parse them.
"""
from __future__ import annotations

from collections.abc import Sequence

from extractors.model import LineStyle, RawRecord, TextBlock

from .activity import ActivityNoun, activity_type, items, title, type_in_title
from .facts import dates, figures, reference, verifiable
from .page import Line, Page, page_lines
from .people import learner, provider
from .reading import Reading
from .tiles import heading_like, split
from .vocabulary import fold, vocabulary

__all__ = ["read_certificate", "read_certificates", "read_page"]

# A certificate fits on a page: longer text (a report, minutes, a plan) is not read as one.
MAX_CERTIFICATE_CHARS = 4_000
_CUE_STEMS = ("certif", "attest", "attend", "complet", "particip", "congrat", "award", "granted", "suivi", "teilnahm",
              "teilgenommen", "absolv", "bescheinig", "bestätig", "zertifik", "curso", "asisti", "diploma", "credential",
              "badge", "achiev", "earned", "cpe", "cpd")
_CERT_LABELS = ("certificate", "certificat", "certificado", "credential", "verify", "zertifikat")
_LEARNING_HEADINGS = ("completion", "attendance", "participation", "achievement", "accomplishment", "training",
                      "learning", "cpd", "cpe", "course", "formation", "reussite", "presence", "suivi", "teilnahme",
                      "asistencia", "participacion", "finalizacion", "aprovechamiento", "weiterbildung", "fortbildung")


def _not_learning(r: Reading) -> bool:
    """Thanks, service, invitations and registrations; recognition that names nothing completed or attended."""
    vocab = vocabulary()
    whole = " " + " ".join(fold(line.text) for line in r.lines) + " "
    if any(f" {phrase} " in whole for phrase in vocab.not_learning_anywhere):
        return True
    opening = min((c.line for c in r.cues_of("CERTIFY", "ACHIEVE", "CONGRATS")), default=4)
    headings = [fold(line.text).split() for at, line in enumerate(r.lines) if line.number in r.headings
                or (at < min(opening, 4) and len(line.text.split()) <= 8 and line.number not in r.label_lines)]
    words = {w for heading in headings for w in heading}
    if words & vocab.not_learning_kinds:
        return True
    return bool(words & vocab.unless_completed) and not r.cues_of("ACHIEVE", "DONE_BY")


def _presented_as_certificate(r: Reading) -> bool:
    """A heading that names a certificate, 'certifies that' / 'Congratulations', or a short line with a certificate
    word ('Certificate ID', 'Verify this certificate'): a report that says something was 'completed by' is none."""
    return bool(r.headings or r.cues_of("CERTIFY", "CONGRATS")
                or any(heading_like(line.text) or fold(line.text).startswith(_CERT_LABELS) for line in r.lines))


def _learning(r: Reading, found: dict[str, str]) -> bool:
    """Something says learning was done: a verb, a completion date or a title label, a learning heading, a figure."""
    heading_words = {w for line in r.lines if line.number in r.headings for w in fold(line.text).split()}
    return bool(r.cues_of("ACHIEVE", "DONE_BY", "CERTIFY") or r.labels_for("completed_on") or r.labels_for("title")
                or heading_words & set(_LEARNING_HEADINGS) or "duration" in found or "cpd_hours" in found
                or "credits" in found)


def _facts(r: Reading) -> dict[str, str]:
    found: dict[str, str] = {}
    when = dates(r)
    if when.started_on:
        found["started_on"] = when.started_on
    if when.completed_on:
        found["completed_on"] = when.completed_on
    found.update(figures(r))
    for key, value in (("reference", reference(r)), ("verifiable", verifiable(r))):
        if value:
            found[key] = value
    return found


def read_page(page: Page) -> list[tuple[Line, dict[str, str]]]:
    """The activities one certificate records (label -> text), each with the line it starts at: none, one, or one
    per listed event."""
    r = Reading(page)
    if not r.lines or not _presented_as_certificate(r) or _not_learning(r):
        return []
    taken: set[int] = set()
    person = learner(r, taken)
    if person is not None and person.line is not None:
        taken.add(person.line.number)
    noun = ActivityNoun()
    named = title(r, taken, noun)
    achieve = next(iter(r.cues_of("ACHIEVE")), None)
    listed = items(r, achieve)
    facts = _facts(r)
    if (named is None and not listed) or not _learning(r, facts):
        return []
    if named is not None and named.line is not None:
        taken.add(named.line.number)
    if not (person or facts.get("completed_on") or "duration" in facts or "cpd_hours" in facts or "credits" in facts):
        return []
    org = provider(r, taken)
    titles = listed or [(page.lines[0], named.value if named else "")]
    out = []
    for start, name in titles:
        fields = {"title": name}
        for key, value in (("learner", person.value if person else ""), ("provider", org.value if org else ""),
                           ("activity_type", activity_type(r, noun, name) if not listed else _listed_type(r, name)),
                           ("status", "completed")):
            if value and value != name:
                fields[key] = value
        fields.update(facts)
        out.append((start, fields))
    return out


def _listed_type(r: Reading, name: str) -> str:
    """A listed event's own kind ('... Meeting'), else the certificate's."""
    return type_in_title(name) or activity_type(r, ActivityNoun(), name)


def _pages(lines: Sequence[str], styles: Sequence[LineStyle]) -> list[Page]:
    joined = " ".join(lines)
    if len(joined) > MAX_CERTIFICATE_CHARS * 4:
        return []
    cleaned = page_lines(lines, styles)
    return [Page(tuple(tile)) for tile in split(cleaned)]


def read_certificate(lines: Sequence[str], styles: Sequence[LineStyle] = ()) -> dict[str, str] | None:
    """The first activity a certificate records, label -> text; None where the text is no certificate of learning."""
    found = _read(lines, styles)
    return found[0][1] if found else None


def _read(lines: Sequence[str], styles: Sequence[LineStyle]) -> list[tuple[Line, dict[str, str]]]:
    lowered = " ".join(lines).lower()
    if not any(stem in lowered for stem in _CUE_STEMS):
        return []
    out: list[tuple[Line, dict[str, str]]] = []
    for page in _pages(lines, styles):
        if sum(len(line.text) for line in page.lines) > MAX_CERTIFICATE_CHARS:
            continue
        for start, fields in read_page(page):
            if fields not in [f for _, f in out]:    # a page drawn twice (two text layers) is one certificate
                out.append((start, fields))
    return out


def read_certificates(blocks: Sequence[TextBlock]) -> list[RawRecord]:
    """Each text block read as certificates: one labelled record per activity, with the lines that gave it."""
    records = []
    for block in blocks:
        found = _read(block.lines, block.styles)
        for first, fields in found:
            location = block.location if len(found) == 1 else block.location._replace(line=first.number + 1)
            values = [value for value in fields.values() if value and len(value) > 2]
            evidence = "\n".join(line for line in block.lines if any(value in line for value in values))
            records.append(RawRecord(location, dict(fields), evidence))
    return records
