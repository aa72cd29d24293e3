"""The EDXL-DE 1.0, EDXL-RM 1.0, EDXL-HAVE 1.0 and CAP 1.2 schema sets, loaded once.

Loading the EDXL-RM set takes about two seconds (sixteen message schemas over CIQ and a
GML profile), validating a message a few milliseconds: each set is built on first use
and kept for the life of the process. The XSDs are the package's own copies
(``edxl/xsd/``, see ``xsd/SOURCE.md``) so a deployment never reads outside the package.

``validate`` checks a whole document the way a receiver must: the envelope against
EDXL-DE, then every ``embeddedXMLContent`` payload against the schema of its namespace
(the envelope schema only says ``processContents="lax"``, so it would let a malformed
payload through). Each error names the failing node by a path over local names from the
document root (``/EDXLDistribution/contentObject[1]/xmlContent/embeddedXMLContent[1]/
RequestResource/MessageID``), the form the API returns to a sender.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema
from lxml import etree

from aidbridge.edxl import namespaces as ns

XSD_DIR = Path(__file__).resolve().parent / "xsd"
RM_DIR = XSD_DIR / "edxl-rm" / "1.0"

# Names of the schema sets, as they appear in errors.
DE_SET = "EDXL-DE 1.0"
RM_SET = "EDXL-RM 1.0"
CAP_SET = "CAP 1.2"
HAVE_SET = "EDXL-HAVE 1.0"


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One reason a document fails its schema.

    ``path`` is an XPath over local names with 1-based positions from the document root
    (``/EDXLDistribution/contentObject[1]/...``); ``reason`` is the validator's own
    words; ``schema`` names the set that refused it; ``line`` is the source line when
    the document was parsed from text.
    """

    path: str
    reason: str
    schema: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


_lock = threading.Lock()


@cache
def _load(name: str) -> xmlschema.XMLSchema10:
    # The lock keeps two threads of one process from building the same set twice.
    with _lock:
        if name == RM_SET:
            # One schema object over the sixteen message files (all in the msg
            # namespace), so any RM root element validates against the same object.
            sources: list[Any] = [str(RM_DIR / f"EDXL-RM{m}.xsd") for m in ns.RM_MESSAGE_TYPES]
            return xmlschema.XMLSchema10(sources)
        return xmlschema.XMLSchema10(str(_PATHS[name]))


def de_schema() -> xmlschema.XMLSchema10:
    return _load(DE_SET)


def rm_schema() -> xmlschema.XMLSchema10:
    return _load(RM_SET)


def cap_schema() -> xmlschema.XMLSchema10:
    return _load(CAP_SET)


def have_schema() -> xmlschema.XMLSchema10:
    return _load(HAVE_SET)


# Which set validates a root element of which namespace.
_SET_OF_NAMESPACE = {ns.DE: DE_SET, ns.RM_MSG: RM_SET, ns.CAP: CAP_SET, ns.HAVE: HAVE_SET}


_PATHS = {
    DE_SET: XSD_DIR / "edxl-de" / "1.0" / "de.xsd",
    CAP_SET: XSD_DIR / "cap" / "1.2" / "CAP-v1.2.xsd",
    HAVE_SET: XSD_DIR / "edxl-have" / "1.0" / "edxl-have.xsd",
}


def _compile(name: str) -> etree.XMLSchema:
    """The same set compiled by libxml2 (lxml): the first check, a thousand times faster
    than xmlschema, which is then asked only for the paths of a refused document."""
    if name == RM_SET:
        includes = "".join(
            f'<xsd:include schemaLocation="{(RM_DIR / f"EDXL-RM{m}.xsd").as_uri()}"/>'
            for m in ns.RM_MESSAGE_TYPES
        )
        wrapper = (
            '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            f'targetNamespace="{ns.RM_MSG}" elementFormDefault="qualified">'
            f"{includes}</xsd:schema>"
        )
        base = (RM_DIR / "all-messages.xsd").as_uri()
        return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=base))
    return etree.XMLSchema(etree.parse(str(_PATHS[name])))


_threads = threading.local()


def _fast(name: str) -> etree.XMLSchema:
    """One compiled set per thread: an lxml validator keeps its error log on itself, so
    two server threads must not share one (compiling takes a few hundredths of a second)."""
    compiled: dict[str, etree.XMLSchema] = _threads.__dict__.setdefault("schemas", {})
    if name not in compiled:
        compiled[name] = _compile(name)
    return compiled[name]


def warm() -> None:
    """Load every set now (tests, benchmarks, a worker at start-up)."""
    for name in (DE_SET, RM_SET, CAP_SET, HAVE_SET):
        _load(name)
        _fast(name)


