"""What: the activity's title, its kind, and the events a certificate lists.

Title candidates: a title label's value ("Course: X"), a quoted name, the words after the verb ("has completed the
online course X", skipping the activity noun, which gives the type), the line after the verb where the verb ends
its line, a German clause's words before "teilgenommen", the line after one ending in ':' ('with the poster:'),
and any free line weighed by its size: on most certificates the title is one of the largest lines. The heading
that names the document ('Certificate of Completion'), the learner, labels, dates and signatures are never the
title.

A certificate may list what was attended ("attended the co-located events ... comprising: • A • B"): where the
verb's object is a plural with no name of its own, each item is an activity; where it names a programme, the
items are its parts and the programme is the one activity.
"""
from __future__ import annotations

import re

from .cues import Cue
from .page import Line
from .reading import Candidate, Reading, best, cut_phrase, strip_filler
from .spans import find_dates, find_ids, find_quantities, find_urls, is_name, is_org, looks_like_sentence
from .vocabulary import fold, vocabulary

__all__ = ["ActivityNoun", "title", "items", "activity_type", "type_in_title", "ACTIVITY_WORDS"]

# Nouns (and their qualifiers) that say what kind of activity the object of the verb is, not its name.
ACTIVITY_WORDS = frozenset(
    "online live virtual in-person non-credit noncredit self-paced on-demand e-learning elearning e learning "
    "course courses class classes webinar webinars seminar seminars workshop workshops conference conferences "
    "session sessions event events module modules programme programmes program programs training trainings "
    "lecture lectures masterclass tutorial series meeting meetings summit forum symposium congress "
    "co-located colocated following requirement requirements requirements for learning path track "
    "formation formations webinaire séminaire seminaire atelier colloque conférence conference journée journee "
    "kurs kurses seminar seminars fortbildung schulung veranstaltung lehrgang weiterbildung tagung "
    "curso cursos taller jornada jornadas seminario conferencia congreso programa evento "
    "de en línea linea a distance distance presencial professionnelle continue sobre zum thema cours stage parcours "
    "session capacitación capacitacion diplomado onlinekurs online-kurs onlineseminar webinar-reihe".split()
)
_GENERIC = frozenset("course class webinar seminar workshop conference session event module programme program "
                     "training formation kurs curso taller it this that cours stage hat haben wurde ist".split())
# A phrase ending in one of these is cut short: its object is on the next line ('a passing grade in').
_OPEN_ENDS = frozenset("in of at for the a an on to à au aux de du des en an am im der die das dem den el la le les "
                       "del al zum zur".split())
_PLURAL = frozenset("events sessions courses modules webinars seminars workshops conferences meetings programmes "
                    "following lectures trainings formations cursos kurse veranstaltungen".split())
_TYPE_NOUNS = ("webinar", "webinars", "seminar", "seminars", "workshop", "workshops", "conference", "conferences",
               "meeting", "meetings", "summit", "symposium", "congress", "masterclass", "lecture", "tutorial",
               "webinaire", "séminaire", "seminaire", "atelier", "colloque", "conférence", "tagung", "schulung",
               "taller", "seminario", "conferencia", "congreso", "jornada")
_KIND_NOUNS = frozenset("course class programme program training session module event formation kurs curso "
                        "fortbildung weiterbildung lehrgang".split())
_DOMAIN = re.compile(r"(?:[\w-]+\.)+(?:com|org|net|io|edu|co|example|de|fr|es|uk)", re.IGNORECASE)
_STARTS_DATED = re.compile(r"^\s*(?:[^\W\d_]{3,9}\.?\s+\d{1,2}\b|\d{1,2}(?:st|nd|rd|th|er|\.)?\s+[^\W\d_]{3,9}\.?\s+\d{4}|"
                           r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})")
_PASSIVE = re.compile(r"^\s*(?:by|par|por|von|durch)\b", re.IGNORECASE)
_DE_VERBS = {"teilgenommen", "absolviert", "abgeschlossen", "besucht", "bestanden"}


class ActivityNoun:
    """The activity words found between the verb and the title ('online course', 'webinar')."""

    def __init__(self) -> None:
        self.words: list[str] = []

    @property
    def text(self) -> str:
        """The most telling noun: 'webinar', 'conference'...; 'online course' for an online course."""
        words = [w.strip(",:") for w in self.words]
        for noun in _TYPE_NOUNS:
            if noun in words:
                return noun
        if any(w in ("online", "e-learning", "elearning", "self-paced", "on-demand") for w in words):
            return "online course" if any(w in ("course", "module", "class", "curso", "kurs") for w in words) else \
                "e-learning"
        return next((w for w in reversed(words) if w in _KIND_NOUNS), "")


