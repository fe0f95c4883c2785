"""One certificate being read: its page, its cue phrases, its labelled values, and what each line is.

The field readers (people, activity, facts) ask this object; it decides once which lines are the heading
that names the document type, which sign the certificate, which are labels, and keeps a `Candidate` list
per field so that a value is a scored choice among the lines that could hold it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .cues import Cue, find_cues
from .labels import Labelled, find_labelled, label_only
from .page import Line, Page
from .vocabulary import fold, vocabulary

__all__ = ["Candidate", "Reading", "best", "cut_phrase", "strip_filler"]

_DOC_KIND = re.compile(
    r"^(?:(?:professional|course|completion|attendance|training|cpd|cpe|official)\s+)?"
    r"(?:certificate|certificat|certificado|certification|attestation|diploma|award|zertifikat|constancia|"
    r"statement|record|bescheinigung)\s+(?:of|de|d|del|der|du)\s+\w+(?:\s+\w+)?$"
)
_BULLET = re.compile(r"^\s*(?:[•·▪■◦○●*✓✔►▸‣⁃]|[-–—]\s|\d{1,2}[.)]\s)\s*")
_QUOTED = re.compile(r"[“\"«„‘]\s*([^”\"»“‘’]{3,}?)\s*[”\"»“’]")
# Words between a verb and its object: articles, prepositions, in the four languages.
FILLER = frozenset(
    "the a an in at on to of for : – — - à au aux la le les l l' el los las en an am im der die das dem den des del al "
    "de du d' un une einen einem einer eines einem zum zur".split()
)
_STOPS = re.compile(
    r"\s+(?:held|taking place|took place|which|who|lasting|totalling|totaling|worth|earning|qualifying|"
    r"with a (?:duration|total|length)|for a (?:duration|total)|d['’]une durée|d['’]une duree|con una duración|"
    r"con una duracion|mit einem umfang|im umfang|d['’]une|de una)\b"
    r"|\s+(?:on|le|am|el|du|vom|from|del)\s+(?=\d)|\s*[,;|]\s+|\s+[–—]\s+|\s+-\s+|\.\s*$|\.\s+(?=[A-Z])",
    re.IGNORECASE,
)


_TRAILING = re.compile(r"(?:\s+(?:and|et|und|y|or|ou|oder|o|&))+\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible value of a field: how strongly the page says so, the value, and the line it stands on."""

    score: float
    value: str
    line: Line | None
    cued: bool = True      # found by a phrase or a label; False where only the layout speaks for it


def best(candidates: list[Candidate]) -> Candidate | None:
    """The highest score; the earliest line wins a tie."""
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.score, -(c.line.number if c.line else 0)))


def strip_filler(text: str, skip: frozenset[str] = frozenset()) -> str:
    """Leading articles and prepositions (and any `skip` words) dropped: 'the online course X' -> 'X' with skip."""
    words = text.split()
    i = 0
    while i < len(words) and (fold(words[i]) in FILLER or words[i].lower() in FILLER or fold(words[i]) in skip):
        i += 1
    return " ".join(words[i:])


def cut_phrase(text: str, stops: list[int] | None = None) -> str:
    """A phrase cut where a clause, a date or a figure begins; `stops` are more cut points (cue starts)."""
    end = len(text)
    for stop in stops or ():
        if 0 < stop < end:
            end = stop
    found = _STOPS.search(text[:end])
    if found and found.start() > 0:
        end = found.start()
    return _TRAILING.sub("", text[:end]).strip(" .,:;–—-")


class Reading:
    """One certificate's page with its cues and labels, and the line roles every field reader shares."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.lines = page.lines
        self.cues: list[Cue] = find_cues([line.text for line in page.lines])
        self.labelled: list[Labelled] = find_labelled(page)

    def cues_of(self, *kinds: str) -> list[Cue]:
        return [c for c in self.cues if c.kind in kinds]

    def after(self, cue: Cue) -> str:
        return self.lines[cue.line].text[cue.end:]

    def before(self, cue: Cue) -> str:
        return self.lines[cue.line].text[:cue.start]

    def cues_of_line(self, line: int, *kinds: str) -> list[Cue]:
        return [c for c in self.cues if c.line == line and c.kind in kinds]

    def labels_for(self, field: str) -> list[Labelled]:
        return [hit for hit in self.labelled if hit.field == field]

    @cached_property
    def label_lines(self) -> set[int]:
        """Lines that are labels, or label and value together."""
        return {hit.label_line.number for hit in self.labelled} | {
            line.number for line in self.lines if label_only(line)}

    @cached_property
    def value_lines(self) -> set[int]:
        """Lines that hold the value of a label standing on another line (other than a title label)."""
        return {hit.value_line.number for hit in self.labelled
                if hit.value_line is not hit.label_line and hit.field != "title"}

    @cached_property
    def headings(self) -> set[int]:
        """Lines that name the kind of document ('Certificate of Completion'), never an activity."""
        out = set()
        for line in self.lines:
            folded = fold(line.text)
            if folded in vocabulary().document_types or _DOC_KIND.match(folded):
                out.add(line.number)
        return out

    @cached_property
    def signatories(self) -> set[int]:
        """Signature blocks: job-title lines, 'Signed by', and the name standing just above or beside them."""
        titles = vocabulary().signatory_titles
        out: set[int] = set()
        for at, line in enumerate(self.lines):
            folded = fold(line.text)
            words = folded.split()
            if folded in titles or (words and len(words) <= 6 and (words[0] in titles or " ".join(words[:2]) in titles
                                                                   or words[-1] in titles)):
                out.add(line.number)
                if at > 0 and not self.lines[at - 1].text.rstrip().endswith(":"):
                    out.add(self.lines[at - 1].number)
            elif line.text.rstrip().endswith(":") and folded.startswith(("signed", "signature", "firma", "unterschrift")):
                out.update(o.number for o in self.lines[at + 1:at + 3])
        for hit in self.labels_for("instructor"):
            out.update({hit.label_line.number, hit.value_line.number})
        return out

    @cached_property
    def opening(self) -> int:
        """The position of the first line of the certificate's sentence ('This certifies that', a verb)."""
        return min((c.line for c in self.cues if c.kind in ("CERTIFY", "CONGRATS", "ACHIEVE")), default=len(self.lines))

    def near_top(self, line: Line) -> bool:
        """Above the certificate's opening sentence, or (where the layout is known) in the top of the page."""
        return self.page.index(line) < self.opening or (self.page.styled and self.page.near_top(line))

    def bullet(self, line: Line) -> str | None:
        """The item text of a list line ('• The EuroScienceGateway Final Conference'), else None."""
        found = _BULLET.match(line.text)
        return line.text[found.end():].strip() if found else None

    def quoted(self, text: str) -> str | None:
        found = _QUOTED.search(text)
        return found.group(1).strip() if found else None

    def continuation(self, line: Line) -> str:
        """A title that wraps: the line and the next ones of the same style (where the layout is known)."""
        parts = [line.text]
        at = self.page.index(line)
        for nxt in self.lines[at + 1:at + 3]:
            prev = self.lines[at + len(parts) - 1]
            if (not self.page.styled or nxt.style is None or prev.style is None
                    or abs(nxt.size - prev.size) > 0.5 or nxt.bold != prev.bold
                    or prev.text.rstrip().endswith((".", ":")) or nxt.number in self.label_lines
                    or any(c.line == at + len(parts) for c in self.cues)
                    or abs(nxt.style.top - prev.style.top) > 2.2 * max(prev.size, 1.0)):
                break
            parts.append(nxt.text)
        return " ".join(parts)
