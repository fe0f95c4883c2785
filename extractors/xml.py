"""XML files of the learning standards: Europass / European Learning Model v2 credentials, and course
definitions (a cmi5 course structure, an IMS / SCORM content package manifest) that record no learning.

What arrives: a Europass digital credential downloaded as XML (root `europassCredential` in the
namespace http://data.europa.eu/snb, ELM v2 "genericschema"), mostly base64 logos and an HTML display
template around a few claims; or, uploaded by mistake, the file that defines a course for an LMS to
import: cmi5.xml (root `courseStructure`, namespace https://w3id.org/xapi/profiles/cmi5/v1/
CourseStructure.xsd; in the cmi5 course structure specification a Course Structure is "a list of
assignable units and launch parameters, with an implied sequence, representing a course", and "an LMS
imports a course structure" before anyone is assigned the course; titles in <langstring>) or
imsmanifest.xml (root `manifest`, IMS Content Packaging: a SCORM package's table of contents). A
definition names courses that nobody has done: it gives no activities and a warning, not an error.

Only these roots are claimed by `sniff`, so XHTML stays with the HTML reader and any other XML is still
refused as a format we do not read. The credential is turned into the same tree its JSON-LD form gives
(elements by local name, `<text lang=...>` lists as language maps, `id` / `idref` / `uri` attributes
kept, media `content` and the display template left out) and read by `extractors.json._elm`, which
states the model's rules; a presentation's credentials (each element with a credentialSubject) are read
in turn.

lxml parses with entities unresolved, no DTD loaded and no network; a file that declares its own
entities (a DOCTYPE internal subset: billion laughs, external entities) is refused before parsing, as
no credential or course structure has one. lxml is imported on first use, inside `extract`.
"""
from __future__ import annotations

import re
from collections import deque
from typing import TYPE_CHECKING

from .errors import UnreadableFile, UnsupportedFormat
from .json import _elm
from .json._credentials import MAX_NODES, Index
from .json._types import Json, language_text
from .model import Extraction, ExtractOptions, Issue, Upload

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "sniff", "extract"]

FORMAT = "xml"
MEDIA_TYPES = ("application/xml", "text/xml")
SUFFIXES = (".xml",)

ELM_NAMESPACES = ("http://data.europa.eu/snb", "http://data.europa.eu/europass")
CMI5_NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
IMSCP_NAMESPACES = ("http://www.imsglobal.org/xsd/imscp", "http://www.imsproject.org/xsd/imscp")
# Elements of a Europass credential that hold no learning: base64 media, the HTML template, the signature.
SKIPPED = frozenset({"content", "html", "displayParameters", "proof", "Signature", "labels"})
MAX_CREDENTIALS = 1_000     # credentials read from one presentation

_PROLOGUE = re.compile(r"\A(?:\ufeff)?\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\]\s*)?>\s*)*",
                       re.S | re.I)
_START_TAG = re.compile(r"<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)")
_NAMESPACE = re.compile(r"""xmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']""")
_DTD_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.I)


def sniff(head: bytes, filename: str) -> bool:
    """XML whose root is a Europass credential, a cmi5 course structure or an IMS content package manifest."""
    return _root_kind(head) is not None


def _root_kind(head: bytes) -> str | None:
    try:
        text = head[:8192].decode("utf-16") if head.startswith((b"\xff\xfe", b"\xfe\xff")) else \
            head[:8192].decode("utf-8", errors="replace")
    except UnicodeDecodeError:
        return None
    prologue = _PROLOGUE.match(text)
    start = _START_TAG.match(text, prologue.end() if prologue else 0)
    if start is None:
        return None
    prefix, name, attributes = start.group(1) or "", start.group(2), start.group(3)
    namespace = next((uri for p, uri in _NAMESPACE.findall(attributes) if (p or "") == prefix), "")
    return _kind(namespace, name)