_ARTICLES = frozenset("the a an la le les l el los las der die das dem den des un une zum zur einem einer einen "
                      "au aux du al del".split())
_LINKS = frozenset("in at on to of for a de en an am im sur y and et und".split())


def _object(text: str, noun: ActivityNoun) -> str:
    """The verb's object with its leading articles and activity words taken off (those go to `noun`).

    'the online course The Art of X' -> 'The Art of X'; 'the training program requirement for VISITOR' -> 'VISITOR'.
    Once an activity word is seen, an article begins the title; before it, articles are skipped.
    """
    words = text.split()
    i = 0
    while i < len(words):
        low = words[i].lower().strip(",:")
        folded = fold(words[i])
        if low in ACTIVITY_WORDS or folded in ACTIVITY_WORDS:
            noun.words.append(low)
        elif not folded and words[i] in ":–—-":
            pass
        elif folded in _LINKS or (folded in _ARTICLES and not noun.words):
            pass
        else:
            break
        i += 1
    return " ".join(words[i:])


def _from_verb(r: Reading, cue: Cue, noun: ActivityNoun) -> list[Candidate]:
    line = r.lines[cue.line]
    out = []
    stops = [c.start - cue.end for c in r.cues if c.line == cue.line and c.start > cue.end]
    if _PASSIVE.match(r.after(cue)):
        return []      # 'Course completed by NAME': the learner follows, not the activity
    rest = cut_phrase(r.after(cue), stops)
    nxt = r.lines[cue.line + 1] if cue.line + 1 < len(r.lines) else None
    around = [r.lines[i].text for i in (cue.line + 1, cue.line - 1, cue.line - 2) if 0 <= i < len(r.lines)]
    quoted = r.quoted(r.after(cue)) or next((q for q in map(r.quoted, around) if q), None)
    if quoted:
        out.append(Candidate(4.0, quoted, line))
    value = cut_phrase(_object(rest, noun))
    qualified = _qualified_noun(value) or bool(_DOMAIN.fullmatch(value))
    if value and not _generic(value):
        out.append(Candidate(1.5 if qualified else 3.5, value, line))
        if qualified:
            noun.words.append(fold(value).split()[-1])
    larger = nxt is not None and r.page.is_large(nxt) and r.page.prominence(nxt) > r.page.prominence(line)
    if (not value or _generic(value) or qualified or larger) and nxt is not None \
            and not r.after(cue).strip(" .").endswith(("by", "par", "por")) \
            and not r.cues_of_line(cue.line + 1, "BY", "CERTIFY", "ACHIEVE"):
        inner = ActivityNoun()
        text = cut_phrase(_object(r.continuation(nxt), inner))
        if text and not _generic(text) and not find_quantities(text) and nxt.number not in r.label_lines \
                and not find_urls(text):
            noun.words.extend(inner.words)
            out.append(Candidate(3.0, text, nxt))
    if cue.verb in _DE_VERBS:
        out.extend(_german(r, cue))
    return out


def _german(r: Reading, cue: Cue) -> list[Candidate]:
    """'hat am Seminar „X“ erfolgreich teilgenommen': the object stands before the verb."""
    before = r.before(cue)
    value = cut_phrase(strip_filler(_object(before.split(" hat ", 1)[-1], ActivityNoun())))
    return [Candidate(3.0, value, r.lines[cue.line])] if value and not _generic(value) else []


def _unquote(value: str) -> str:
    """A title printed in quotes, without them."""
    return value.strip().strip("“”\"«»„‘’").strip()


def _qualified_noun(value: str) -> bool:
    """'STEP webinar', 'annual conference': a short phrase ending in an activity noun, at the end of its line."""
    words = fold(value).split()
    return 2 <= len(words) <= 3 and words[-1] in _TYPE_NOUNS + tuple(_KIND_NOUNS)


def _generic(value: str) -> bool:
    """No name of its own: only activity words, a date, too few letters, or a phrase left open ('... grade in')."""
    folded_words = fold(value).split()
    if sum(ch.isalpha() for ch in value) < 3 or _STARTS_DATED.match(value) or (
            folded_words and (folded_words[-1] in _OPEN_ENDS or folded_words[0] in ("and", "et", "und", "y"))):
        return True
    words = [w for w in fold(value).split() if w not in {"the", "a", "an", "this", "that", "our", "your", "its"}]
    return not words or all(w in _GENERIC or w in _PLURAL or w in ACTIVITY_WORDS for w in words) or bool(
        find_dates(value) and len(value.split()) <= 6)


