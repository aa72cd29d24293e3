"""Reading an EDXL document sent from outside, safely, before anything else looks at it.

A message from another system is untrusted input. It is parsed twice, both times
without a DTD, entity expansion or network access: first by ``defusedxml``, which
refuses a DTD (and so every entity declaration, the billion laughs included) with a
clear reason before expanding anything; then by lxml with a parser that loads no DTD,
resolves no entity and fetches nothing, for the tree the schema and the import read.
Then the root is checked: an EDXL-DE 1.0 envelope or a bare EDXL-RM 1.0 message, each
embedded message found with its path. The schemas come after (``edxl.schemas``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from lxml import etree

from aidbridge.edxl.imports.errors import MessageRefused, Problem
from aidbridge.edxl.namespaces import CAP, DE, HAVE, RM_MSG
from aidbridge.edxl.schemas import element_path as path_of
from aidbridge.interop.limits import human, max_upload_bytes

ROOT_DE = "EDXLDistribution"
# The EDXL-RM messages aidbridge maps to its own actions (README, EDXL section).
IMPORTED = (
    "RequestResource",
    "ResponseToRequestResource",
    "OfferUnsolicitedResource",
    "RequisitionResource",
    "ReportResourceDeploymentStatus",
    "CommitResource",
    "ReleaseResource",
    "RequestReturn",
)
# The other eight, each with why it is not imported, so the sender learns what to do.
NOT_IMPORTED = {
    "ResponseToRequestReturn": "aidbridge does not track the return of resources",
    "RequestQuote": "aidbridge does not handle prices or quotes",
    "ResponseToRequestQuote": "aidbridge does not handle prices or quotes",
    "RequestResourceDeploymentStatus": "aidbridge answers status requests with its feed "
    "and API; a request for status changes nothing to import",
    "RequestExtendedDeploymentDuration": "aidbridge does not model deployment durations",
    "ResponseToRequestExtendedDeploymentDuration": "aidbridge does not model deployment durations",
    "RequestInformation": "aidbridge does not import free requests for information",
    "ResponseToRequestInformation": "aidbridge does not import free requests for information",
}
OTHER_STANDARDS = {
    (HAVE, "HospitalStatus"): "an EDXL-HAVE 1.0 hospital status report: send it to "
    "/api/v1/have/hospital-status (aidbridge edxl import reads EDXL-RM only)",
    (CAP, "alert"): "a CAP 1.2 alert: aidbridge publishes its sitreps as CAP alerts but "
    "imports none",
}
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=False,
)


@dataclass
class Incoming:
    """One EDXL-RM message to import, with where it sits in the document."""

    element: etree._Element
    path: str
    kind: str  # the message's local name, e.g. "RequestResource"


@dataclass
class Document:
    """What was read: the envelope's ids (none for a bare message) and its messages."""

    root: etree._Element
    distribution_id: str = ""
    sender_id: str = ""
    incident_ids: list[str] = field(default_factory=list)
    messages: list[Incoming] = field(default_factory=list)


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def parse(data: bytes) -> etree._Element:
    """The document's root element, or MessageRefused (400) saying why it is not one."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise MessageRefused.one(
            "too_large",
            f"the message is {human(len(data))}; the limit is {human(limit)}",
            status=413,
        )
    if not data.strip():
        raise MessageRefused.one(
            "not_xml",
            "the body is empty: send an EDXL-DE envelope or an EDXL-RM message",
            status=400,
        )
    try:
        safe_et.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise MessageRefused.one(
            "xml_dtd",
            "the document declares a DTD (<!DOCTYPE ...>); EDXL messages have none, and "
            "aidbridge reads no DTD and expands no entity",
            status=400,
        ) from None
    except (EntitiesForbidden, ExternalReferenceForbidden):
        raise MessageRefused.one(
            "xml_dtd",
            "the document declares entities; aidbridge expands none",
            status=400,
        ) from None
    except ParseError as exc:
        raise MessageRefused.one("not_xml", f"not well-formed XML: {exc}", status=400) from None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:  # what expat took and libxml2 does not
        raise MessageRefused.one("not_xml", f"not well-formed XML: {exc}", status=400) from None


def _not_read(el: etree._Element, path: str) -> MessageRefused:
    qname = etree.QName(el)
    known = OTHER_STANDARDS.get((qname.namespace or "", qname.localname))
    if known:
        return MessageRefused.one("not_imported", f"{path} is {known}", path)
    if qname.namespace == RM_MSG:
        reason = NOT_IMPORTED.get(qname.localname)
        if reason:
            return MessageRefused.one(
                "not_imported", f"{qname.localname} messages are not imported: {reason}", path
            )
    return MessageRefused.one(
        "wrong_namespace",
        f"{{{qname.namespace or ''}}}{qname.localname} is not an EDXL-RM 1.0 message "
        f"({RM_MSG}: {', '.join(IMPORTED)}) nor an EDXL-DE 1.0 envelope ({DE}: {ROOT_DE})",
        path,
    )


def _text(parent: etree._Element, name: str) -> str:
    found = parent.find(f"{{{DE}}}{name}")
    return (found.text or "").strip() if found is not None else ""


def read(data: bytes) -> Document:
    """Parse ``data`` and find its EDXL-RM messages (MessageRefused otherwise).

    The schema check comes next (``edxl.imports.validate``); this only decides what the
    document is, so that a CAP alert or a hospital report gets its own precise reason.
    """
    root = parse(data)
    qname = etree.QName(root)
    if qname.namespace == RM_MSG and qname.localname in IMPORTED:
        return Document(root, messages=[Incoming(root, path_of(root), qname.localname)])
    if qname.namespace != DE or qname.localname != ROOT_DE:
        raise _not_read(root, path_of(root))
    document = Document(
        root,
        distribution_id=_text(root, "distributionID"),
        sender_id=_text(root, "senderID"),
    )
    problems: list[Problem] = []
    codes: list[str] = []
    for content in root.iterfind(f"{{{DE}}}contentObject"):
        incident = _text(content, "incidentID")
        if incident:
            document.incident_ids.append(incident)
        embedded = content.find(f"{{{DE}}}xmlContent/{{{DE}}}embeddedXMLContent")
        if embedded is None:
            codes.append("not_imported")
            problems.append(
                Problem(
                    "only embedded XML content is imported (no nonXMLContent, no keyXMLContent)",
                    path_of(content),
                )
            )
            continue
        for child in embedded:
            if not isinstance(child.tag, str):
                continue  # a comment or processing instruction
            name = etree.QName(child)
            if name.namespace == RM_MSG and name.localname in IMPORTED:
                document.messages.append(Incoming(child, path_of(child), name.localname))
            else:
                refused = _not_read(child, path_of(child))
                codes.append(refused.code)
                problems.extend(refused.problems)
    if problems:
        raise MessageRefused(codes[0], problems)
    if not document.messages:
        raise MessageRefused.one(
            "not_imported", "the envelope carries no EDXL-RM message", path_of(root)
        )
    return document
