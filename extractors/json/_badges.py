"""Open Badges 2.0 and 3.0, CLR 2.0 (1EdTech) and Blockcerts: the award of an achievement is an activity.

Specification facts used here (Open Badges 3.0 / CLR 2.0 appendix B.1, Open Badges 2.0 vocabulary):
- OB 3.0 AchievementCredentials "are representations of an awarded achievement, used to share
  information about a achievement belonging to one earner"; `credentialSubject.achievement` is "the
  achievement being awarded" (name, description, achievementType, humanCode, otherIdentifier,
  creditsAvailable, creator); `activityStartDate` / `activityEndDate`: "the datetime the activity
  started / ended"; `awardedDate`: "timestamp of when the credential was awarded" (kept when `validFrom`
  moves with a re-issue); `validFrom` (VC 2.0) or `issuanceDate` (VC 1.1); `issuer` is a Profile or its IRI;
- `creditsEarned`: "the number of credits earned, generally in semester or quarter credit hours";
  `creditsAvailable`: "credit hours associated with this entity": academic credit, not CPD time;
- `result[].status` is a ResultStatusType: Completed, Enrolled, Failed, InProgress, OnHold, Provisional,
  Withdrew;
- the learner is named, when at all, in `credentialSubject.identifier` (IdentityObject with
  `hashed` false) or a `name`; ids (achievement.id, credential id) are IRIs, not references:
  `humanCode` ("the code, generally human readable, associated with an achievement") and
  `otherIdentifier` are;
- a CLR 2.0 ClrCredential carries the learner's awarded achievements as AchievementCredentials in
  `credentialSubject.verifiableCredential`; an achievement listed only in `credentialSubject.achievement`
  has no award of its own in the record;
- an OB 2.0 Assertion awards its `badge` (a BadgeClass, embedded or named by IRI: hosted) on `issuedOn`;
  `recipient` names the earner by an identity that may be hashed; `revoked` true withdraws it; Blockcerts
  2.0 adds `recipientProfile.name`, the earner's name; a Blockcerts 3 credential (a W3C VC typed
  "BlockcertsCredential") names the earner in `credentialSubject.name` and, where it says what was
  achieved, a `credentialSubject.claim` (name, description, criteria); without a claim it may certify
  anything (an ID card, a membership) and is read as no learning.

The rules chosen:
1. An award is one activity, titled by the achievement (badge) name; a credential that was never
   awarded (no award date and no activity date) or was revoked gives none.
2. The activity's own dates (activityStartDate / activityEndDate) are its dates; the award date is the
   completion date only when the record has no date of the activity itself.
3. Academic credits (creditsEarned, else creditsAvailable) are kept as the record's credits, never as
   CPD hours.
4. Membership (achievementType "Membership") is no learning: left out, with a warning.
5. A hashed recipient names nobody; Blockcerts' recipientProfile.name comes before an e-mail identity.
"""
from __future__ import annotations

from ..model import CellValue, Issue, Location, RawRecord
from ._credentials import Index, Path, Read, subject_of
from ._types import Json, arr, calendar_date, language_text, meant, obj, pointer, put, text

__all__ = ["read_achievement", "read_clr", "read_assertion", "read_blockcerts"]

NOT_LEARNING = frozenset({"membership"})
# achievementType values that say nothing of the kind of learning (the mapper would read "Course" as a type).
GENERIC = frozenset({"achievement", "badge", "course", "certificate", "certificateofcompletion", "microcredential",
                     "award", "competency", "learningprogram"})
# OB 3.0 ResultStatusType -> the words the mappers read as statuses.
RESULT_STATUS = {"completed": "completed", "enrolled": "not started", "failed": "failed", "inprogress": "in progress",
                 "onhold": "in progress", "provisional": "in progress", "withdrew": "withdrawn"}


def read_clr(path: Path, clr: dict[str, Json], index: Index) -> Read:
    records: list[RawRecord] = []
    issues: list[Issue] = []
    for i, inner in enumerate(arr(subject_of(clr).get("verifiableCredential"))):
        if isinstance(inner, dict):
            more, worries = read_achievement(path + ("credentialSubject", "verifiableCredential", i), inner, index,
                                             clr)
            records.extend(more)
            issues.extend(worries)
    return records, issues