def element_path(element: etree._Element) -> str:
    """``/Root/child[i]/...`` over local names; positions count same-named siblings."""
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        local = etree.QName(node).localname
        if parent is None:
            steps.append(local)
        else:
            same = [c for c in parent if isinstance(c.tag, str) and c.tag == node.tag]
            steps.append(f"{local}[{same.index(node) + 1}]")
        node = parent
    return "/" + "/".join(reversed(steps))


def _root(tree: etree._Element | etree._ElementTree) -> etree._Element:
    return tree.getroot() if isinstance(tree, etree._ElementTree) else tree


def _errors_of(
    schema: xmlschema.XMLSchema10, element: etree._Element, name: str
) -> list[SchemaError]:
    errors: list[SchemaError] = []
    for error in schema.iter_errors(element):
        # An error without an element (a root no schema declares) is the root's.
        node = error.elem if isinstance(error.elem, etree._Element) else element
        errors.append(
            SchemaError(
                element_path(node), str(error.reason or error.message), name, node.sourceline
            )
        )
    return errors


def _set_of(element: etree._Element) -> str | None:
    return _SET_OF_NAMESPACE.get(etree.QName(element).namespace or "")


def _unknown(element: etree._Element) -> SchemaError:
    namespace = etree.QName(element).namespace or ""
    return SchemaError(
        element_path(element),
        f"no schema for namespace {namespace!r} "
        f"(expected one of: {', '.join(sorted(_SET_OF_NAMESPACE))})",
        "",
        element.sourceline,
    )


def _holders(root: etree._Element) -> list[etree._Element]:
    if etree.QName(root).namespace != ns.DE:
        return []
    return list(
        root.iterfind(
            f"{{{ns.DE}}}contentObject/{{{ns.DE}}}xmlContent/{{{ns.DE}}}embeddedXMLContent"
        )
    )


def _parts(root: etree._Element) -> list[etree._Element]:
    """The root and every embedded payload: each is validated by its own set."""
    return [root] + [p for h in _holders(root) for p in h if isinstance(p.tag, str)]


_PLACEHOLDER = "{urn:aidbridge:edxl:validation}payload"


def _envelope_errors(root: etree._Element, name: str) -> list[SchemaError]:
    """The envelope alone: each payload is swapped for an empty placeholder meanwhile.

    The envelope schema takes any payload "lax", and xmlschema then builds a throw-away
    declaration for every element of it (a hundred times the cost of the payload's own
    validation); the payloads are validated by their own schemas anyway.
    """
    moved: list[tuple[etree._Element, list[etree._Element]]] = []
    try:
        for holder in _holders(root):
            children = list(holder)
            moved.append((holder, children))
            for child in children:
                holder.remove(child)
            etree.SubElement(holder, _PLACEHOLDER)
        return _errors_of(_load(name), root, name)
    finally:
        for holder, children in moved:
            for placeholder in holder.findall(_PLACEHOLDER):
                holder.remove(placeholder)
            for child in children:
                holder.append(child)


def validate_thoroughly(tree: etree._Element | etree._ElementTree) -> list[SchemaError]:
    """Every error, by xmlschema (pure Python, slower): what ``validate`` reports."""
    root = _root(tree)
    errors: list[SchemaError] = []
    for index, part in enumerate(_parts(root)):
        name = _set_of(part)
        if name is None:
            errors.append(_unknown(part))
        elif index == 0 and name == DE_SET:
            errors.extend(_envelope_errors(part, name))
        else:
            errors.extend(_errors_of(_load(name), part, name))
    return errors


def _fast_errors(root: etree._Element) -> list[SchemaError]:
    errors: list[SchemaError] = []
    for part in _parts(root):
        name = _set_of(part)
        if name is None:
            errors.append(_unknown(part))
            continue
        schema = _fast(name)
        if not schema.validate(part):
            for entry in schema.error_log:
                errors.append(SchemaError(element_path(part), entry.message, name, entry.line))
    return errors


def validate(tree: etree._Element | etree._ElementTree) -> list[SchemaError]:
    """Every schema error of a document: envelope and each embedded payload.

    Accepts an EDXL-DE envelope, a bare EDXL-RM message, a CAP alert or an EDXL-HAVE
    report. An empty list means the document is valid. libxml2 checks first; a document
    it refuses is checked again by xmlschema, whose errors name the failing element's
    path (if the two ever disagree, libxml2's errors are returned, on the payload).
    """
    root = _root(tree)
    fast = _fast_errors(root)
    if not fast:
        return []
    return validate_thoroughly(root) or fast


def is_valid(tree: etree._Element | etree._ElementTree) -> bool:
    return not _fast_errors(_root(tree))
