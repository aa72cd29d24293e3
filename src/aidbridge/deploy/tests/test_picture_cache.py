"""The picture API's cached answer on the production stack: several gunicorn processes,
each with its own cache, behind nginx. A change made through one process shows in the
very next picture whichever process answers it, and a request outside the picture
reaches no reader."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aidbridge.deploy.tests.conftest import Deployed

pytestmark = [
    pytest.mark.deployment,
    pytest.mark.xdist_group("deployment"),
    pytest.mark.django_db,
]

# More reads than processes: each process answers (and caches) some of them.
READS = 12


def _call(deployed: Deployed, method: str, path: str, who: str, body: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    answer = deployed.request(method, path, body=data, headers=headers, as_user=who)
    assert answer.status in (200, 201), (path, answer.status, answer.body[:500])
    return answer.json()


def _rfa(deployed: Deployed, quantity: int, circulate: bool) -> Any:
    rfa = _call(
        deployed,
        "POST",
        "/api/v1/rfas",
        "ita-poc",
        {
            "crisis": deployed.crisis,
            "title": "Ventilators",
            "lines": [{"item": "VENT-ICU", "quantity": quantity, "delivery_airport": "LIRF"}],
        },
    )
    _call(deployed, "POST", f"/api/v1/rfas/{rfa['id']}/submit", "ita-poc")
    if circulate:
        _call(deployed, "POST", f"/api/v1/rfas/{rfa['id']}/circulate", "duty")
    return rfa


def _pictures(deployed: Deployed, who: str, query: str = "") -> list[dict[str, Any]]:
    path = f"/api/v1/crises/{deployed.crisis}/picture{query}"
    return [_call(deployed, "GET", path, who) for _ in range(READS)]


def test_every_process_shows_the_acceptance_in_the_next_picture(deployed: Deployed) -> None:
    rfa = _rfa(deployed, 150, circulate=True)
    offer = _call(
        deployed,
        "POST",
        f"/api/v1/rfas/{rfa['id']}/offers",
        "deu-poc",
        {"lines": [{"request_line": rfa["lines"][0]["id"], "quantity": 100}]},
    )
    line = offer["lines"][0]["id"]
    # Every process has the offer's picture in its cache now (other tests' requests
    # share the crisis: this one's line is read).
    ours = f"?rfa={rfa['id']}"
    before = _pictures(deployed, "ita-poc", ours)
    assert {p["lines"]["items"][0]["awaiting"] for p in before} == {100}
    _call(deployed, "POST", f"/api/v1/offer-lines/{line}/accept", "ita-poc", {"quantity": 60})
    after = [p["lines"]["items"][0] for p in _pictures(deployed, "ita-poc", ours)]
    assert {(row["accepted"], row["awaiting"]) for row in after} == {(60, 40)}


def test_a_request_still_with_the_centre_is_in_nobody_s_picture(deployed: Deployed) -> None:
    pictured = {p["overall"]["requested"] for p in _pictures(deployed, "duty")}
    waiting = _rfa(deployed, 7, circulate=False)
    for who in ("duty", "deu-poc", "ita-poc"):
        pictures = _pictures(deployed, who)
        assert {p["overall"]["requested"] for p in pictures} == pictured, who
        rfas = {row["rfa"] for p in pictures for row in p["lines"]["items"]}
        assert waiting["id"] not in rfas, who
