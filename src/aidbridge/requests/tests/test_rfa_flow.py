"""The life of a request for assistance through the HTTP API."""

from __future__ import annotations

import re

from django.core import mail

from aidbridge.audit.models import AuditEntry
from aidbridge.notifications.models import Notification
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.tests.conftest import rfa_body


def test_a_poc_drafts_a_request_for_their_own_nation(api, users, draft) -> None:
    rfa = draft("ita")
    assert rfa["status"] == "draft"
    assert rfa["requester"] == "ITA"
    assert rfa["reference"] is None
    assert rfa["created_by"] == "ita-poc"
    assert rfa["actions"] == ["edit", "submit", "withdraw"]
    vent, masks = rfa["lines"]
    assert vent["item"] == "VENT-ICU"
    assert vent["unit"] == "piece"  # taken from the item
    assert vent["delivery_airport"] == "LIRF"
    assert abs(vent["delivery_lat"] - 41.80) < 0.05  # filled from airportsdata
    assert "Fiumicino" in vent["delivery_place"] or "Rome" in vent["delivery_place"]
    assert masks["delivery_place"] == "Milan regional warehouse"
    assert masks["priority"] == 2
    assert rfa["top_priority"] == 1
    assert rfa["first_needed_by"] == "2020-03-20"
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["rfa.create", "rfa_line.add", "rfa_line.add"]


