"""The phrases a certificate is written in, found with spaCy's rule-based Matcher.

One Doc per certificate (its lines joined by newlines; a blank multilingual-enough English tokenizer, no
model). Each match becomes a `Cue`: its kind, the line it starts on and where in that line it stands, so
the field readers can take the text after it (the learner after "certifies that", the activity after
"has completed") or before it ("Jane Smith has completed ...").

Kinds:
  CERTIFY    the phrase before the learner: "certifies that", "is hereby granted to", "atteste que", "otorgado a"
  CONGRATS   "Congratulations, NAME", "Félicitations", "Herzlichen Glückwunsch"
  ACHIEVE    the verb before (German: after) the activity: "has successfully completed", "for participating in",
             "a suivi", "hat ... teilgenommen", "ha completado"
  DONE_BY    "Course completed by NAME"
  BY         the phrase before the provider: "presented by", "offered through", "organisé par", "organizado por"
A verb with "will", "to", "plan"... in the three tokens before it (a plan, an invitation) is no cue.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["Cue", "find_cues", "BY_STRENGTH"]

_HAVE = ["has", "have", "had", "a", "ont", "ha", "han", "hat", "haben"]
_WELL = ["successfully", "satisfactorily", "fully", "erfolgreich", "avec", "succès", "con", "éxito", "exito",
         "hereby", "officially"]
_VERBS_EN = ["completed", "attended", "participated", "passed", "finished", "undertook", "earned", "achieved",
             "concluded", "accomplished", "followed", "undertaken"]
_GERUNDS = ["completing", "participating", "attending", "finishing", "passing", "taking", "achieving"]
_NOUNS = ["completion", "participation", "attendance", "achievement"]
_VERBS_FR = ["suivi", "participé", "participe", "assisté", "assiste", "complété", "réussi", "reussi",
             "terminé", "termine", "achevé", "acheve", "validé", "valide"]
_VERBS_DE = ["teilgenommen", "absolviert", "abgeschlossen", "besucht", "bestanden", "erworben", "teilnahm", "absolvierte"]
_VERBS_ES = ["completado", "participado", "asistido", "realizado", "superado", "cursado", "finalizado", "aprobado",
             "concluido", "completó", "participó", "asistió", "cursó", "realizó", "aprobó", "finalizó"]
_NEGATORS = {"been", "will", "to", "plan", "planned", "intend", "intends", "not", "yet", "shall", "must", "should", "may",
             "can", "would", "wird", "werden", "va", "vont", "pas", "no", "para", "pour", "zu", "soll"}

_PATTERNS: dict[str, list[list[dict[str, Any]]]] = {
    "CERTIFY": [
        [{"LOWER": {"IN": ["certify", "certifies", "certified", "confirm", "confirms", "attest", "attests", "acknowledge",
                           "acknowledges", "declare", "declares", "recognises", "recognizes", "certifie", "certifions",
                           "atteste", "attestons", "confirme", "confirmons", "certifica", "certifican", "certificamos",
                           "acredita", "constar", "bestätigt", "bestaetigt", "bescheinigt", "bestätigen", "bescheinigen"]}},
         {"TEXT": ",", "OP": "?"},
         {"LOWER": {"REGEX": r"^(that|que|qu['’].*|dass|daß)$"}}],
        [{"LOWER": {"IN": ["awarded", "presented", "granted", "issued", "given", "conferred", "décerné", "decerne",
                           "décernée", "remis", "remise", "délivré", "delivre", "otorgado", "otorgada", "otorga",
                           "concede", "confiere", "entrega", "verliehen", "ausgestellt"]}},
         {"LOWER": {"IN": ["to", "à", "a", "an", "für"]}}],
    ],
    "CONGRATS": [[{"LOWER": {"IN": ["congratulations", "congrats", "félicitations", "felicitations", "felicidades",
                                    "enhorabuena", "felicitaciones", "glückwunsch", "gluckwunsch"]}}]],
    "ACHIEVE": [
        [{"LOWER": {"IN": _HAVE}, "OP": "?"}, {"LOWER": {"IN": _WELL}, "OP": "*"},
         {"LOWER": {"IN": _VERBS_EN + _VERBS_FR + _VERBS_DE + _VERBS_ES}}],
        [{"LOWER": {"IN": ["for", "on", "upon", "après", "por", "pour"]}}, {"LOWER": {"IN": _WELL}, "OP": "*"},
         {"LOWER": {"IN": _GERUNDS}}],
        [{"LOWER": {"IN": ["for", "on", "upon", "of", "pour", "por", "für", "fur"]}},
         {"LOWER": {"IN": ["the", "his", "her", "their", "your", "sa", "son", "su", "die", "seine", "ihre"]}, "OP": "?"},
         {"LOWER": {"IN": ["successful", "satisfactory", "active", "full"]}, "OP": "?"},
         {"LOWER": {"IN": _NOUNS + ["participación", "participacion", "asistencia", "teilnahme", "présence"]}},
         {"LOWER": {"IN": ["of", "in", "at", "à", "au", "aux", "en", "a", "al", "am", "an", "der", "del"]}}],
        [{"LOWER": {"IN": ["haber", "avoir"]}}, {"LOWER": {"IN": _VERBS_FR + _VERBS_ES}}],
        [{"LOWER": {"IN": _HAVE}, "OP": "?"}, {"LOWER": {"IN": ["took", "taken", "taking"]}}, {"LOWER": "part"},
         {"LOWER": {"IN": ["in", "at"]}}],
    ],
    "DONE_BY": [[{"LOWER": {"IN": ["completed", "attended", "passed", "finished", "earned", "achieved"]}},
                 {"LOWER": "by"}]],
    "BY": [[{"LOWER": {"IN": ["presented", "delivered", "provided", "organised", "organized", "hosted", "run",
                              "conducted", "facilitated", "offered", "authorized", "authorised", "sponsored", "issued",
                              "accredited", "taught", "powered", "produced", "endorsed", "organisé", "organisée",
                              "organise", "dispensé", "dispensée", "proposé", "proposée", "animé", "animée",
                              "présenté", "présentée", "veranstaltet", "durchgeführt", "angeboten", "organisiert",
                              "ausgerichtet", "organizado", "organizada", "impartido", "impartida", "ofrecido",
                              "ofrecida", "dictado", "presentado", "avalado"]}},
            {"LOWER": {"IN": ["by", "through", "via", "par", "von", "durch", "por"]}}]],
}

# How sure a provider cue is: the teacher of a class is no organisation; a platform "offered through" is
# weaker than the body that authorised or presented the course.
BY_STRENGTH = {"taught": 0.5, "issued": 1.5, "through": 2.0, "via": 2.0, "powered": 1.0}


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue phrase: its kind, its line (index in the page), its characters there, its words (lower case)."""

    kind: str
    line: int
    start: int
    end: int
    words: tuple[str, ...]

    @property
    def verb(self) -> str:
        return self.words[-1]


