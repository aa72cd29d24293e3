"""Public sitreps as CAP 1.2 alerts, for alerting systems that read CAP, not Atom.

Only sitreps released to the public (``sitreps.selectors.public_sitreps``) become
alerts. A crisis's first public sitrep is an ``Alert``; each later one an ``Update``
whose ``references`` names the previous public one (``sender,identifier,sent``), so a
CAP client keeps one thread per crisis. The identifiers derive from the sitrep, so an
alert reads the same every time it is fetched.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from aidbridge.edxl import ids
from aidbridge.edxl import namespaces as ns
from aidbridge.edxl.xmltext import xml_safe
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.selectors import public_sitreps

_C = ns.CAP


def cap_time(value: datetime) -> str:
    """CAP's dateTime: explicit offset, never ``Z`` (the CAP 1.2 schema's pattern)."""
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def identifier(sitrep: Sitrep) -> str:
    return f"urn:aidbridge:{ids.centre()}:sitrep:{sitrep.pk}"


def sender() -> str:
    return f"{ids.centre().lower()}@aidbridge"


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{_C}}}{name}")
    if text is not None:
        element.text = xml_safe(text)
    return element


def previous_public(sitrep: Sitrep) -> Sitrep | None:
    """The crisis's public sitrep published just before this one."""
    assert sitrep.published_at is not None
    return (
        public_sitreps()
        .filter(crisis_id=sitrep.crisis_id)
        .filter(published_at__lte=sitrep.published_at)
        .exclude(pk=sitrep.pk)
        .exclude(published_at=sitrep.published_at, pk__gt=sitrep.pk)
        .order_by("-published_at", "-id")
        .first()
    )


def _info(alert: etree._Element, sitrep: Sitrep, lang: str, link: str) -> None:
    crisis = sitrep.crisis
    name = crisis.name_fr if lang == "fr" else crisis.name_en
    situation = sitrep.general_situation_fr if lang == "fr" else sitrep.general_situation
    assessment = sitrep.assessment_fr if lang == "fr" else sitrep.assessment
    info = _sub(alert, "info")
    _sub(info, "language", "fr-FR" if lang == "fr" else "en-GB")
    _sub(info, "category", "Other")
    _sub(info, "event", f"{name}: situation report")
    _sub(info, "responseType", "None")
    _sub(info, "urgency", "Unknown")
    _sub(info, "severity", "Unknown")
    _sub(info, "certainty", "Observed")
    _sub(info, "senderName", ids.centre())
    _sub(info, "headline", f"{sitrep.message_number} — {name}"[:160])
    text = "\n\n".join(t for t in (situation, assessment) if t)
    if text:
        _sub(info, "description", text)
    _sub(info, "web", link)
    parameter = _sub(info, "parameter")
    _sub(parameter, "valueName", "aidbridge:crisis")
    _sub(parameter, "value", crisis.code)


def alert(sitrep: Sitrep, link: str) -> etree._Element:
    """The CAP alert of a published, releasable sitrep (``link``: its public page)."""
    assert sitrep.published_at is not None and sitrep.releasable
    root = etree.Element(f"{{{_C}}}alert", nsmap={None: _C})
    _sub(root, "identifier", identifier(sitrep))
    _sub(root, "sender", sender())
    _sub(root, "sent", cap_time(sitrep.published_at))
    _sub(root, "status", "Actual")
    before = previous_public(sitrep)
    _sub(root, "msgType", "Update" if before is not None else "Alert")
    _sub(root, "source", sitrep.message_number or "")
    _sub(root, "scope", "Public")
    _sub(root, "note", f"{sitrep.marking_en} / {sitrep.marking_fr}")
    if before is not None and before.published_at is not None:
        _sub(root, "references", f"{sender()},{identifier(before)},{cap_time(before.published_at)}")
    _sub(root, "incidents", sitrep.crisis.code)
    _info(root, sitrep, "en", link)
    if sitrep.general_situation_fr or sitrep.assessment_fr:
        _info(root, sitrep, "fr", link + ("&" if "?" in link else "?") + "lang=fr")
    return root
