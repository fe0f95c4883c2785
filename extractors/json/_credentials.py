"""Credentials: which vocabulary a credential speaks, an award versus a definition or an endorsement.

A file of credentials holds one credential, a list of them, a W3C verifiable presentation
({"type": "VerifiablePresentation", "verifiableCredential": [...]}), a wallet's {"credential": ...}
wrapper, or (Open Badges 2.0 hosted) the assertion beside the BadgeClass and Issuer it names by IRI.
Each credential is read by the vocabulary its `type` and subject speak:

| what the credential says | read by | activities |
|---|---|---|
| "EndorsementCredential" (OB 3.0: "asserts a claim about an entity", the endorsed issuer or achievement) | - | none: an opinion about someone's learning, not learning |
| "ClrCredential" (CLR 2.0) | `_badges` | one per AchievementCredential it holds |
| "OpenBadgeCredential" / "AchievementCredential", or a subject with `achievement` (OB 3.0) | `_badges` | the achievement awarded |
| "Assertion" without a credentialSubject (OB 2.0, Blockcerts 2.0) | `_badges` | the badge awarded |
| "BlockcertsCredential" whose subject has a `claim` (Blockcerts 3) | `_badges` | the claim |
| "EuropeanDigitalCredential", or a subject with `hasClaim` / `achieved` / `learningAchievement` (ELM v3, EBSI) | `_elm` | each learning activity / achievement claimed |
| a subject with `hasCredential` (DCC LearningCredential, vc-ed-models) | `_vc` | the course or programme completed |
| any other verifiable credential (an ID card, a licence, a membership) | - | none, with a warning |

A bare definition (OB 2.0 "BadgeClass", OB 3.0 "Achievement", an "Issuer" / "Profile") describes what
could be earned and by whom: it records nobody's learning and gives no activity, with a warning.
Nodes are also indexed by `id` so that a reference (an OB 2.0 hosted `badge` IRI, an ELM `directedBy`)
is read from the node it names when the file holds it.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..model import Issue, Location, RawRecord
from ._types import Found, Json, Parsed, arr, language_text, obj, pointer, text

__all__ = ["read", "types_of", "Index", "Path", "Read"]

Path = tuple[str | int, ...]
# What a vocabulary's reader returns for one credential.
Read = tuple[list[RawRecord], list[Issue]]
MAX_NODES = 200_000
DEFINITIONS = frozenset({"BadgeClass", "Achievement", "Issuer", "Profile", "LearningAchievementSpecification",
                         "LearningActivitySpecification", "Qualification"})
AWARDS = frozenset({"Assertion", "OpenBadgeCredential", "AchievementCredential", "ClrCredential",
                    "EndorsementCredential", "VerifiableCredential", "EuropeanDigitalCredential",
                    "BlockcertsCredential", "VerifiablePresentation"})


def types_of(value: Json) -> set[str]:
    """The `type` (or JSON-LD `@type`) names of a node, without a prefix ("obi:Assertion" -> "Assertion")."""
    node = obj(value)
    kinds = node.get("type", node.get("@type"))
    names = [kinds] if isinstance(kinds, str) else arr(kinds)
    return {k.rsplit(":", 1)[-1].rsplit("/", 1)[-1] for k in names if isinstance(k, str)}


@dataclass(slots=True)
class Index:
    """Every node of the file that has an `id`, by id; the fullest one where an id appears several times."""

    nodes: dict[str, dict[str, Json]] = field(default_factory=dict)

    @classmethod
    def of(cls, root: Json) -> Index:
        index = cls()
        queue: deque[Json] = deque([root])
        seen = 0
        while queue and seen < MAX_NODES:
            value = queue.popleft()
            seen += 1
            if isinstance(value, dict):
                key = text(value.get("id")) or text(value.get("@id"))
                if key is not None and len(value) > len(index.nodes.get(key, {})):
                    index.nodes[key] = value
                queue.extend(value.values())
            elif isinstance(value, list):
                queue.extend(value)
        return index

    def resolve(self, value: Json) -> dict[str, Json]:
        """A node itself, or the node a reference names (an IRI string, {"id": ...}, {"idref": ...})."""
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str):
            return self.nodes.get(value.strip(), {})
        node = obj(value)
        key = text(node.get("idref")) or text(node.get("id")) or text(node.get("@id"))
        if key is not None and len(self.nodes.get(key, {})) > len(node):
            return self.nodes[key]
        return node


Reader = Callable[[Path, dict[str, Json], Index], Read]


def read(parsed: Parsed, readers: dict[str, Reader]) -> Found | None:
    """Records for the awards of a file of credentials; None when it holds no credential or definition.

    `readers` maps "clr", "achievement", "assertion", "blockcerts", "elm" and "vc" to the vocabularies'
    readers (passed in so that this module imports none of them)."""
    value = parsed.value
    roots = [((i,), v) for i, v in enumerate(value)] if isinstance(value, list) else [((), value)]
    found = [(path, node) for root_path, root in roots for path, node in _credentials(root, root_path)]
    # A list that is mostly something else (an LMS answer with the odd "Profile" row) is not credentials.
    if not found or (isinstance(value, list) and len({path[0] for path, _ in found}) * 2 < len(roots)):
        return None
    index = Index.of(value)
    records: list[RawRecord] = []
    issues: list[Issue] = []
    definitions: list[tuple[Path, dict[str, Json]]] = []
    for path, node in found:
        kind = _vocabulary(node)
        if kind == "definition":
            definitions.append((path, node))
        elif kind in readers:
            more, worries = readers[kind](path, node, index)
            records.extend(more)
            issues.extend(worries)
        else:
            issues.append(_not_learning(path, node, kind))
    if not records:
        issues.extend(_definition(path, node) for path, node in definitions)
    return "credentials", records, issues


def _credentials(value: Json, path: Path) -> Iterator[tuple[Path, dict[str, Json]]]:
    """Credentials and definitions at the top, in a presentation, or wrapped in {"credential": ...}."""
    if not isinstance(value, dict):
        return
    kinds = types_of(value)
    if "VerifiablePresentation" in kinds or (not kinds & AWARDS and "verifiableCredential" in value):
        for i, inner in enumerate(arr(value.get("verifiableCredential"))):
            yield from _credentials(inner, path + ("verifiableCredential", i))
    elif kinds & (AWARDS | DEFINITIONS) or "credentialSubject" in value:
        yield path, value
    elif isinstance(value.get("credential"), dict):
        yield from _credentials(value["credential"], path + ("credential",))
    elif isinstance(value.get("@graph"), list):
        for i, inner in enumerate(arr(value["@graph"])):
            yield from _credentials(inner, path + ("@graph", i))


def subject_of(credential: dict[str, Json]) -> dict[str, Json]:
    """The credential's subject (the first, where VC 2.0 gives a list of them)."""
    subject = credential.get("credentialSubject")
    return obj(arr(subject)[0]) if isinstance(subject, list) and subject else obj(subject)


