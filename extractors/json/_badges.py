"""Open Badges 3.0 and CLR 2.0 credentials (1EdTech), and Open Badges 2.0 assertions.

Specification facts used here:
- an OB 3.0 credential is a W3C verifiable credential whose `type` includes "OpenBadgeCredential" or
  "AchievementCredential"; `credentialSubject.achievement` is what was achieved (name, description,
  achievementType, creditsAvailable, humanCode), `credentialSubject.creditsEarned` what the learner
  earned, `activityStartDate`/`activityEndDate` when they did it; `awardedDate`, `validFrom` (VC 2.0)
  or `issuanceDate` (VC 1.1) when it was awarded; `issuer` is a Profile (or just its IRI);
- a CLR 2.0 credential ("ClrCredential") carries the learner's awarded achievements as credentials in
  `credentialSubject.verifiableCredential`; achievements listed only in `credentialSubject.achievement`
  were not awarded by it;
- the learner is named, when at all, in `credentialSubject.identifier` (IdentityObject, not hashed);
- ids (achievement.id, credential id) are IRIs, not references: `humanCode` and `otherIdentifier` are;
- an OB 2.0 assertion ("type": "Assertion") embeds or links its `badge`; `issuedOn` is the award date.
Membership credentials (achievementType "Membership") are not learning and give no record.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..model import CellValue, Location, RawRecord
from ._types import Found, Json, Parsed, arr, language_text, obj, pointer, text

__all__ = ["read"]

ACHIEVEMENT_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
CREDENTIAL_TYPES = ACHIEVEMENT_TYPES | {"ClrCredential", "VerifiablePresentation", "Assertion", "EndorsementCredential"}
NOT_LEARNING = frozenset({"membership"})
# achievementType values that say nothing of the kind of learning (the mapper would read "Course" as a type).
GENERIC = frozenset({"achievement", "badge", "course", "certificate", "certificateofcompletion", "microcredential",
                     "award", "competency", "learningprogram"})


def _types(value: Json) -> set[str]:
    kinds = obj(value).get("type")
    return {k for k in ([kinds] if isinstance(kinds, str) else arr(kinds)) if isinstance(k, str)}


def read(parsed: Parsed) -> Found | None:
    """Records for awarded achievements; None when the file holds no credential."""
    roots = arr(parsed.value) if isinstance(parsed.value, list) else [parsed.value]
    found = [(path, c) for i, root in enumerate(roots)
             for path, c in _credentials(root, (i,) if isinstance(parsed.value, list) else ())]
    if not found:
        return None
    records = []
    for path, credential, parent in _achievement_credentials(found):
        record = _record(path, credential, parent)
        if record is not None:
            records.append(record)
    return "credentials", records, []


def _credentials(value: Json, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Json]]]:
    """Credentials at the top, in a list, or wrapped in a presentation or {"credential": ...}."""
    if not isinstance(value, dict):
        return
    kinds = _types(value)
    if "VerifiablePresentation" in kinds or (not kinds & CREDENTIAL_TYPES and "verifiableCredential" in value):
        for i, inner in enumerate(arr(value.get("verifiableCredential"))):
            if isinstance(inner, dict):
                yield path + ("verifiableCredential", i), inner
    elif kinds & CREDENTIAL_TYPES or "credentialSubject" in value:
        yield path, value
    elif isinstance(value.get("credential"), dict):
        yield from _credentials(value["credential"], path + ("credential",))


def _achievement_credentials(found: list[tuple[tuple[str | int, ...], dict[str, Json]]]) -> Iterator[
        tuple[tuple[str | int, ...], dict[str, Json], dict[str, Json] | None]]:
    for path, credential in found:
        kinds = _types(credential)
        if "ClrCredential" in kinds:
            subject = obj(credential.get("credentialSubject"))
            for i, inner in enumerate(arr(subject.get("verifiableCredential"))):
                if isinstance(inner, dict):
                    yield path + ("credentialSubject", "verifiableCredential", i), inner, credential
        elif "EndorsementCredential" not in kinds:
            yield path, credential, None


def _record(path: tuple[str | int, ...], credential: dict[str, Json], parent: dict[str, Json] | None) -> RawRecord | None:
    if "Assertion" in _types(credential):
        return _assertion(path, credential)
    subject = _subject(credential)
    achievement = obj(subject.get("achievement"))
    kind = text(achievement.get("achievementType")) or ""
    awarded = text(credential.get("awardedDate")) or text(credential.get("validFrom")) or \
        text(credential.get("issuanceDate"))
    title = language_text(achievement.get("name")) or language_text(credential.get("name"))
    if kind.casefold() in NOT_LEARNING or awarded is None or title is None:
        return None
    parent_subject = _subject(parent) if parent is not None else {}
    fields: dict[str, CellValue] = {"title": title}
    _put(fields, "description", language_text(achievement.get("description")))
    _put(fields, "provider", _issuer_name(credential.get("issuer")) or _issuer_name(achievement.get("creator"))
         or (_issuer_name(parent.get("issuer")) if parent is not None else None))
    _put(fields, "learner", _learner(subject) or _learner(parent_subject))
    _put(fields, "started_on", text(subject.get("activityStartDate")))
    fields["completed_on"] = text(subject.get("activityEndDate")) or awarded
    fields["status"] = "completed"
    credits = subject.get("creditsEarned", achievement.get("creditsAvailable"))
    if isinstance(credits, (int, float)) and not isinstance(credits, bool):
        fields["credits"], fields["credits_unit"] = credits, "credits"
    _put(fields, "reference", _reference(achievement))
    if kind and kind.casefold() not in GENERIC:
        fields["activity_type"] = kind
    where = pointer(*path, "credentialSubject", "achievement")
    return RawRecord(Location(pointer=where), fields, f"{title}, awarded {awarded}")


def _assertion(path: tuple[str | int, ...], assertion: dict[str, Json]) -> RawRecord | None:
    badge = obj(assertion.get("badge"))
    title = language_text(badge.get("name"))
    awarded = text(assertion.get("issuedOn"))
    if title is None or awarded is None or assertion.get("revoked") is True:
        return None
    fields: dict[str, CellValue] = {"title": title, "completed_on": awarded, "status": "completed"}
    _put(fields, "description", language_text(badge.get("description")))
    _put(fields, "provider", _issuer_name(badge.get("issuer")))
    recipient = obj(assertion.get("recipient"))
    if recipient.get("hashed") is False:
        _put(fields, "learner", text(recipient.get("identity")))
    return RawRecord(Location(pointer=pointer(*path, "badge")), fields, f"{title}, issued {awarded}")


def _subject(credential: dict[str, Json]) -> dict[str, Json]:
    subject = credential.get("credentialSubject")
    return obj(arr(subject)[0]) if isinstance(subject, list) and subject else obj(subject)


def _issuer_name(issuer: Json) -> str | None:
    return language_text(obj(issuer).get("name"))


def _learner(subject: dict[str, Json]) -> str | None:
    named = text(subject.get("name"))
    if named is not None:
        return named
    identities = [obj(i) for i in arr(subject.get("identifier"))]
    for wanted in ("name", "emailaddress"):
        for identity in identities:
            if identity.get("hashed") is False and (text(identity.get("identityType")) or "").casefold() == wanted:
                return text(identity.get("identityHash"))
    return None


def _reference(achievement: dict[str, Json]) -> str | None:
    code = text(achievement.get("humanCode"))
    if code is not None:
        return code
    for other in arr(achievement.get("otherIdentifier")):
        found = text(obj(other).get("identifier"))
        if found is not None:
            return found
    return None


def _put(fields: dict[str, CellValue], key: str, value: str | None) -> None:
    if value is not None:
        fields[key] = value
