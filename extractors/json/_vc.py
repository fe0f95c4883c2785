"""W3C verifiable credentials in schema.org learning terms: the DCC samples and the early vc-ed-models.

The Digital Credentials Consortium's LearningCredential (and its ProgramCompletionCredential) and the
W3C CCG "vc-ed-models" drafts say what was learned with schema.org's vocabulary:
- `credentialSubject` is the learner (a Person: `name`, or only a DID as `id`);
- `credentialSubject.hasCredential` is the award: a schema.org EducationalOccupationalCredential or, in
  vc-ed-models, an Open Badges 2.0 BadgeClass (name, description, criteria);
- `hasCredential.awardedOnCompletionOf` is defined by the DCC context (https://w3id.org/dcc/v1) as the
  reverse of schema.org's educationalCredentialAwarded, "a description of the qualification, award,
  certificate, diploma or other educational credential awarded as a consequence of successful completion
  of this course or program": it is the Course (name, `courseCode`, `numberOfCredits`,
  `hasCourseInstance` with `startDate` / `endDate`) or EducationalOccupationalProgram (name,
  `identifier`, `startDate`, `endDate`) that was completed;
- `issuer` is the awarding organisation (Issuer / Profile with a `name`, or only its DID);
  `issuanceDate` (VC 1.1) or `validFrom` (VC 2.0) is when the credential was issued.

The rules chosen:
1. What was completed is the activity, titled by the course or programme name; where the credential
   names nothing it was awarded for, the credential (badge) itself is the activity.
2. The course instance's (or programme's) start and end dates are the activity's dates; empty strings
   are no dates; the issue date is the completion date only where no end date is given.
3. `numberOfCredits` is academic credit, not CPD time: kept as the record's credits, never as CPD hours.
4. The course code (else the programme identifier) is the reference; DIDs and IRIs are not.
"""
from __future__ import annotations

import re

from ..model import CellValue, Issue, Location, RawRecord
from ._credentials import Index, Path, Read, subject_of
from ._types import Json, calendar_date, language_text, meant, obj, pointer, put, text

__all__ = ["read_vc"]

_NUMBER = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")


def read_vc(path: Path, credential: dict[str, Json], index: Index) -> Read:
    subject = subject_of(credential)
    held = subject.get("hasCredential")
    awards = [(i, index.resolve(a)) for i, a in enumerate(held)] if isinstance(held, list) else \
        [(None, index.resolve(held))]
    records: list[RawRecord] = []
    issues: list[Issue] = []
    for i, award in awards:
        where = path + ("credentialSubject", "hasCredential") + ((i,) if i is not None else ())
        record = _record(where, credential, subject, award, index)
        if record is None:
            issues.append(Issue("untitled_credential", "A credential names no course, programme or award; "
                                "it was skipped.", Location(pointer=pointer(*where))))
        else:
            records.append(record)
    return records, issues


def _record(where: Path, credential: dict[str, Json], subject: dict[str, Json], award: dict[str, Json],
            index: Index) -> RawRecord | None:
    done = index.resolve(award.get("awardedOnCompletionOf"))
    title = language_text(done.get("name")) or language_text(award.get("name"))
    if title is None:
        return None
    instance = index.resolve(done.get("hasCourseInstance"))
    started = calendar_date(instance.get("startDate")) or calendar_date(done.get("startDate"))
    ended = calendar_date(instance.get("endDate")) or calendar_date(done.get("endDate"))
    issued = calendar_date(credential.get("awardedDate")) or calendar_date(credential.get("issuanceDate")) or \
        calendar_date(credential.get("validFrom"))
    fields: dict[str, CellValue] = {"title": title, "status": "completed"}
    put(fields, "description", language_text(done.get("description")) or language_text(award.get("description")))
    put(fields, "provider", _name(index, done.get("provider")) or _name(index, credential.get("issuer")))
    put(fields, "learner", meant(language_text(subject.get("name"))))
    put(fields, "started_on", started)
    put(fields, "completed_on", ended or issued)
    put(fields, "reference", text(done.get("courseCode")) or _identifier(done.get("identifier")))
    credits = _credits(done.get("numberOfCredits"))
    if credits is not None:
        fields["academic_credits"], fields["academic_credits_unit"] = credits, "credits"
    on = "awarded on completion" if done else "awarded"
    return RawRecord(Location(pointer=pointer(*where, *(("awardedOnCompletionOf",) if done else ()))), fields,
                     f"{title}, {on} ({ended or issued or 'no date'})")


def _name(index: Index, organisation: Json) -> str | None:
    return meant(language_text(index.resolve(organisation).get("name")))


def _identifier(value: Json) -> str | None:
    """A schema.org identifier: a string, or a PropertyValue's `value`; an IRI or DID is not a reference."""
    found = text(value) if isinstance(value, str) else text(obj(value).get("value"))
    if found is None or re.match(r"^(?:https?|did|urn):", found, re.IGNORECASE):
        return None
    return found


def _credits(value: Json) -> float | None:
    """schema.org numberOfCredits: a number, or a StructuredValue whose `value` may be a string ("2.4")."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value):
        return float(value.replace(",", "."))
    return None