def _vocabulary(node: dict[str, Json]) -> str:
    kinds = types_of(node)
    subject = subject_of(node)
    if "EndorsementCredential" in kinds:
        return "endorsement"
    if "ClrCredential" in kinds:
        return "clr"
    if kinds & {"OpenBadgeCredential", "AchievementCredential"} or "achievement" in subject:
        return "achievement"
    if "EuropeanDigitalCredential" in kinds or subject.keys() & {"hasClaim", "achieved", "learningAchievement"}:
        return "elm"
    if "hasCredential" in subject:
        return "vc"
    if "Assertion" in kinds and "credentialSubject" not in node:
        return "assertion"
    if "BlockcertsCredential" in kinds and "claim" in subject:
        return "blockcerts"
    if kinds & DEFINITIONS and "credentialSubject" not in node:
        return "definition"
    return "other"


def _not_learning(path: Path, node: dict[str, Json], kind: str) -> Issue:
    name = language_text(node.get("name")) or ", ".join(sorted(types_of(node) - {"VerifiableCredential"})) \
        or "a credential"
    if kind == "endorsement":
        why = "is an endorsement: it says what its issuer thinks of someone else's award, and records no learning"
    else:
        why = "is a credential of no learning vocabulary we read (no achievement, badge or learning claim)"
    return Issue("not_a_learning_record", f"'{name}' {why}; it gives no activity.", _where(path))


def _definition(path: Path, node: dict[str, Json]) -> Issue:
    name = language_text(node.get("name")) or language_text(node.get("title")) or "This object"
    kind = ", ".join(sorted(types_of(node) & DEFINITIONS))
    return Issue("definition_not_record", f"'{name}' is a definition ({kind}): it describes what can be earned "
                 "or who awards it, not what someone did, so it gives no activity. Upload the awarded badge or "
                 "credential instead.",
                 _where(path))


def _where(path: Path) -> Location | None:
    """The node's place; None for the file's top (the message then speaks of the whole file)."""
    return Location(pointer=pointer(*path)) if path else None
