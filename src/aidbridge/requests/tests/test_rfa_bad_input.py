"""Bad input and wrong-state actions on RFAs: a 4xx naming the field, nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.core.models import Sequence
from aidbridge.crises.models import Crisis
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.tests.conftest import rfa_body


def _line(**changes: Any) -> dict[str, Any]:
    return {"item": "VENT-ICU", "quantity": 10, "delivery_airport": "LIRF"} | changes


BAD_LINES = [
    pytest.param(_line(quantity=0), "lines.0.quantity", id="zero quantity"),
    pytest.param(_line(quantity=-5), "lines.0.quantity", id="negative quantity"),
    pytest.param(_line(quantity=2.5), "lines.0.quantity", id="fractional quantity"),
    pytest.param(_line(quantity=3.0), "lines.0.quantity", id="float quantity"),
    pytest.param(_line(quantity="10"), "lines.0.quantity", id="quantity as text"),
    pytest.param(_line(quantity=None), "lines.0.quantity", id="no quantity"),
    pytest.param(_line(item="UNOBTAINIUM"), "lines.0.item", id="unknown item"),
    pytest.param(_line(unit="kg"), "lines.0.unit", id="unit not the item's"),
    pytest.param(_line(priority=0), "lines.0.priority", id="priority 0"),
    pytest.param(_line(priority=4), "lines.0.priority", id="priority 4"),
    pytest.param(_line(needed_by="next week"), "lines.0.needed_by", id="bad date"),
    pytest.param(_line(delivery_airport="QQQQ"), "lines.0.delivery_airport", id="no airport"),
    pytest.param(
        _line(delivery_airport="", delivery_place="Bergamo", delivery_lat=45.7),
        "lines.0.delivery_lon",
        id="place without longitude",
    ),
    pytest.param(
        _line(delivery_airport="", delivery_place="Bergamo", delivery_lat=95, delivery_lon=9),
        "lines.0.delivery_lat",
        id="latitude out of range",
    ),
    pytest.param(
        _line(delivery_lat=45.0, delivery_lon=9.0),
        "lines.0.delivery_lat",
        id="airport and coordinates",
    ),
    pytest.param(_line(quantiy=5), "lines.0.quantiy", id="misspelt field"),
    pytest.param(_line(transport_needed="maybe"), "lines.0.transport_needed", id="not a flag"),
]


@pytest.mark.parametrize(("line", "field"), BAD_LINES)
def test_a_bad_line_is_refused_by_name_and_nothing_is_written(api, items, crisis, line, field):
    lines = [_line(), line]
    response = api("ita").post("/rfas", rfa_body(lines=[lines[1]]))
    assert response.status_code == 422, response.json()
    body = response.json()
    assert field in [e["field"] for e in body["errors"]], body
    assert all(e["message"] for e in body["errors"])
    assert not RequestForAssistance.objects.exists()
    assert not RequestLine.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "status"),
    [
        ({"crisis": "no-such-crisis"}, "crisis", 422),
        ({"title": "   "}, "title", 422),
        ({"contact_email": "nobody"}, "contact_email", 422),
        ({"repeat_of": 999999}, "repeat_of", 422),
        ({"requester": "ESP"}, "requester", 422),
        ({"lines": "ventilators"}, "lines", 422),
    ],
)
def test_bad_request_fields_are_named(api, items, crisis, changes, field, status) -> None:
    response = api("ita").post("/rfas", rfa_body(**changes))
    assert response.status_code == status, response.json()
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert not RequestForAssistance.objects.exists()


def test_malformed_json_is_a_400_naming_the_body(api, items, crisis) -> None:
    response = api("ita").post("/rfas", '{"crisis": "covid-19-2020", "title": ')
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    assert response.json()["errors"][0]["field"] == "body"
    assert not RequestForAssistance.objects.exists()


def test_no_request_in_a_closed_crisis(api, items, crisis) -> None:
    Crisis.objects.filter(pk=crisis.pk).update(status="closed")
    response = api("ita").post("/rfas", rfa_body())
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "crisis"


def test_a_repeat_must_be_of_the_same_nations_request(api, circulated, draft) -> None:
    spanish = circulated("esp")
    response = api("ita").post("/rfas", rfa_body(repeat_of=spanish["id"]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "repeat_of"


def test_an_incomplete_draft_cannot_be_submitted(api, draft) -> None:
    empty = draft("ita", lines=[])
    response = api("ita").post(f"/rfas/{empty['id']}/submit")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines"
    nowhere = draft("ita", lines=[{"item": "VENT-ICU", "quantity": 3}])
    response = api("ita").post(f"/rfas/{nowhere['id']}/submit")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines.0.delivery_airport"
    assert set(RequestForAssistance.objects.values_list("status", flat=True)) == {"draft"}


def test_circulating_twice_is_refused_and_uses_no_second_number(api, circulated) -> None:
    rfa = circulated("ita")
    again = api("duty").post(f"/rfas/{rfa['id']}/circulate")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert again.json()["errors"][0]["field"] == "status"
    assert Sequence.objects.get(name="RFA").last == 1
    assert AuditEntry.objects.filter(action="rfa.circulate").count() == 1


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("submit", None),
        ("return", {"reason": "x"}),
        ("withdraw", {"reason": "x"}),
        ("close", {"closure": "fulfilled"}),
    ],
)
def test_a_closed_request_cannot_move_again(api, circulated, action, body) -> None:
    rfa = circulated("ita")
    api("duty").post(f"/rfas/{rfa['id']}/close", {"closure": "overtaken"})
    who = "ita" if action in ("submit", "withdraw") else "duty"
    response = api(who).post(f"/rfas/{rfa['id']}/{action}", body)
    assert response.status_code == 409, response.json()
    assert RequestForAssistance.objects.get().closure == "overtaken"


def test_only_drafts_and_returned_requests_can_be_edited(api, circulated) -> None:
    rfa = circulated("ita")
    response = api("ita").patch(f"/rfas/{rfa['id']}", {"title": "Changed after circulation"})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "status"
    assert RequestForAssistance.objects.get().title == rfa["title"]


def test_reasons_are_required_where_someone_must_act_on_them(api, circulated, draft) -> None:
    rfa = draft("ita")
    api("ita").post(f"/rfas/{rfa['id']}/submit")
    no_reason = api("duty").post(f"/rfas/{rfa['id']}/return", {"reason": ""})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    blank = api("duty").post(f"/rfas/{rfa['id']}/return", {"reason": "   "})
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "reason"
    bad_closure = api("duty").post(f"/rfas/{rfa['id']}/close", {"closure": "forgotten"})
    assert bad_closure.status_code == 422
    assert bad_closure.json()["errors"][0]["field"] == "closure"
    assert RequestForAssistance.objects.get().status == "submitted"


def test_a_failed_edit_changes_nothing(api, draft) -> None:
    rfa = draft("ita")
    response = api("ita").patch(
        f"/rfas/{rfa['id']}",
        {"title": "New title", "lines": [_line(), _line(item="NOPE")]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines.1.item"
    stored = RequestForAssistance.objects.get()
    assert stored.title == rfa["title"]
    assert stored.lines.count() == 2
    assert AuditEntry.objects.filter(action__in=["rfa.update", "rfa_line.update"]).count() == 0


def test_the_service_refuses_what_the_api_schema_would_have_caught(users, items, crisis):
    """Scripts and loaders call the service directly: it must hold the same line."""
    from aidbridge.core.errors import ValidationFailed
    from aidbridge.requests.services import create_rfa

    for line, field in [
        (_line(quantity=2.0), "lines.0.quantity"),
        (_line(quantity=True), "lines.0.quantity"),
        (_line(priority="1"), "lines.0.priority"),
        (_line(transport_needed="yes"), "lines.0.transport_needed"),
        (_line(colour="red"), "lines.0.colour"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            create_rfa(users["ita"], crisis=crisis, title="Direct", lines=[line])
        assert refused.value.field == field
    assert not RequestForAssistance.objects.exists()