def _kind(namespace: str, name: str) -> str | None:
    if namespace.startswith(ELM_NAMESPACES) and ("Credential" in name or "Presentation" in name):
        return "elm"
    if name == "courseStructure" and namespace.rstrip("/").casefold() == CMI5_NAMESPACE.casefold():
        return "cmi5"
    if name == "manifest" and namespace.startswith(IMSCP_NAMESPACES):
        return "imscp"
    return None


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    from lxml import etree  # imported on first use (see the module docstring)

    what = f"'{upload.filename}'"
    if upload.size > options.max_bytes:
        raise UnreadableFile("too_large", f"{what} is {upload.size:,} bytes, more than the {options.max_bytes:,} "
                                          "we read. Split it into smaller files.")
    if _DTD_SUBSET.search(upload.data[:65536]):
        raise UnreadableFile("xml_entities", f"{what} declares its own entities (a <!DOCTYPE ... [ ... ]> block), "
                                             "which credentials and course structures never do and which can hide "
                                             "entity attacks; it was not read. Download the file again from its "
                                             "issuer and upload that.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(upload.data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile("corrupt", f"{what}, line {exc.lineno}: not well-formed XML ({exc.msg}). The file may "
                                        "be cut off or edited by hand; download it again from its issuer.") from exc
    name = etree.QName(root)
    kind = _kind(name.namespace or "", name.localname)
    if kind is None:
        raise UnsupportedFormat(f"{what} is XML of a kind we do not read (root element <{name.localname}>); we read "
                                "Europass credentials and recognise cmi5 and IMS course definitions.")
    if kind == "elm":
        tree = _tree(root)
        index = Index.of(tree)
        records, issues = [], []
        for path, credential in _credentials(tree):
            more, worries = _elm.read_elm(path, credential, index)
            records.extend(more)
            issues.extend(worries)
        return Extraction(FORMAT, MEDIA_TYPES[0], "credentials", records=tuple(records), issues=tuple(issues))
    return Extraction(FORMAT, MEDIA_TYPES[0], "course_definition", issues=(_definition(root, kind, what),))


def _credentials(tree: Json) -> list[tuple[tuple[str | int, ...], dict[str, Json]]]:
    """The credential itself, or the credentials a presentation holds (each node with a credentialSubject)."""
    found: list[tuple[tuple[str | int, ...], dict[str, Json]]] = []
    queue: deque[tuple[tuple[str | int, ...], Json]] = deque([((), tree)])
    seen = 0
    while queue and len(found) < MAX_CREDENTIALS and seen < MAX_NODES:
        path, node = queue.popleft()
        seen += 1
        if isinstance(node, dict) and "credentialSubject" in node:
            found.append((path, node))
        elif isinstance(node, dict):
            queue.extend((path + (key,), value) for key, value in node.items() if key not in ("agentReferences",))
        elif isinstance(node, list):
            queue.extend((path + (i,), value) for i, value in enumerate(node))
    return found or [((), tree if isinstance(tree, dict) else {})]


def _definition(root: etree._Element, kind: str, what: str) -> Issue:
    tree = _tree(root)
    node = tree if isinstance(tree, dict) else {}
    if kind == "cmi5":
        course = node.get("course")
        title = language_text(_langstrings(course[0] if isinstance(course, list) else course))
        units = node.get("au")
        count = len(units) if isinstance(units, list) else int(units is not None)
        about = f"course '{title}' and its {count} assignable unit{'s' if count != 1 else ''}" if title else "a course"
        standard = "a cmi5 course structure"
    else:
        about, standard = "a content package (its organisations and resources)", "an IMS / SCORM package manifest"
    return Issue("definition_not_record", f"{what} is {standard}: it defines {about} for an LMS to import and "
                 "records nobody's learning, so it gives no activities. Upload the learner's statements, "
                 "transcript or certificate instead.")


def _langstrings(course: Json) -> Json:
    """cmi5's <title> (its <langstring lang=...> children already read as a language map)."""
    return course.get("title") if isinstance(course, dict) else None


def _tree(element: etree._Element) -> Json:
    """An element as JSON: children by local name (repeated ones as a list), `<text lang>` / `<langstring
    lang>` lists as a language map, the attributes id / idref / uri kept."""
    from lxml import etree

    children = [c for c in element if isinstance(c.tag, str)]
    names = [etree.QName(c).localname for c in children]
    if children and set(names) <= {"text", "langstring"}:
        return {_lang(c): (c.text or "").strip() for c in children}
    node: dict[str, Json] = {}
    for key, value in element.attrib.items():
        local = etree.QName(key).localname
        if local in ("id", "idref", "uri", "lang"):
            node[local] = str(value)
    if not children:
        content = (element.text or "").strip()
        if not node:
            return content or None
        if content:
            node["value"] = content
        return node
    grouped: dict[str, list[Json]] = {}
    for child, name in zip(children, names):
        if name not in SKIPPED:
            grouped.setdefault(name, []).append(_tree(child))
    node.update({name: values[0] if len(values) == 1 else values for name, values in grouped.items()})
    return node


def _lang(element: etree._Element) -> str:
    return str(element.get("lang") or element.get("{http://www.w3.org/XML/1998/namespace}lang") or "und")