def read_achievement(path: Path, credential: dict[str, Json], index: Index,
                     parent: dict[str, Json] | None = None) -> Read:
    subject = subject_of(credential)
    achievement = index.resolve(subject.get("achievement"))
    where = Location(pointer=pointer(*path, "credentialSubject", "achievement"))
    title = language_text(achievement.get("name")) or language_text(credential.get("name"))
    kind = text(achievement.get("achievementType")) or ""
    if title is None:
        return [], [Issue("untitled_credential", "An awarded achievement has no name; it was skipped.", where)]
    if kind.casefold() in NOT_LEARNING:
        return [], [Issue("not_a_learning_record", f"'{title}' is a membership, not learning; it gives no "
                          "activity.", where)]
    awarded = text(credential.get("awardedDate")) or text(credential.get("validFrom")) or \
        text(credential.get("issuanceDate"))
    ended = calendar_date(subject.get("activityEndDate"))
    if awarded is None and ended is None:
        return [], [Issue("not_awarded", f"'{title}' carries no award date: it was not awarded.", where)]
    parent_subject = subject_of(parent) if parent is not None else {}
    fields: dict[str, CellValue] = {"title": title, "status": _status(subject)}
    put(fields, "description", language_text(achievement.get("description")))
    put(fields, "provider", _name(index, credential.get("issuer")) or _name(index, achievement.get("creator"))
        or (_name(index, parent.get("issuer")) if parent is not None else None))
    put(fields, "learner", _learner(subject) or _learner(parent_subject))
    put(fields, "started_on", calendar_date(subject.get("activityStartDate")))
    fields["completed_on"] = ended or calendar_date(awarded)
    _credits(fields, subject.get("creditsEarned", achievement.get("creditsAvailable")))
    put(fields, "reference", _reference(achievement))
    if kind and kind.casefold() not in GENERIC:
        fields["activity_type"] = kind
    return [RawRecord(where, fields, f"{title}, awarded {awarded or ended}")], []


def read_assertion(path: Path, assertion: dict[str, Json], index: Index) -> Read:
    badge = index.resolve(assertion.get("badge"))
    where = Location(pointer=pointer(*path, "badge"))
    title = language_text(badge.get("name"))
    awarded = calendar_date(assertion.get("issuedOn"))
    if title is None:
        return [], [Issue("untitled_credential", "The assertion's badge is only named by its address "
                          f"({text(assertion.get('badge')) or 'none'}), which the file does not hold; no activity "
                          "could be read. Download the badge with its details (baked image or full JSON).", where)]
    if awarded is None or assertion.get("revoked") is True:
        return [], [Issue("not_awarded", f"'{title}' was revoked or carries no issue date.", where)]
    fields: dict[str, CellValue] = {"title": title, "completed_on": awarded, "status": "completed"}
    put(fields, "description", language_text(badge.get("description")))
    put(fields, "provider", _name(index, badge.get("issuer")))
    recipient = obj(assertion.get("recipient"))
    identity = text(recipient.get("identity")) if recipient.get("hashed") is False else None
    if identity is not None and identity.casefold().startswith("mailto:"):
        identity = identity[len("mailto:"):]
    put(fields, "learner", meant(text(obj(assertion.get("recipientProfile")).get("name"))) or identity)
    return [RawRecord(where, fields, f"{title}, issued {awarded}")], []


def read_blockcerts(path: Path, credential: dict[str, Json], index: Index) -> Read:
    subject = subject_of(credential)
    claim = index.resolve(subject.get("claim"))
    where = Location(pointer=pointer(*path, "credentialSubject", "claim"))
    title = language_text(claim.get("name"))
    awarded = calendar_date(credential.get("validFrom")) or calendar_date(credential.get("issuanceDate"))
    if title is None or awarded is None:
        return [], [Issue("untitled_credential", "A Blockcerts claim has no name or no issue date; it was "
                          "skipped.", where)]
    fields: dict[str, CellValue] = {"title": title, "completed_on": awarded, "status": "completed"}
    put(fields, "description", language_text(claim.get("description")))
    put(fields, "provider", _name(index, credential.get("issuer")))
    put(fields, "learner", meant(language_text(subject.get("name"))))
    return [RawRecord(where, fields, f"{title}, issued {awarded}")], []


def _status(subject: dict[str, Json]) -> str:
    for result in arr(subject.get("result")):
        found = RESULT_STATUS.get((text(obj(result).get("status")) or "").casefold())
        if found is not None:
            return found
    return "completed"


def _credits(fields: dict[str, CellValue], credits: Json) -> None:
    if isinstance(credits, (int, float)) and not isinstance(credits, bool):
        fields["academic_credits"], fields["academic_credits_unit"] = credits, "credits"


def _name(index: Index, profile: Json) -> str | None:
    return meant(language_text(index.resolve(profile).get("name")))


def _learner(subject: dict[str, Json]) -> str | None:
    named = meant(language_text(subject.get("name")))
    if named is not None:
        return named
    identities = [obj(i) for i in arr(subject.get("identifier"))]
    for wanted in ("name", "emailaddress"):
        for identity in identities:
            if identity.get("hashed") is False and (text(identity.get("identityType")) or "").casefold() == wanted:
                return meant(text(identity.get("identityHash")))
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

