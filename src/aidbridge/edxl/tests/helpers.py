"""Reading exported envelopes back in the tests (lxml over the XML the API sent)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from aidbridge.edxl import namespaces as ns

NS = {"de": ns.DE, "rmsg": ns.RM_MSG, "rm": ns.RM, "xnl": ns.XNL, "xal": ns.XAL, "gml": ns.GML}


def payloads(envelope: etree._Element) -> list[etree._Element]:
    return list(
        envelope.xpath("de:contentObject/de:xmlContent/de:embeddedXMLContent/*", namespaces=NS)
    )


def text(element: etree._Element, path: str) -> str:
    found = element.xpath(path, namespaces=NS)
    assert found, f"nothing at {path}"
    value = found[0]
    return str(value.text if isinstance(value, etree._Element) else value)


def texts(element: etree._Element, path: str) -> list[str]:
    return [str(e.text) for e in element.xpath(path, namespaces=NS)]


def kind(message: etree._Element) -> str:
    return str(etree.QName(message).localname)


def parse(data: bytes) -> Any:
    return etree.fromstring(data)