def _free(r: Reading, line: Line, taken: set[int]) -> bool:
    """A line that could be a title by layout alone: not a role the page gives another line, not a sentence."""
    text = line.text
    return (line.number not in taken and line.number not in r.headings and line.number not in r.label_lines
            and line.number not in r.signatories and not find_dates(text) and not find_urls(text)
            and not find_quantities(text) and not looks_like_sentence(text) and not text.rstrip().endswith(":")
            and any(ch.isalpha() for ch in text) and len(text) >= 3 and not (find_ids(text) and len(text.split()) <= 2)
            and not any(c.line == r.page.index(line) for c in r.cues) and line.number not in r.value_lines
            and fold(text) not in vocabulary().placeholder_names)


def _layout(r: Reading, taken: set[int]) -> list[Candidate]:
    """Free lines scored by size; a letterhead (an organisation's name above the heading or the opening words)
    scores less, and the line after one ending in ':' ('with the poster:') more."""
    opening = min((r.page.index(line) for line in r.lines if line.number in r.headings), default=-1)
    out = []
    for at, line in enumerate(r.lines):
        if not _free(r, line, taken):
            continue
        score = 0.8 + 0.9 * r.page.prominence(line)
        if at < opening or (is_org(line.text) and r.page.near_top(line)):
            score -= 1.0
        if is_name(line.text):
            score -= 0.7       # a person's name (a signatory, an instructor) more likely than a title
        if at > 0 and r.lines[at - 1].text.rstrip().endswith(":") and r.lines[at - 1].number not in r.label_lines:
            score += 1.5
        out.append(Candidate(score, r.continuation(line), line, cued=False))
    return out


def title(r: Reading, taken: set[int], noun: ActivityNoun) -> Candidate | None:
    """The best title candidate; phrase and label candidates gain from their line's size too."""
    out: list[Candidate] = [Candidate(4.0, cut_phrase(h.value), h.value_line) for h in r.labels_for("title")
                            if sum(ch.isalpha() for ch in h.value) >= 3]
    for cue in r.cues_of("ACHIEVE"):
        out.extend(_from_verb(r, cue, noun))
    for cue in r.cues_of("DONE_BY"):
        # 'Excel Essential Training / Course completed by Jane Doe': the title stands just above
        if cue.line > 0 and fold(r.before(cue)).split()[-1:] in ([], ["course"], ["module"], ["program"],
                                                              ["programme"], ["training"], ["path"]):
            above = r.lines[cue.line - 1]
            if _free(r, above, taken):
                out.append(Candidate(2.5, r.continuation(above), above))
    out.extend(_layout(r, taken))
    kept = [Candidate(c.score + (0.5 * r.page.prominence(c.line) if c.line and c.cued else 0.0), _unquote(c.value), c.line)
            for c in out if c.value and c.line is not None and len(c.value) >= 2
            and (c.score >= 3 or c.line.number not in taken)]
    return best(kept)


def items(r: Reading, cue: Cue | None) -> list[tuple[Line, str]]:
    """The events listed after a verb whose object is a plural with no name ('the co-located events ... :')."""
    if cue is None:
        return []
    obj = fold(r.after(cue))
    if not any(w in _PLURAL for w in obj.split()[:6]):
        return []
    found: list[tuple[Line, str]] = []
    for line in r.lines[cue.line + 1:cue.line + 12]:
        item = r.bullet(line)
        if item is None:
            if found:
                break
            continue
        found.append((line, item.strip(" .;")))
    return found if len(found) >= 2 else []


def activity_type(r: Reading, noun: ActivityNoun, title_text: str) -> str:
    """The delivery method a label or a NASBA line names, else the activity noun of the sentence."""
    types = vocabulary().delivery_types
    for hit in r.labels_for("delivery"):
        folded = fold(hit.value)
        return next((v for k, v in types.items() if k in folded), hit.value)
    whole = " ".join(fold(line.text) for line in r.lines)
    for key in ("qas self study", "group internet based", "group live", "nano learning"):
        if key in whole:
            return types[key]
    return noun.text or _appositive(r) or type_in_title(title_text)


def _appositive(r: Reading) -> str:
    """'an online non-credit course authorized by ...': a line that says what kind of activity it was."""
    for line in r.lines:
        words = line.text.split()
        if words and words[0].lower() in ("a", "an", "un", "une", "ein", "eine", "un", "una"):
            noun = ActivityNoun()
            _object(line.text, noun)
            if noun.text:
                return noun.text
    return ""


def type_in_title(title_text: str) -> str:
    """An item named 'The European Galaxy Days (EGD) Meeting' is a meeting."""
    words = fold(title_text).split()
    last = next((w for w in reversed(words) if w in ACTIVITY_WORDS and w not in {"de", "en", "a", "sobre"}), "")
    return last if words and last in {"meeting", "conference", "webinar", "workshop", "seminar", "summit",
                                      "symposium", "congress", "colloque", "tagung", "kongress", "congreso"} else ""
