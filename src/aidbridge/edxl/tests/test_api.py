"""The EDXL API, the feed's cursor, who sees what, the command and the CAP alerts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aidbridge.audit.models import AuditEntry
from aidbridge.edxl import cap, feed, ids, schemas
from aidbridge.edxl.tests.helpers import kind, parse, payloads, text
from aidbridge.offers import services as offers
from aidbridge.sitreps import services as sitreps


@pytest.fixture(autouse=True)
def _no_settling(settings: Any) -> None:
    # Every write of these tests is committed before the feed is read; the settling
    # delay has its own test below.
    settings.AIDBRIDGE_EDXL_FEED_SETTLE_SECONDS = 0


def test_request_download_is_a_valid_envelope_of_its_whole_chain(
    flow: dict[str, Any], api: Callable[[str | None], Any]
) -> None:
    response = api("tur").get(f"/rfas/{flow['rfa'].pk}/edxl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    envelope = parse(response.content)
    assert schemas.validate(envelope) == []
    kinds = [kind(p) for p in payloads(envelope)]
    assert kinds[0] == "RequestResource" and kinds[-1] == "ReleaseResource"
    # Standing stock is the crisis's, not this request's: only its commitment is here.
    assert "OfferUnsolicitedResource" not in kinds and "CommitResource" in kinds
    assert text(envelope, "de:keyword[de:valueListUrn='urn:aidbridge:crisis']/de:value") == (
        "covid-19-2020"
    )


def test_offer_download_and_status_request(
    flow: dict[str, Any], api: Callable[[str | None], Any]
) -> None:
    offer = api("ita").get(f"/offers/{flow['deu_offer'].pk}/edxl")
    assert offer.status_code == 200
    kinds = [kind(p) for p in payloads(parse(offer.content))]
    assert kinds[0] == "ResponseToRequestResource" and "ReleaseResource" in kinds
    asked = api("ita").get(f"/rfas/{flow['rfa'].pk}/edxl", message="status-request")
    assert asked.status_code == 200
    envelope = parse(asked.content)
    assert schemas.validate(envelope) == []
    (message,) = payloads(envelope)
    assert kind(message) == "RequestResourceDeploymentStatus"
    # Ledger figures: 30 accepted - 28 delivered, 60,000 masks and 200 suits not moved.
    amounts = [e.text for e in message.iterfind(".//{*}MeasuredQuantity/{*}Amount")]
    assert amounts == ["2", "60000", "200"]


def test_status_request_with_nothing_awaited_is_a_409(
    api: Callable[[str | None], Any], users: dict[str, Any], items: Any, crisis: Any, parties: Any
) -> None:
    from aidbridge.offers.tests.factories import circulated_rfa

    rfa = circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 5)])
    response = api("ita").get(f"/rfas/{rfa.pk}/edxl", message="status-request")
    assert response.status_code == 409 and "awaits delivery" in response.json()["detail"]


def test_a_nation_sees_no_request_it_may_not_see(
    api: Callable[[str | None], Any], users: dict[str, Any], items: Any, crisis: Any, parties: Any
) -> None:
    from aidbridge.offers.tests.factories import Status, circulated_rfa

    draft = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 5)], status=Status.SUBMITTED
    )
    assert api("tur").get(f"/rfas/{draft.pk}/edxl").status_code == 404
    assert api(None).get(f"/rfas/{draft.pk}/edxl").status_code == 401
    mine = api("ita").get(f"/rfas/{draft.pk}/edxl")
    assert mine.status_code == 200 and payloads(parse(mine.content)) == []  # not circulated
    feed_of = api("tur").get(f"/crises/{crisis.code}/edxl/feed").json()
    assert feed_of["messages"] == []


def _poll(client: Any, code: str, since: int, limit: int) -> dict[str, Any]:
    response = client.get(f"/crises/{code}/edxl/feed", since=since, limit=limit)
    assert response.status_code == 200, response.json()
    return dict(response.json())


def test_feed_resumes_exactly_where_the_client_left_off(
    flow: dict[str, Any], api: Callable[[str | None], Any], users: dict[str, Any]
) -> None:
    client, code = api("deu"), flow["rfa"].crisis.code
    everything = _poll(client, code, 0, 1000)
    assert not everything["more"]
    all_ids = [m["message_id"] for m in everything["messages"]]
    got: list[str] = []
    cursor = 0
    for _ in range(100):
        page = _poll(client, code, cursor, 3)
        got += [m["message_id"] for m in page["messages"]]
        assert all(schemas.validate(parse(m["envelope"].encode())) == [] for m in page["messages"])
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert got == all_ids and len(set(got)) == len(got)
    # New steps after the client caught up come next, once, and nothing else.
    standing = flow["standing"]
    offers.withdraw_offer(users["deu"], standing, "Sent elsewhere")
    page = _poll(client, code, cursor, 3)
    assert [m["message_type"] for m in page["messages"]] == ["RequestReturn"]
    assert _poll(client, code, page["cursor"], 3)["messages"] == []


def test_feed_waits_at_an_id_gap_while_the_entry_may_still_be_in_flight(
    flow: dict[str, Any], settings: Any, users: dict[str, Any]
) -> None:
    settings.AIDBRIDGE_EDXL_FEED_SETTLE_SECONDS = 60
    crisis = flow["rfa"].crisis
    last = AuditEntry.objects.order_by("-pk").first()
    assert last is not None
    # An entry written after a missing id (as when a transaction holding the id has not
    # committed yet): a client must not be moved past the missing id.
    later = AuditEntry(
        pk=last.pk + 2,
        at=timezone.now(),
        action="rfa.circulate",
        target_type=last.target_type,
        target_id=last.target_id,
        target_repr=last.target_repr,
        crisis=crisis,
    )
    later.save(force_insert=True)
    page = feed.feed(users["duty"], crisis, last.pk - 1)
    assert page.cursor == last.pk and not page.more
    # Once the gap is old (a rolled-back id), the feed moves on.
    settings.AIDBRIDGE_EDXL_FEED_SETTLE_SECONDS = 0
    assert feed.feed(users["duty"], crisis, last.pk).cursor == later.pk


def test_feed_refuses_a_bad_cursor(flow: dict[str, Any], api: Callable[[str | None], Any]) -> None:
    client = api("deu")
    code = flow["rfa"].crisis.code
    for bad in ("-1", "x", "1.5"):
        response = client.get(f"/crises/{code}/edxl/feed", since=bad)
        assert response.status_code == 422
    assert client.get("/crises/nowhere/edxl/feed").status_code == 404


def test_value_lists_name_what_the_messages_use(
    flow: dict[str, Any], api: Callable[[str | None], Any]
) -> None:
    catalogue = api("tur").get("/edxl/value-lists/catalogue").json()
    assert catalogue["urn"] == ids.CATALOGUE_URN
    names = {v["value"]: v["name_en"] for v in catalogue["values"]}
    assert names["VENT-ICU"] == "ICU ventilator" and names["MASK-SURG"] == "Surgical mask"
    assert api("tur").get("/edxl/value-lists/nothing").status_code == 404


def test_export_command_writes_the_feed_and_validates(
    flow: dict[str, Any], tmp_path: Path, api: Callable[[str | None], Any]
) -> None:
    call_command(
        "edxl",
        "export",
        "--crisis",
        "covid-19-2020",
        "--as",
        "duty",
        "-o",
        str(tmp_path),
        "--validate",
    )
    files = sorted(tmp_path.glob("*.xml"))
    count = api("duty").get("/crises/covid-19-2020/edxl/feed").json()["count"]
    assert len(files) == count
    assert all(schemas.validate(parse(f.read_bytes())) == [] for f in files)
    single = tmp_path / "rfa.xml"
    call_command(
        "edxl",
        "export",
        "--rfa",
        str(flow["rfa"].pk),
        "--as",
        "tur-poc",
        "-o",
        str(single),
        "--validate",
    )
    assert kind(payloads(parse(single.read_bytes()))[0]) == "RequestResource"


def _published(users: dict[str, Any], crisis: Any, situation: str) -> Any:
    draft = sitreps.draft_sitrep(users["duty"], crisis)
    draft = sitreps.update_sitrep_text(
        users["duty"], draft, releasable=True, general_situation=situation
    )
    return sitreps.publish_sitrep(users["head"], draft)


def test_public_sitreps_are_cap_alerts_then_updates(
    users: dict[str, Any], crisis: Any, parties: Any
) -> None:
    first = _published(users, crisis, "Hospitals in Lombardy are full.")
    second = _published(users, crisis, "Ventilators arrived.")
    client = Client()
    alerts = []
    for sitrep in (first, second):
        response = client.get(f"/public/sitreps/{sitrep.pk}/cap/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/cap+xml")
        alert = parse(response.content)
        assert schemas.validate(alert) == []
        alerts.append(alert)
    q = "{urn:oasis:names:tc:emergency:cap:1.2}"
    assert [a.findtext(f"{q}msgType") for a in alerts] == ["Alert", "Update"]
    assert alerts[0].find(f"{q}references") is None
    assert alerts[1].findtext(f"{q}references") == (
        f"{cap.sender()},{cap.identifier(first)},{cap.cap_time(first.published_at)}"
    )
    assert "Ventilators arrived." in (alerts[1].findtext(f"{q}info/{q}description") or "")


def test_a_sitrep_not_released_has_no_public_alert(users: dict[str, Any], crisis: Any) -> None:
    draft = sitreps.draft_sitrep(users["duty"], crisis)
    draft = sitreps.update_sitrep_text(users["duty"], draft, general_situation="Internal only.")
    published = sitreps.publish_sitrep(users["head"], draft)
    assert Client().get(f"/public/sitreps/{published.pk}/cap/").status_code == 404


def test_request_page_links_the_download_which_works_with_the_session(
    flow: dict[str, Any], users: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(users["esp"])
    page = client.get(reverse("web:rfa_detail", args=[flow["rfa"].pk]))
    link = f"/api/v1/rfas/{flow['rfa'].pk}/edxl"
    assert page.status_code == 200 and f'href="{link}"' in page.content.decode()
    download = client.get(link)
    assert download.status_code == 200
    assert schemas.validate(parse(download.content)) == []


def test_control_characters_in_stored_text_still_export_valid_xml(
    flow: dict[str, Any], api: Callable[[str | None], Any]
) -> None:
    """The text rule lets U+001F through; XML 1.0 cannot carry it (the API fuzzer got a
    500 here). The export replaces it and stays schema-valid."""
    rfa = flow["rfa"]
    type(rfa).objects.filter(pk=rfa.pk).update(title="Masks\x1f for\x0b Lombardy")
    offer = flow["deu_offer"]
    for path in (f"/rfas/{rfa.pk}/edxl", f"/offers/{offer.pk}/edxl"):
        response = api("ita").get(path)
        assert response.status_code == 200, path
        assert schemas.validate(parse(response.content)) == []
    assert (
        "Masks\ufffd for\ufffd Lombardy" in api("ita").get(f"/rfas/{rfa.pk}/edxl").content.decode()
    )
