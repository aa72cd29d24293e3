"""Round trip: a crisis's EDXL feed, imported by another centre, gives the same ledger.

The whole flow of ``conftest.flow`` (partial acceptance, decline, over-acceptance with
a reason, withdrawal, standing stock drawn and confirmed, dispatches, a short receipt,
closure) is exported as the duty officer would publish it. Then the database becomes
another centre's: the crisis is renamed out of the way, a new crisis takes its code,
and the centre code changes (so the first centre's message ids mean nothing here).
Each envelope is posted to ``/api/v1/edxl`` by the national system of the party whose
action it is; the receiving centre does what only it may do (circulate an imported
request once submitted, close it when the sender says it closed). The ledger's figures
of every request line are then compared, line by line.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.test import override_settings
from lxml import etree

from aidbridge.crises.models import Crisis
from aidbridge.edxl import feed
from aidbridge.edxl import namespaces as ns
from aidbridge.edxl.envelope import serialise
from aidbridge.edxl.tests.importing import XmlPoster
from aidbridge.ledger.sums import line_figures
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.services import circulate_request, close_rfa, submit_rfa

Key = tuple[int, str]  # (line position, item code)


def _figures(crisis: Crisis) -> dict[Key, dict[str, int]]:
    lines = RequestLine.objects.filter(rfa__crisis=crisis).select_related("item")
    figures = line_figures(lines)
    return {(ln.position, ln.item.code): asdict(figures[ln.pk]) for ln in lines}


def _export(actor: Any, crisis: Crisis) -> list[bytes]:
    with override_settings(AIDBRIDGE_EDXL_FEED_SETTLE_SECONDS=0):
        page = feed.feed(actor, crisis, 0, feed.MAX_LIMIT)
    assert not page.more
    return [serialise(element) for _, element in page.items]


def _acting_party(envelope: bytes, centre: str) -> str:
    """Whose action the message is: the envelope's sender, or for the centre's
    circulation of a request, the requester it names."""
    root = etree.fromstring(envelope)
    sender = root.findtext(f"{{{ns.DE}}}senderID", "").split("@")[0]
    if sender != centre:
        return sender
    for contact in root.iter(f"{{{ns.RM_MSG}}}ContactInformation"):
        if contact.findtext(f"{{{ns.RM}}}ContactRole") == "Requester":
            description = contact.findtext(f"{{{ns.RM}}}ContactDescription", "")
            return description.rsplit("(", 1)[1].rstrip(")")
    raise AssertionError("no requester in the centre's message")


def test_a_crisis_feed_imported_elsewhere_gives_the_same_ledger(
    flow: dict[str, Any], users: dict[str, Any], crisis: Crisis
) -> None:
    envelopes = _export(users["duty"], crisis)
    expected = _figures(crisis)
    vent = expected[(1, "VENT-ICU")]
    # Not a vacuous comparison: the flow left every kind of figure on the line.
    assert (vent["accepted"], vent["over_accepted"], vent["delivered"]) == (160, 10, 158)
    assert (vent["short_on_arrival"], vent["declined"], vent["outstanding"]) == (2, 90, 0)
    kinds = [etree.QName(p).localname for e in envelopes for p in _payloads(e)]
    assert {
        "RequestResource",
        "ResponseToRequestResource",
        "RequisitionResource",
        "ReportResourceDeploymentStatus",
    } <= set(kinds), kinds

    # Another centre: the first one's crisis moves out of the way, its ids are foreign.
    Crisis.objects.filter(pk=crisis.pk).update(code="covid-19-2020-origin")
    fresh = Crisis.objects.create(
        code=crisis.code,
        name_en=crisis.name_en,
        name_fr=crisis.name_fr,
        started_on=crisis.started_on,
    )
    posters = {
        code: XmlPoster(users[key])
        for code, key in (("ITA", "ita"), ("DEU", "deu"), ("ESP", "esp"), ("CZE", "cze"))
    }
    outcomes: list[str] = []
    with override_settings(AIDBRIDGE_CENTRE_CODE="OTHER"):
        for envelope, kind in zip(envelopes, kinds, strict=True):
            response = posters[_acting_party(envelope, "EADRCC")].post(envelope)
            body = response.json()
            if kind == "ReleaseResource" and body.get("code") == "not_imported":
                # The first centre closed the request: the receiving centre decides so too.
                rfa = RequestForAssistance.objects.get(crisis=fresh)
                close_rfa(users["duty"], rfa, RequestForAssistance.Closure.FULFILLED, "as sent")
                outcomes.append(f"{kind}: closed here")
                continue
            assert response.status_code == 201, (kind, body)
            outcomes.append(kind)
            if kind == "RequestResource":
                rfa = RequestForAssistance.objects.get(pk=body["messages"][0]["created"][0]["id"])
                submit_rfa(users["ita"], rfa)
                circulate_request(users["duty"], rfa)

    got = _figures(fresh)
    assert list(got) == list(expected)
    for key in expected:
        assert got[key] == expected[key], (key, outcomes)


def _payloads(envelope: bytes) -> list[etree._Element]:
    root = etree.fromstring(envelope)
    return [
        child
        for holder in root.iter(f"{{{ns.DE}}}embeddedXMLContent")
        for child in holder
        if isinstance(child.tag, str)
    ]
