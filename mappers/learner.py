"""The learner named once in a title block: "Name: Fiona MacLeod", "User: Chloe Martin (77812)", "Nom : ...".

Records often name their person once above the table rather than on every row. Only a labelled line
counts: a name is never taken from prose or from a report's "run by" line. A label the list below knows
("Name", "Naam", "Nom", "Nombre", "Teilnehmer") is enough with any name-like value. A label it does not
know, in whatever language, counts when it stands where a title block names its person (a short label, a
line of its own above the records) and its value is shaped like a person's name (two to four capitalised
words, no organisation's word), unless the label names someone else (a trainer, a manager, a signatory) or
another field (a course, a provider, a date). The first known label wins; else the first such line.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .headers import classify, fold
from .profiles import is_person_name

__all__ = ["learner_from_lines", "same_person"]

_LABELS = (
    r"name|full name|learner(?: name)?|user|employee(?: name)?|member(?: name)?|prepared for|attendee|"
    r"participant(?:e)?|delegate|student|candidate|trainee|nom(?: et pr[ée]nom)?|pr[ée]nom et nom|nom complet|"
    r"teilnehmer(?:in)?|mitarbeiter(?:in)?|name des teilnehmers|vollst[äa]ndiger name|nombre(?: y apellidos)?|"
    r"nombre completo|apellidos y nombre|participante|empleado|alumno|naam|volledige naam|deelnemer|medewerker|"
    r"nome(?: e cognome)?|partecipante|record of|cpd record (?:of|for)"
)
_KNOWN = re.compile(rf"^\s*(?:{_LABELS})\s*[:：]\s*(?P<value>.+?)\s*$", re.IGNORECASE)
_LABELLED = re.compile(r"^\s*(?P<label>[^\W\d_][^\W\d_ .'’/-]*(?:[ .'’/-]+[^\W\d_]+){0,2})\s*[:：]\s*(?P<value>.+?)\s*$")
_TRAILING_ID = re.compile(r"\s*[\(\[][^)\]]*\d[^)\]]*[\)\]]\s*$")
_MAX_WORDS = 6
_PARTICLES = frozenset("de van der den von zu du da di del della la le y ten ter bin al el".split())
_PERSON_FIELDS = frozenset({"learner", "learner_first", "learner_last", "email", "ignore"})
# Labels naming someone other than the learner, or something other than a person (German nouns are
# capitalised like names: "Thema: Erbschaftsteuer Grundlagen"), folded, as stems, in the languages records come in.
_NOT_THE_LEARNER = (
    "trainer", "instructor", "tutor", "teacher", "lecturer", "speaker", "presenter", "facilitator", "coach",
    "mentor", "assessor", "examiner", "manager", "supervisor", "director", "approv", "sign", "verif", "review",
    "author", "prepared by", "run by", "generated", "created", "issued", "contact", "witness", "partner",
    "referent", "dozent", "leiter", "vorgesetzt", "pruf", "formateur", "intervenant", "responsable", "signataire",
    "ponente", "profesor", "formador", "docent", "begeleider", "leidinggevende", "opgesteld", "relatore",
    "docente", "firm", "company", "employer", "organi", "provider", "course", "title", "event", "venue",
    "topic", "subject", "thema", "onderwerp", "sujet", "tema", "kurs", "cursus", "formation", "seminar",
    "veranstalt", "schulung", "training", "ort", "lieu", "plaats", "lugar", "datum", "date", "fecha", "anbieter",
    "location", "city", "place", "address", "adresse", "department", "abteilung", "afdeling", "team", "role",
    "rolle", "functie", "fonction", "position", "job",
)


def learner_from_lines(lines: Iterable[str]) -> str | None:
    """The first labelled learner name in the lines, or None."""
    shaped: str | None = None
    for raw in lines:
        for line in raw.splitlines():
            known = _KNOWN.match(line)
            if known is not None:
                value = _value(known.group("value"))
                if _is_name(value):
                    return value
                continue
            if shaped is None:
                shaped = _person_under_label(line)
    return shaped


def _person_under_label(line: str) -> str | None:
    """A person's name under a short label we do not know, when the label names no one else and no other field."""
    found = _LABELLED.match(line)
    if found is None:
        return None
    label, value = fold(found.group("label")), _value(found.group("value"))
    if not label or any(word in label for word in _NOT_THE_LEARNER) or not _person_shaped(value):
        return None
    match = classify(found.group("label"))
    if match is not None and match.field not in _PERSON_FIELDS:
        return None
    return value


def _person_shaped(value: str) -> bool:
    """A person's name, the particles of Dutch, German, French, Spanish and Arabic names allowed inside it
    ('Sanne de Vries', 'Ludwig van der Berg', 'Ana de la Cruz')."""
    words = value.split()
    inner = [w for w in words[1:-1] if w not in _PARTICLES]
    return len(words) <= 6 and is_person_name(" ".join([*words[:1], *inner, *words[-1:]]) if len(words) > 1 else value)


def _value(text: str) -> str:
    return _TRAILING_ID.sub("", text).strip(" ,;|")


def _is_name(value: str) -> bool:
    words = value.split()
    if not words or len(words) > _MAX_WORDS:
        return False
    if "@" in value:
        return True
    return sum(ch.isdigit() for ch in value) == 0 and any(ch.isalpha() for ch in value)


def same_person(learner: str | None, name: str | None) -> bool | None:
    """Whether a file's learner is the person `name` (a member profile's display name): True or False when the
    learner is written as a name or an e-mail address, None when either is missing or the learner is a single
    word, an id or a user name ('ohughes', 'HTC-00412'), which nothing here can tell apart.

    Names match whatever their order, case, accents and commas ('Hughes, Olivia' is 'Olivia Hughes'), with a
    middle name on one side only ('Olivia Jane Hughes'); an e-mail's local part is read as the name it spells
    ('olivia.hughes@...')."""
    if not learner or not name:
        return None
    theirs, ours = _name_words(learner), _name_words(name)
    if len(theirs) < 2 or not ours:
        return None
    return len(theirs & ours) >= min(2, len(ours))


def _name_words(text: str) -> frozenset[str]:
    return frozenset(w for w in fold(text.split("@", 1)[0]).split() if w.isalpha())   # ids' digits name no one