@lru_cache(maxsize=1)
def _pipeline() -> tuple[Any, Any]:
    import mappers.lightspacy  # noqa: F401,I001  (first: spaCy imported without its command line)
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab)
    for label, patterns in _PATTERNS.items():
        matcher.add(label, patterns, greedy="LONGEST")
    return nlp, matcher


def find_cues(texts: Sequence[str]) -> list[Cue]:
    """Every cue in the lines, in reading order; a cue runs to the end of its first line at most."""
    nlp, matcher = _pipeline()
    doc = nlp("\n".join(texts))
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    cues = []
    for match_id, begin, end in matcher(doc):
        kind = nlp.vocab.strings[match_id]
        span = doc[begin:end]
        if kind == "ACHIEVE" and _negated(doc, begin):
            continue
        line = _line_of(starts, span.start_char)
        offset = starts[line]
        stop = min(span.end_char - offset, len(texts[line]))
        cues.append(Cue(kind, line, span.start_char - offset, stop, tuple(t.lower_ for t in span if not t.is_space)))
    return sorted(cues, key=lambda c: (c.line, c.start))


def _negated(doc: Any, begin: int) -> bool:
    before = {doc[i].lower_ for i in range(max(0, begin - 3), begin)}
    return bool(before & _NEGATORS)


def _line_of(starts: Sequence[int], char: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if starts[mid] <= char:
            low = mid
        else:
            high = mid - 1
    return low
