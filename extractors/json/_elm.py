"""European Learning Model (Europass digital credentials): ELM v3 JSON-LD, ELM v2 XML, EBSI diplomas.

Model facts used here (European Learning Model v2 generic schema 1.2 and v3 EDC application profile):
- a credential's subject (the learner: `fullName`, else given and family names) holds claims: in v3
  `credentialSubject.hasClaim`, typed LearningActivity, LearningAchievement, LearningAssessment or
  LearningEntitlement; in v2 XML `credentialSubject/activities/activity` and
  `credentialSubject/achievements/learningAchievement` (and assessments, entitlements); an EBSI
  VerifiableAttestation gives its achievements as `credentialSubject.achieved`, an EBSI VerifiableDiploma
  as `credentialSubject.learningAchievement` with its `awardingOpportunity` (awardingBody, startedAtTime,
  endedAtTime) and `learningSpecification` (ectsCreditPoints);
- a claim may be made of parts (`hasPart`), another claim of the same kind;
- a LearningActivity is "any process which leads to the acquisition of knowledge, skills or
  responsibility and autonomy": its dates are `temporal` (PeriodOfTime: startDate, endDate) in v3 and
  `startedAtTime` / `endedAtTime` in v2; `directedBy` is the organisation (or person) that ran it;
  `workload` the time the learner spent; `specifiedBy` its specification (type, mode, volumeOfLearning);
- a LearningAchievement is "the acquisition of knowledge, skills or responsibility and autonomy. A
  recognised and/or awarded set of learning outcomes of an individual": `awardedBy` (v3) / `wasAwardedBy`
  (v2) is the AwardingProcess with its `awardingBody` and `awardingDate`; an achievement is proven by
  assessments (`provenBy` / `wasDerivedFrom`) and influenced by activities (`influencedBy` /
  `wasInfluencedBy`), which are its evidence, not further claims;
- organisations are named by `legalName` (v3) or `prefLabel` (v2), and are often given once in
  `agentReferences` (v2) or elsewhere in the graph and pointed at by id (`idref` in XML, `id` in JSON-LD);
- the credential's own dates (`issued` / `issuanceDate`, `validFrom`, `validUntil` / `expirationDate`)
  are about the document, not the learning; text is multilingual (a language map, or `text lang=`).

The rules chosen:
1. Each LearningActivity and LearningAchievement claimed is an activity; assessments prove an
   achievement and entitlements are rights, so neither is one. A claim whose parts carry their own
   dates is the award those parts lead to: the parts are the activities, as on a transcript.
2. The provider is the organisation the claim points to (directedBy, awardingBody), resolved by id;
   else the credential's issuer.
3. Dates are the claim's own (activity period, awarding date); the credential's issue date (else its
   validFrom) is the completion date only where the claim has no date at all. Dates written as local
   midnight keep the day written.
4. Text: English where given, else the first language.
5. The Europass list's "workshop, seminar or conference" delivered in mode "Online" is a webinar; the
   combined entry says nothing narrower otherwise.
6. ECTS and other credit points are academic credit, kept as credits, never as CPD hours.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..model import CellValue, Issue, Location, RawRecord
from ._credentials import Index, Path, Read, subject_of, types_of
from ._types import Json, calendar_date, language_text, meant, obj, pointer, put, text

__all__ = ["read_elm", "ACTIVITY", "ACHIEVEMENT"]

ACTIVITY, ACHIEVEMENT = "LearningActivity", "LearningAchievement"
MAX_PARTS_DEPTH = 6
# v2 XML containers and the kind of claim each holds.
_V2_CLAIMS = (("activities", "activity", ACTIVITY), ("achievements", "learningAchievement", ACHIEVEMENT))
_COMBINED = ("workshop", "seminar", "conference")


def read_elm(path: Path, credential: dict[str, Json], index: Index) -> Read:
    subject = subject_of(credential)
    records: list[RawRecord] = []
    for where, kind, claim in _claims(subject, path + ("credentialSubject",), index):
        for part_path, part_kind, part in _leaves(where, kind, claim, index, 0):
            record = _record(part_path, part_kind, part, credential, subject, index)
            if record is not None:
                records.append(record)
    issues: list[Issue] = []
    if not records:
        issues.append(Issue("no_learning_claims", "This European digital credential claims no learning activity "
                            "or achievement (only the credential itself), so it gives no activity.",
                            Location(pointer=pointer(*path)) if path else None))
    return records, issues


def _claims(subject: dict[str, Json], path: Path, index: Index) -> Iterator[tuple[Path, str, dict[str, Json]]]:
    for key in ("hasClaim", "achieved"):
        for i, value in _items(subject.get(key)):
            claim = index.resolve(value)
            yield path + (key,) + i, _kind(claim, ACHIEVEMENT), claim
    for container, element, kind in _V2_CLAIMS:
        for i, value in _items(obj(subject.get(container)).get(element)):
            yield path + (container, element) + i, kind, index.resolve(value)
    if isinstance(subject.get("learningAchievement"), dict):      # EBSI VerifiableDiploma
        yield path + ("learningAchievement",), ACHIEVEMENT, _diploma(subject, index)


def _diploma(subject: dict[str, Json], index: Index) -> dict[str, Json]:
    """An EBSI diploma's achievement with its awarding opportunity's period and body, and its specification."""
    opportunity = index.resolve(subject.get("awardingOpportunity"))
    return {**obj(subject["learningAchievement"]),
            "temporal": {"startDate": opportunity.get("startedAtTime"), "endDate": opportunity.get("endedAtTime")},
            "awardedBy": {"awardingBody": opportunity.get("awardingBody")},
            "specifiedBy": subject.get("learningSpecification")}


def _items(value: Json) -> Iterator[tuple[tuple[int, ...], Json]]:
    if isinstance(value, list):
        yield from (((i,), v) for i, v in enumerate(value))
    elif value is not None:
        yield (), value


def _kind(claim: dict[str, Json], default: str) -> str:
    kinds = types_of(claim)
    return next((k for k in (ACTIVITY, ACHIEVEMENT, "LearningAssessment", "LearningEntitlement") if k in kinds),
                default if not kinds else "other")


def _parts(claim: dict[str, Json], kind: str, path: Path, index: Index) -> list[tuple[Path, str, dict[str, Json]]]:
    value = claim.get("hasPart")
    element = "activity" if kind == ACTIVITY else "learningAchievement"
    if isinstance(value, dict) and element in value:      # v2 XML: <hasPart><learningAchievement .../></hasPart>
        return [(path + ("hasPart", element) + i, kind, index.resolve(v)) for i, v in _items(value[element])]
    return [(path + ("hasPart",) + i, _kind(index.resolve(v), kind), index.resolve(v)) for i, v in _items(value)]


def _leaves(path: Path, kind: str, claim: dict[str, Json], index: Index,
            depth: int) -> Iterator[tuple[Path, str, dict[str, Json]]]:
    """Rule 1: the claim, or its dated parts (each in turn the same way)."""
    if kind not in (ACTIVITY, ACHIEVEMENT):
        return
    parts = [p for p in _parts(claim, kind, path, index) if p[1] in (ACTIVITY, ACHIEVEMENT)] \
        if depth < MAX_PARTS_DEPTH else []
    if parts and any(_own_dates(p[1], p[2], index) != (None, None) for p in parts):
        for part in parts:
            yield from _leaves(*part, index, depth + 1)
    else:
        yield path, kind, claim


def _own_dates(kind: str, claim: dict[str, Json], index: Index) -> tuple[str | None, str | None]:
    """(start, end) the claim itself gives: its period (an activity's), else its awarding date."""
    period = index.resolve(claim.get("temporal"))
    start = calendar_date(_one(period.get("startDate"))) or calendar_date(_one(claim.get("startedAtTime")))
    end = calendar_date(_one(period.get("endDate"))) or calendar_date(_one(claim.get("endedAtTime")))
    if end is None and kind == ACHIEVEMENT:
        awarding = index.resolve(claim.get("awardedBy") or claim.get("wasAwardedBy"))
        end = calendar_date(_one(awarding.get("awardingDate")))
    return start, end


def _one(value: Json) -> Json:
    return value[0] if isinstance(value, list) and value else value


def _record(path: Path, kind: str, claim: dict[str, Json], credential: dict[str, Json], subject: dict[str, Json],
            index: Index) -> RawRecord | None:
    spec = index.resolve(claim.get("specifiedBy"))
    title = language_text(claim.get("title")) or language_text(spec.get("title"))
    if title is None:
        return None
    start, end = _own_dates(kind, claim, index)
    issued = next((d for d in (calendar_date(credential.get(k)) for k in ("issued", "issuanceDate", "awardingDate",
                                                                          "validFrom")) if d), None)
    fields: dict[str, CellValue] = {"title": title, "status": "completed"}
    put(fields, "description", language_text(claim.get("description")) or language_text(spec.get("description")))
    put(fields, "provider", _provider(kind, claim, index) or _agent_name(index.resolve(credential.get("issuer"))))
    put(fields, "learner", _learner(subject))
    put(fields, "started_on", start)
    put(fields, "completed_on", end or (issued if start is None else None))
    put(fields, "activity_type", _activity_type(spec, index) if kind == ACTIVITY else None)
    put(fields, "duration", text(_one(claim.get("workload"))) or text(_one(spec.get("volumeOfLearning"))))
    _credits(fields, claim, spec, index)
    return RawRecord(Location(pointer=pointer(*path)), fields, f"{title} ({kind}, {end or start or issued})")


def _provider(kind: str, claim: dict[str, Json], index: Index) -> str | None:
    if kind == ACTIVITY:
        return _agent_name(index.resolve(claim.get("directedBy")))
    awarding = index.resolve(claim.get("awardedBy") or claim.get("wasAwardedBy"))
    return _agent_name(index.resolve(awarding.get("awardingBody")))


def _agent_name(agent: dict[str, Json]) -> str | None:
    for key in ("legalName", "prefLabel", "preferredName", "name", "fullName", "altLabel"):
        found = meant(language_text(agent.get(key)))
        if found is not None:
            return found
    return None


def _learner(subject: dict[str, Json]) -> str | None:
    full = language_text(subject.get("fullName"))
    if full is None:
        given = language_text(subject.get("givenNames")) or language_text(subject.get("givenName")) or \
            language_text(subject.get("currentGivenName"))
        family = language_text(subject.get("familyName")) or language_text(subject.get("currentFamilyName"))
        full = " ".join(n for n in (given, family) if n) or None
    return meant(full)


def _label(concept: Json, index: Index) -> str | None:
    """A concept's label: v2 `targetName`, v3 `prefLabel`."""
    node = index.resolve(_one(concept))
    return language_text(node.get("targetName")) or language_text(node.get("prefLabel"))


def _activity_type(spec: dict[str, Json], index: Index) -> str | None:
    kind = _label(spec.get("type"), index) or _label(spec.get("dcType"), index) or \
        _label(spec.get("learningActivityType"), index)
    if kind is None:
        return None
    if all(word in kind.casefold() for word in _COMBINED):     # rule 5
        mode = (_label(spec.get("mode"), index) or "").casefold()
        return "webinar" if "online" in mode else None
    return kind


def _credits(fields: dict[str, CellValue], claim: dict[str, Json], spec: dict[str, Json], index: Index) -> None:
    for holder, key in ((claim, "creditReceived"), (spec, "creditPoint"), (spec, "ectsCreditPoints"),
                        (spec, "ECTSCreditPoints"), (spec, "eCTSCreditPoints")):
        value = _one(holder.get(key))
        node = index.resolve(value) if isinstance(value, dict) else {}
        number = _number(node.get("point") if node else value)
        if number is not None:
            framework = (_label(node.get("framework"), index) or "") + key
            fields["academic_credits"] = number
            fields["academic_credits_unit"] = "ects" if "ects" in framework.casefold() else "credits"
            return


def _number(value: Json) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    found = text(value)
    try:
        return float(found.replace(",", ".")) if found else None
    except ValueError:
        return None

