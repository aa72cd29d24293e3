"""Namespace URIs of the OASIS standards aidbridge speaks, as read off their XSDs.

Read off the ``targetNamespace`` of each file in ``edxl/xsd/`` (sources in
``edxl/xsd/SOURCE.md``). One place, so builders, readers and schemas never spell a
URI twice: Sahana Eden's export put the common types in the message namespace, the
mistake this module exists to prevent.
"""

from __future__ import annotations

from typing import Final

# EDXL-DE 1.0, the envelope (edxl-de/1.0/de.xsd).
DE: Final = "urn:oasis:names:tc:emergency:EDXL:DE:1.0"
# EDXL-RM 1.0 message elements (edxl-rm/1.0/EDXL-RM<Message>.xsd).
RM_MSG: Final = "urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg"
# EDXL-RM 1.0 common types (edxl-rm/1.0/EDXL-RMCommonTypes.xsd): ContactInformation
# content, IncidentID, ValueListURN/Value, QuantityText, MeasuredQuantity, Location...
RM: Final = "urn:oasis:names:tc:emergency:EDXL:RM:1.0"
# OASIS CIQ 3.0: names, addresses, parties, common types.
XNL: Final = "urn:oasis:names:tc:ciq:xnl:3"
XAL: Final = "urn:oasis:names:tc:ciq:xal:3"
XPIL: Final = "urn:oasis:names:tc:ciq:xpil:3"
CIQ_CT: Final = "urn:oasis:names:tc:ciq:ct:3"
# The GML profile EDXL-RM uses for locations (geo-oasis.xsd, gml-oasis.xsd).
GEO_OASIS: Final = "urn:oasis:names:tc:emergency:EDXL:HAVE:1.0:geo-oasis"
GML: Final = "http://www.opengis.net/gml"
XLINK: Final = "http://www.w3.org/1999/xlink"
# EDXL-HAVE 1.0 (edxl-have/1.0/edxl-have.xsd): read, not written, by aidbridge.
HAVE: Final = "urn:oasis:names:tc:emergency:EDXL:HAVE:1.0"
# CAP 1.2 (cap/1.2/CAP-v1.2.xsd).
CAP: Final = "urn:oasis:names:tc:emergency:cap:1.2"
XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"

# Prefixes written on output: the customary ones of the standards' own examples, so a
# human reading a message sees familiar names.
NSMAP: Final[dict[str | None, str]] = {
    "de": DE,
    "rmsg": RM_MSG,
    "rm": RM,
    "xnl": XNL,
    "xal": XAL,
    "xpil": XPIL,
    "geo-oasis": GEO_OASIS,
    "gml": GML,
}

# The sixteen EDXL-RM 1.0 message types (one root element and one XSD each).
RM_MESSAGE_TYPES: Final = (
    "RequestResource",
    "ResponseToRequestResource",
    "RequisitionResource",
    "CommitResource",
    "RequestInformation",
    "ResponseToRequestInformation",
    "OfferUnsolicitedResource",
    "ReleaseResource",
    "RequestReturn",
    "ResponseToRequestReturn",
    "RequestQuote",
    "ResponseToRequestQuote",
    "RequestResourceDeploymentStatus",
    "ReportResourceDeploymentStatus",
    "RequestExtendedDeploymentDuration",
    "ResponseToRequestExtendedDeploymentDuration",
)


def q(namespace: str, local: str) -> str:
    """Clark notation ``{ns}local``, the tag form lxml and xmlschema both take."""
    return f"{{{namespace}}}{local}"
