"""Who may do what with an RFA: each role, allowed and forbidden, through the API."""

from __future__ import annotations

import pytest

from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.tests.conftest import rfa_body

NOT_A_POC = ["duty", "head", "airlift", "ocha"]


@pytest.mark.parametrize("who", NOT_A_POC)
def test_only_a_national_poc_drafts_a_request(api, items, crisis, who) -> None:
    response = api(who).post("/rfas", rfa_body())
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not RequestForAssistance.objects.exists()


def test_an_organisations_poc_may_request_for_it(api, items, crisis) -> None:
    response = api("stock").post("/rfas", rfa_body())
    assert response.status_code == 201
    assert response.json()["requester"] == "NATO-STOCK"


@pytest.mark.parametrize("who", ["esp", "deu"])
def test_another_nations_poc_cannot_act_on_a_request(api, draft, circulated, who) -> None:
    mine = draft("ita")
    # Another nation's draft does not even exist for them.
    assert api(who).get(f"/rfas/{mine['id']}").status_code == 404
    assert api(who).patch(f"/rfas/{mine['id']}", {"title": "x"}).status_code == 404
    assert api(who).post(f"/rfas/{mine['id']}/submit").status_code == 404

    public = circulated("ita")
    response = api(who).post(f"/rfas/{public['id']}/withdraw", {"reason": "not ours"})
    assert response.status_code == 403
    assert "ITA" in response.json()["detail"]
    assert api(who).post(f"/rfas/{public['id']}/close", {"closure": "fulfilled"}).status_code == 403
    assert RequestForAssistance.objects.get(pk=public["id"]).status == "circulated"


@pytest.mark.parametrize("who", ["ita", "esp", "airlift", "ocha"])
def test_only_the_centre_circulates_returns_and_closes(api, draft, who) -> None:
    rfa = draft("ita")
    api("ita").post(f"/rfas/{rfa['id']}/submit")
    client = api(who)
    assert client.post(f"/rfas/{rfa['id']}/circulate").status_code in (403, 404)
    assert client.post(f"/rfas/{rfa['id']}/return", {"reason": "x"}).status_code in (403, 404)
    closing = client.post(f"/rfas/{rfa['id']}/close", {"closure": "overtaken"})
    assert closing.status_code in (403, 404)
    assert RequestForAssistance.objects.get().status == "submitted"


@pytest.mark.parametrize("who", ["duty", "head"])
def test_the_centre_cannot_draft_edit_submit_or_withdraw_for_a_nation(api, draft, who) -> None:
    rfa = draft("ita")
    api("ita").post(f"/rfas/{rfa['id']}/submit")
    client = api(who)
    assert client.patch(f"/rfas/{rfa['id']}", {"title": "x"}).status_code == 403
    assert client.post(f"/rfas/{rfa['id']}/withdraw", {"reason": "x"}).status_code == 403
    assert client.get(f"/rfas/{rfa['id']}").json()["actions"] == ["circulate", "return", "close"]


def test_observers_and_airlift_only_read(api, circulated) -> None:
    rfa = circulated("ita")
    for who in ("ocha", "airlift"):
        detail = api(who).get(f"/rfas/{rfa['id']}")
        assert detail.status_code == 200
        assert detail.json()["actions"] == []
        assert api(who).get(f"/rfas/{rfa['id']}/history").status_code == 200
        assert api(who).post(f"/rfas/{rfa['id']}/withdraw", {"reason": "x"}).status_code == 403


def test_anonymous_callers_get_401(api, circulated) -> None:
    rfa = circulated("ita")
    anonymous = api(None)
    assert anonymous.get("/rfas").status_code == 401
    assert anonymous.get(f"/rfas/{rfa['id']}").status_code == 401
    assert anonymous.post("/rfas", rfa_body()).status_code == 401