def test_submit_circulate_gives_a_reference_and_tells_everyone(
    api, users, draft, django_capture_on_commit_callbacks
) -> None:
    rfa = draft("ita")
    submitted = api("ita").post(f"/rfas/{rfa['id']}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["actions"] == ["withdraw"]
    # The centre is told a request waits for it.
    assert set(
        Notification.objects.filter(kind="rfa.submitted").values_list(
            "recipient__username", flat=True
        )
    ) == {"duty", "head"}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        circulated = api("duty").post(f"/rfas/{rfa['id']}/circulate").json()
    assert circulated["status"] == "circulated"
    assert re.fullmatch(r"RFA-\d{4}-0001", circulated["reference"])
    assert circulated["circulated_at"] is not None
    told = set(
        Notification.objects.filter(kind="rfa.circulated").values_list(
            "recipient__username", flat=True
        )
    )
    # Every POC (the requester's too) and the observer; the airlift coordinator because
    # a line needs transport; not the duty officer who did it.
    assert told == {"ita-poc", "esp-poc", "deu-poc", "cze-poc", "tur-poc", "stock-mgr"} | {
        "ocha",
        "airlift",
    }
    assert len(mail.outbox) == len(told)
    assert circulated["reference"] in mail.outbox[0].subject

    second = draft("esp")
    api("esp").post(f"/rfas/{second['id']}/submit")
    ref2 = api("head").post(f"/rfas/{second['id']}/circulate").json()["reference"]
    assert ref2.endswith("-0002")

    entry = AuditEntry.objects.get(action="rfa.circulate", target_id=rfa["id"])
    assert (entry.from_state, entry.to_state) == ("submitted", "circulated")
    assert entry.changes["reference"] == [None, circulated["reference"]]
    assert entry.actor == users["duty"]


def test_the_centre_returns_a_request_and_the_nation_fixes_and_resubmits(api, draft) -> None:
    rfa = draft("ita")
    api("ita").post(f"/rfas/{rfa['id']}/submit")
    returned = api("duty").post(f"/rfas/{rfa['id']}/return", {"reason": "Specify ventilator type"})
    assert returned.json()["status"] == "returned"
    assert returned.json()["status_reason"] == "Specify ventilator type"
    note = Notification.objects.get(kind="rfa.returned")
    assert note.recipient.username == "ita-poc"
    assert "Specify ventilator type" in note.body

    fixed = api("ita").patch(
        f"/rfas/{rfa['id']}",
        {"lines": [{**rfa_body()["lines"][0], "specification": "Invasive, with HFNC"}]},
    )
    assert fixed.status_code == 200, fixed.json()
    assert [line["specification"] for line in fixed.json()["lines"]] == ["Invasive, with HFNC"]
    assert api("ita").post(f"/rfas/{rfa['id']}/submit").json()["status"] == "submitted"
    assert api("duty").post(f"/rfas/{rfa['id']}/circulate").json()["status"] == "circulated"


def test_editing_replaces_lines_keeps_ids_and_history_shows_every_change(api, draft) -> None:
    rfa = draft("ita")
    vent_id = rfa["lines"][0]["id"]
    body = rfa_body()
    body["lines"][0]["quantity"] = 200
    response = api("ita").put(
        f"/rfas/{rfa['id']}",
        {k: v for k, v in body.items() if k != "crisis"} | {"lines": [body["lines"][0]]},
    )
    assert response.status_code == 200, response.json()
    assert [(line["id"], line["quantity"]) for line in response.json()["lines"]] == [(vent_id, 200)]
    assert RequestLine.objects.filter(rfa_id=rfa["id"]).count() == 1

    history = api("ita").get(f"/rfas/{rfa['id']}/history").json()
    assert [h["action"] for h in history] == [
        "rfa.create",
        "rfa_line.add",
        "rfa_line.add",
        "rfa_line.update",
        "rfa.line_remove",
    ]
    update = history[3]
    assert update["target_type"] == "requestline"
    assert update["changes"] == {"quantity": [150, 200]}
    assert update["actor"] == "ita-poc"
    assert update["actor_party"] == "ITA"
    assert history[4]["changes"]["item"] == ["MASK-SURG", None]
    # The removed line's own "add" entry is still in the RFA's history.
    assert history[2]["target_type"] == "requestline"
    assert history[0]["target_type"] == "requestforassistance"
    assert history[2]["target_id"] == history[4]["changes"]["line_id"][0]


def test_patch_changes_only_what_is_given(api, draft) -> None:
    rfa = draft("ita")
    response = api("ita").patch(f"/rfas/{rfa['id']}", {"title": "Ventilators for Lombardy"})
    assert response.json()["title"] == "Ventilators for Lombardy"
    assert len(response.json()["lines"]) == 2
    assert response.json()["situation"].startswith("ICU capacity")
    entry = AuditEntry.objects.get(action="rfa.update")
    assert entry.changes == {
        "title": ["Ventilators and masks for Lombardy", "Ventilators for Lombardy"]
    }


def test_a_request_is_withdrawn_by_its_nation_and_closed_by_the_centre(api, circulated) -> None:
    first = circulated("ita")
    withdrawn = api("ita").post(f"/rfas/{first['id']}/withdraw", {"reason": "Covered nationally"})
    assert withdrawn.json()["status"] == "closed"
    assert withdrawn.json()["closure"] == "withdrawn"
    assert withdrawn.json()["closed_at"] is not None
    assert withdrawn.json()["actions"] == []

    second = circulated("esp")
    closed = api("head").post(
        f"/rfas/{second['id']}/close", {"closure": "fulfilled", "reason": "All delivered"}
    )
    assert closed.json()["closure"] == "fulfilled"
    told = set(
        Notification.objects.filter(
            kind="rfa.closed", subject__contains=second["reference"]
        ).values_list("recipient__username", flat=True)
    )
    assert told == {"duty", "esp-poc"}  # no offers yet; the head who closed it is not told


def test_a_repeated_request_is_linked_not_dropped(api, circulated, draft) -> None:
    first = circulated("ita")
    again = draft("ita", title="Ventilators: second request", repeat_of=first["id"])
    assert again["repeat_of"] == {
        "id": first["id"],
        "reference": first["reference"],
        "status": "circulated",
    }
    original = api("ocha").get(f"/rfas/{first['id']}").json()
    assert original["repeated_by"] == []  # the repeat is still a draft of Italy
    api("ita").post(f"/rfas/{again['id']}/submit")
    api("duty").post(f"/rfas/{again['id']}/circulate")
    original = api("ocha").get(f"/rfas/{first['id']}").json()
    assert [r["id"] for r in original["repeated_by"]] == [again["id"]]
    assert RequestForAssistance.objects.count() == 2


def test_a_draft_withdrawn_before_submission_stays_private(api, draft) -> None:
    rfa = draft("ita")
    api("ita").post(f"/rfas/{rfa['id']}/withdraw", {"reason": "Drafted by mistake"})
    assert api("ita").get(f"/rfas/{rfa['id']}").json()["closure"] == "withdrawn"
    assert api("duty").get(f"/rfas/{rfa['id']}").status_code == 404
    assert api("ocha").get(f"/rfas/{rfa['id']}").status_code == 404
    assert not Notification.objects.filter(recipient__username="ocha").exists()


def test_the_openapi_schema_documents_the_request_side(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/rfas",
        "/api/v1/rfas/{rfa_id}",
        "/api/v1/rfas/{rfa_id}/circulate",
        "/api/v1/rfas/{rfa_id}/history",
        "/api/v1/crises",
        "/api/v1/parties",
        "/api/v1/users",
        "/api/v1/me/tokens",
        "/api/v1/notifications",
        "/api/v1/catalogue/items",
        "/api/v1/catalogue/airports",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/rfas/{rfa_id}"]) == {"get", "patch", "put"}


def test_each_recipient_is_told_in_their_own_language(api, users, circulated) -> None:
    profile = users["esp"].profile
    profile.language = "fr"
    profile.save()
    rfa = circulated("ita")
    french = Notification.objects.get(kind="rfa.circulated", recipient=users["esp"])
    english = Notification.objects.get(kind="rfa.circulated", recipient=users["deu"])
    assert french.subject == f"Demande d\u2019assistance {rfa['reference']} (ITA): {rfa['title']}"
    assert english.subject == f"Request for assistance {rfa['reference']} (ITA): {rfa['title']}"
    assert "diffusé" in french.body
