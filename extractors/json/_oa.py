"""OpenAttestation 2.0 wrapped documents, and the OpenCerts certificates and transcripts they carry.

Specification facts used here (OpenAttestation documentation, "How does it work?"; OpenCerts schema 2.0):
- a wrapped document is {"version": "https://schema.openattestation.com/2.0/schema.json", "data": {...},
  "signature": {...}, "privacy": {...}}; wrapping transforms every value of `data`: "Generate a salt
  using uuid v4 ... Determine the type of original property. Transform the original value to
  `<salt>:<original-type>:<original-value>`. The shape of the input object remains untouched.";
  the types are JavaScript's (string, number, boolean, null, undefined); a field obfuscated by the holder
  is removed from `data` and only its hash remains in `privacy.obfuscatedData`;
- an OpenCerts certificate's `data` has `name` (the certificate, e.g. the qualification), `issuedOn`,
  `admissionDate`, `graduationDate`, `issuers[]` (`name`), `recipient` (`name`, masked ids) and an optional
  `transcript[]` of courses, each with `name`, `courseCode`, `grade`, `courseCredit`, `examinationDate`,
  `semester`.

The rules chosen:
1. Values are unsalted before anything is read (a value that is not salted is read as it is).
2. A transcript lists its courses as activities when each has its own date or grade: the programme the
   courses lead to is the award, not another activity. A certificate without such a transcript is one
   activity, the programme: admissionDate to graduationDate, else the issue date as its only date.
3. `courseCredit` is academic credit, kept as the record's credits, never as CPD hours.
4. Dates written as local midnight ("2020-12-01T00:00:00+08:00") keep the day written.
5. The issuer's name is the provider; a placeholder recipient ("Your Name") is no learner.
6. An OpenAttestation document that is not a certificate (a bill of lading, an invoice) gives no activity.
"""
from __future__ import annotations

import re

from ..model import CellValue, Issue, Location, RawRecord
from ._types import Found, Json, Parsed, arr, calendar_date, language_text, meant, obj, pointer, put, text

__all__ = ["read", "unsalt"]

_SALTED = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:"
                     r"(string|number|boolean|null|undefined):(.*)$", re.IGNORECASE | re.DOTALL)
MAX_DEPTH = 64


def read(parsed: Parsed) -> Found | None:
    """Records of an OpenAttestation 2.0 wrapped certificate; None when the file is not one."""
    document = obj(parsed.value)
    data = document.get("data")
    if not isinstance(data, dict) or not _is_wrapped(document, data):
        return None
    certificate = obj(unsalt(data))
    if not isinstance(certificate.get("transcript"), list) and not isinstance(certificate.get("recipient"), dict):
        name = language_text(certificate.get("name")) or "This document"
        return "credentials", [], [Issue("not_a_learning_record", f"'{name}' is an OpenAttestation document that "
                                         "is not a certificate of learning; it gives no activity.")]
    courses = [(i, obj(c)) for i, c in enumerate(arr(certificate.get("transcript")))
               if text(obj(c).get("name")) is not None]
    if courses and all(_dated(c) for _, c in courses):
        return "credentials", [_course(i, course, certificate) for i, course in courses], []
    programme = _programme(certificate)
    if programme is None:
        return "credentials", [], [Issue("untitled_credential", "The certificate names no programme or course; "
                                         "it gives no activity.", Location(pointer="/data"))]
    return "credentials", [programme], []


def _is_wrapped(document: dict[str, Json], data: dict[str, Json]) -> bool:
    version = text(document.get("version")) or ""
    if "openattestation" in version.casefold():
        return True
    return "signature" in document and any(isinstance(v, str) and _SALTED.match(v) for v in data.values())


def unsalt(value: Json, depth: int = 0) -> Json:
    """`data` with every `<uuid>:<type>:<value>` turned back into its value (rule 1)."""
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, dict):
        return {k: unsalt(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [unsalt(v, depth + 1) for v in value]
    if not isinstance(value, str):
        return value
    salted = _SALTED.match(value)
    if salted is None:
        return value
    kind, raw = salted.group(1).casefold(), salted.group(2)
    if kind == "string":
        return raw
    if kind == "boolean":
        return raw.strip().casefold() == "true"
    if kind == "number":
        try:
            number = float(raw)
        except ValueError:
            return raw
        return int(number) if number.is_integer() else number
    return None


def _dated(course: dict[str, Json]) -> bool:
    return text(course.get("examinationDate")) is not None or text(course.get("grade")) is not None


def _common(certificate: dict[str, Json]) -> dict[str, CellValue]:
    fields: dict[str, CellValue] = {"status": "completed"}
    issuer = next((obj(i) for i in arr(certificate.get("issuers")) if text(obj(i).get("name"))), {})
    put(fields, "provider", meant(text(issuer.get("name"))))
    put(fields, "learner", meant(text(obj(certificate.get("recipient")).get("name"))))
    return fields


def _course(index: int, course: dict[str, Json], certificate: dict[str, Json]) -> RawRecord:
    title = text(course.get("name")) or ""
    fields = {"title": title, **_common(certificate)}
    put(fields, "completed_on", calendar_date(course.get("examinationDate")))
    put(fields, "reference", text(course.get("courseCode")))
    put(fields, "description", text(course.get("description")))
    credit = course.get("courseCredit")
    if isinstance(credit, str) and re.fullmatch(r"\d+(?:\.\d+)?", credit.strip()):
        credit = float(credit)
    if isinstance(credit, (int, float)) and not isinstance(credit, bool):
        fields["academic_credits"], fields["academic_credits_unit"] = credit, "credits"
    grade = text(course.get("grade"))
    return RawRecord(Location(pointer=pointer("data", "transcript", index)), fields,
                     f"{title}{f', grade {grade}' if grade else ''}")


def _programme(certificate: dict[str, Json]) -> RawRecord | None:
    title = text(certificate.get("name")) or text(obj(certificate.get("recipient")).get("course"))
    if title is None:
        return None
    fields = {"title": title, **_common(certificate)}
    started = calendar_date(certificate.get("admissionDate"))
    ended = calendar_date(certificate.get("graduationDate")) or calendar_date(certificate.get("attainmentDate"))
    put(fields, "started_on", started)
    put(fields, "completed_on", ended or (calendar_date(certificate.get("issuedOn")) if started is None else None))
    put(fields, "description", text(certificate.get("description")))
    return RawRecord(Location(pointer=pointer("data")), fields, f"{title}, issued {text(certificate.get('issuedOn'))}")
