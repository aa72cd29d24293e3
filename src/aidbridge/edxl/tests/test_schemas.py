"""The schema sets load from the package and report errors by the document's own path."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from aidbridge.edxl import namespaces as ns
from aidbridge.edxl.schemas import (
    XSD_DIR,
    is_valid,
    rm_schema,
    validate,
    validate_thoroughly,
)

PACKAGE_EXAMPLES = Path(__file__).resolve().parent / "examples"


def _example(name: str) -> etree._ElementTree:
    return etree.parse(str(PACKAGE_EXAMPLES / name))


@pytest.mark.parametrize(
    "name",
    [
        "edxl-rm-1.0_RequestResource.xml",
        "edxl-rm-1.0_CommitResource.xml",
        "edxl-de-1.0_wrapping_have-1.0_HospitalStatus.xml",
        "cap-1.2_amber_alert_example.xml",
    ],
)
def test_other_implementations_examples_are_valid(name: str) -> None:
    assert validate(_example(name)) == []


def test_every_rm_message_type_is_a_root_of_the_one_rm_schema() -> None:
    assert set(rm_schema().elements) == set(ns.RM_MESSAGE_TYPES)


def test_schemas_are_the_packages_own_copies() -> None:
    assert (XSD_DIR / "edxl-rm" / "1.0" / "EDXL-RMCommonTypes.xsd").is_file()
    assert (XSD_DIR / "SOURCE.md").is_file()


def test_envelope_error_names_its_path() -> None:
    tree = _example("edxl-de-1.0_wrapping_have-1.0_HospitalStatus.xml")
    root = tree.getroot()
    root.find(ns.q(ns.DE, "distributionStatus")).text = "Bogus"
    errors = validate(tree)
    assert [e.path for e in errors] == ["/EDXLDistribution/distributionStatus[1]"]
    assert "Actual" in errors[0].reason and errors[0].schema == "EDXL-DE 1.0"


def test_error_inside_embedded_payload_is_found_and_named_from_the_envelope() -> None:
    message = _example("edxl-rm-1.0_RequestResource.xml").getroot()
    envelope = _example("edxl-de-1.0_wrapping_have-1.0_HospitalStatus.xml").getroot()
    holder = envelope.find(
        f"{ns.q(ns.DE, 'contentObject')}/{ns.q(ns.DE, 'xmlContent')}/"
        f"{ns.q(ns.DE, 'embeddedXMLContent')}"
    )
    assert holder is not None
    holder[0].addnext(message)
    assert validate(envelope) == []
    message.find(ns.q(ns.RM_MSG, "SentDateTime")).text = "yesterday"
    errors = validate(envelope)
    assert [e.path for e in errors] == [
        "/EDXLDistribution/contentObject[1]/xmlContent[1]/embeddedXMLContent[1]"
        "/RequestResource[1]/SentDateTime[1]"
    ]
    assert errors[0].schema == "EDXL-RM 1.0"


def test_libxml2_and_xmlschema_refuse_the_same_documents() -> None:
    message = _example("edxl-rm-1.0_RequestResource.xml").getroot()
    assert is_valid(message) and validate_thoroughly(message) == []
    message.find(ns.q(ns.RM_MSG, "MessageContentType")).text = "Nonsense"
    assert not is_valid(message)
    assert [e.path for e in validate_thoroughly(message)] == [
        "/RequestResource/MessageContentType[1]"
    ]


def test_unknown_namespace_is_an_error_not_a_pass() -> None:
    errors = validate(etree.fromstring(b"<alert xmlns='urn:example'/>"))
    assert len(errors) == 1 and "urn:example" in errors[0].reason


def test_threads_validating_at_once_each_get_their_own_verdict() -> None:
    good = _example("edxl-rm-1.0_RequestResource.xml").getroot()
    bad = etree.fromstring(etree.tostring(good))
    bad.find(ns.q(ns.RM_MSG, "SentDateTime")).text = "yesterday"

    def check(index: int) -> bool:
        return is_valid(good if index % 2 else bad)

    with ThreadPoolExecutor(max_workers=4) as pool:
        verdicts = list(pool.map(check, range(200)))
    assert verdicts == [bool(i % 2) for i in range(200)]
