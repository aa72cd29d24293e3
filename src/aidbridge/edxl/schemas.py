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
        path = {
            DE_SET: XSD_DIR / "edxl-de" / "1.0" / "de.xsd",
            CAP_SET: XSD_DIR / "cap" / "1.2" / "CAP-v1.2.xsd",
            HAVE_SET: XSD_DIR / "edxl-have" / "1.0" / "edxl-have.xsd",
        }[name]
        return xmlschema.XMLSchema10(str(path))


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


def warm() -> None:
    """Load every set now (tests, benchmarks, a worker at start-up)."""
    for name in (DE_SET, RM_SET, CAP_SET, HAVE_SET):
        _load(name)


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
        path = element_path(node)
        line = node.sourceline
        errors.append(SchemaError(path, str(error.reason or error.message), name, line))
    return errors


def _validate_element(element: etree._Element) -> list[SchemaError]:
    namespace = etree.QName(element).namespace or ""
    name = _SET_OF_NAMESPACE.get(namespace)
    if name is None:
        return [
            SchemaError(
                element_path(element),
                f"no schema for namespace {namespace!r} "
                f"(expected one of: {', '.join(sorted(_SET_OF_NAMESPACE))})",
                "",
                element.sourceline,
            )
        ]
    return _errors_of(_load(name), element, name)


def validate(tree: etree._Element | etree._ElementTree) -> list[SchemaError]:
    """Every schema error of a document: envelope and each embedded payload.

    Accepts an EDXL-DE envelope, a bare EDXL-RM message, a CAP alert or an EDXL-HAVE
    report. An empty list means the document is valid.
    """
    root = _root(tree)
    errors = _validate_element(root)
    if etree.QName(root).namespace == ns.DE:
        embedded = root.iterfind(
            f"{{{ns.DE}}}contentObject/{{{ns.DE}}}xmlContent/{{{ns.DE}}}embeddedXMLContent"
        )
        for holder in embedded:
            for payload in holder:
                if isinstance(payload.tag, str):
                    errors.extend(_validate_element(payload))
    return errors


def is_valid(tree: etree._Element | etree._ElementTree) -> bool:
    return not validate(tree)
