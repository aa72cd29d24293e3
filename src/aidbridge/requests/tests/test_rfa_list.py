"""The RFA list: who sees what, filters, ordering, pagination, constant query count."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aidbridge.crises.models import Crisis


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["items"]]


def test_drafts_are_private_submitted_goes_to_the_centre_circulated_to_all(
    api, draft, circulated
) -> None:
    ita_draft = draft("ita", title="Italian draft")
    ita_submitted = draft("ita", title="Italian submitted")
    api("ita").post(f"/rfas/{ita_submitted['id']}/submit")
    esp_public = circulated("esp", title="Spanish circulated")

    assert set(_ids(api("ita").get("/rfas"))) == {
        ita_draft["id"],
        ita_submitted["id"],
        esp_public["id"],
    }
    assert set(_ids(api("duty").get("/rfas"))) == {ita_submitted["id"], esp_public["id"]}
    for who in ("deu", "ocha", "airlift"):
        assert _ids(api(who).get("/rfas")) == [esp_public["id"]]
    returned = api("duty").post(f"/rfas/{ita_submitted['id']}/return", {"reason": "Add a date"})
    assert returned.status_code == 200
    assert ita_submitted["id"] in _ids(api("head").get("/rfas"))


def test_filters_by_crisis_party_status_item_priority_and_text(api, draft, circulated) -> None:
    vents = circulated(
        "ita",
        title="Ventilators",
        lines=[{"item": "VENT-ICU", "quantity": 5, "priority": 1, "delivery_airport": "LIRF"}],
    )
    masks = circulated(
        "esp",
        title="Masks",
        lines=[{"item": "MASK-SURG", "quantity": 9, "priority": 3, "delivery_airport": "LEMD"}],
    )
    Crisis.objects.create(code="floods-2021", name_en="F", name_fr="F", started_on="2021-07-01")
    client = api("ocha")
    assert _ids(client.get("/rfas", party="esp")) == [masks["id"]]
    assert _ids(client.get("/rfas", item="VENT-ICU")) == [vents["id"]]
    assert _ids(client.get("/rfas", priority=3)) == [masks["id"]]
    assert _ids(client.get("/rfas", search="masque")) == [masks["id"]]
    assert _ids(client.get("/rfas", search=vents["reference"])) == [vents["id"]]
    assert set(_ids(client.get("/rfas", crisis="covid-19-2020", status="circulated"))) == {
        vents["id"],
        masks["id"],
    }
    assert _ids(client.get("/rfas", crisis="floods-2021")) == []
    assert _ids(client.get("/rfas", status="draft")) == []

    bad = client.get("/rfas", status="lost")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "status"
    assert client.get("/rfas", priority=7).json()["errors"][0]["field"] == "priority"


def test_ordering_and_pages(api, circulated) -> None:
    made = [
        circulated(
            "ita",
            title=f"Request {n}",
            lines=[
                {
                    "item": "VENT-ICU",
                    "quantity": 1,
                    "priority": 3 - n % 3,
                    "delivery_airport": "LIRF",
                }
            ],
        )
        for n in range(5)
    ]
    client = api("duty")
    newest_first = _ids(client.get("/rfas"))
    assert newest_first == [r["id"] for r in reversed(made)]
    by_reference = _ids(client.get("/rfas", ordering="reference"))
    assert by_reference == [r["id"] for r in made]
    by_priority = client.get("/rfas", ordering="priority,-created").json()["items"]
    assert [r["top_priority"] for r in by_priority] == [1, 2, 2, 3, 3]
    page = client.get("/rfas", ordering="reference", limit=2, offset=2).json()
    assert page["count"] == 5
    assert [r["id"] for r in page["items"]] == [made[2]["id"], made[3]["id"]]
    assert client.get("/rfas", ordering="secret").status_code == 422


def test_the_list_costs_the_same_queries_for_2_or_12_requests(api, circulated) -> None:
    client = api("ocha")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/rfas", limit=50).status_code == 200
        return len(captured)

    for _ in range(2):
        circulated("ita")
    queries()  # the token's first use records when it was used; not part of the list
    few = queries()
    for _ in range(10):
        circulated("esp")
    assert queries() == few
    assert client.get("/rfas").json()["count"] == 12


def test_the_detail_costs_the_same_queries_for_1_or_12_lines(api, circulated) -> None:
    line = {"item": "VENT-ICU", "quantity": 3, "delivery_airport": "LIRF"}
    small = circulated("ita", lines=[line])
    large = circulated("esp", lines=[line] * 12)
    client = api("ocha")

    def queries(rfa_id: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(client.get(f"/rfas/{rfa_id}").json()["lines"]) in (1, 12)
        return len(captured)

    queries(small["id"])  # the token's first use is recorded once
    assert queries(small["id"]) == queries(large["id"])
