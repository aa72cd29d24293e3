"""Two live centres, federated over HTTP: EADRCC (the origin, SQLite) and ERCC (the
partner, PostgreSQL when available), each ``aidbridge serve`` with its own outbox
worker. A shared request is played from circulation to receipt with offers made at
both centres; both ledgers are compared line by line through the API. Then the
partner is stopped, the origin keeps working, the partner comes back: everything is
delivered, in order, once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from aidbridge.federation.tests.live import (
    Centre,
    figures,
    mirror_of,
    offer_lines,
    settled,
    wait_for,
)

# The live tests share the two centres (``conftest.centres``); the group asks xdist to
# run them in one worker, so that the pair starts once.
pytestmark = [pytest.mark.federation_live, pytest.mark.xdist_group("federation_live")]


def test_a_shared_request_from_circulation_to_receipt(centres: tuple[Centre, Centre]) -> None:
    origin, partner = centres
    rfa = origin.ok(
        "POST",
        "/rfas",
        "ita-poc",
        {
            "crisis": "covid-19-2020",
            "title": "Ventilators and masks for Lombardy",
            "lines": [
                {"item": "VENT-ICU", "quantity": 100, "delivery_airport": "LIMC"},
                {"item": "MASK-SURG", "quantity": 5000, "delivery_airport": "LIMC"},
            ],
        },
    )
    origin.ok("POST", f"/rfas/{rfa['id']}/submit", "ita-poc")
    rfa = origin.ok("POST", f"/rfas/{rfa['id']}/circulate", "duty")
    mirror = wait_for(lambda: mirror_of(partner, rfa["reference"]), "the mirror at ERCC")
    assert mirror["status"] == "circulated"
    assert mirror["origin"]["label"] == f"via Centre EADRCC, {rfa['reference']}"
    vents, masks = (ln["id"] for ln in mirror["lines"])

    # Offers at both centres: Germany at the origin, France on the mirror.
    origin_lines = {ln["position"]: ln["id"] for ln in rfa["lines"]}
    origin.ok(
        "POST",
        f"/rfas/{rfa['id']}/offers",
        "deu-poc",
        {"lines": [{"request_line": origin_lines[1], "quantity": 80}]},
    )
    fra = partner.ok(
        "POST",
        f"/rfas/{mirror['id']}/offers",
        "fra-poc",
        {
            "lines": [
                {"request_line": vents, "quantity": 50},
                {"request_line": masks, "quantity": 1000},
            ]
        },
    )
    wait_for(lambda: len(offer_lines(origin, rfa["id"])) == 3, "France's offer at the origin")

    # The requester decides at the origin, under its locks.
    at_origin = {
        (ln["offer_reference"][:3], ln["item"]): ln for ln in offer_lines(origin, rfa["id"])
    }
    deu_line = next(ln for ln in offer_lines(origin, rfa["id"]) if ln["quantity"] == 80)
    fra_vents = next(ln for ln in offer_lines(origin, rfa["id"]) if ln["quantity"] == 50)
    fra_masks = next(ln for ln in offer_lines(origin, rfa["id"]) if ln["quantity"] == 1000)
    assert at_origin
    origin.ok("POST", f"/offer-lines/{deu_line['id']}/accept", "ita-poc", {"quantity": 60})
    origin.ok("POST", f"/offer-lines/{fra_vents['id']}/accept", "ita-poc", {"quantity": 40})
    origin.ok(
        "POST", f"/offer-lines/{fra_masks['id']}/decline", "ita-poc", {"reason": "Enough masks"}
    )
    # A decision on the mirror is the origin's: refused at the partner.
    status, refused = partner.call(
        "POST", f"/offer-lines/{fra['lines'][0]['id']}/accept", "fra-poc", {"quantity": 1}
    )
    assert status in (403, 409, 422), refused

    # France dispatches at the partner once the acceptance has come back.
    local_vents = fra["lines"][0]["id"]
    wait_for(
        lambda: partner.ok("GET", f"/offers/{fra['id']}", "fra-poc")["lines"][0]["accepted"] == 40,
        "the acceptance at ERCC",
    )
    partner.ok(
        "POST",
        f"/offer-lines/{local_vents}/dispatches",
        "fra-poc",
        {"quantity": 40, "mode": "donor"},
    )
    origin.ok(
        "POST",
        f"/offer-lines/{deu_line['id']}/dispatches",
        "deu-poc",
        {"quantity": 60, "mode": "road"},
    )
    dispatches = wait_for(
        lambda: [
            d
            for d in origin.ok("GET", "/dispatches?limit=200", "ita-poc")["items"]
            if d["quantity"] == 40
        ],
        "France's dispatch at the origin",
    )
    origin.ok(
        "POST",
        f"/dispatches/{dispatches[0]['id']}/receipt",
        "ita-poc",
        {"quantity": 38, "note": "2 damaged"},
    )

    wait_for(lambda: settled(origin, partner, rfa["id"], mirror["id"]), "both ledgers equal")
    by_line = {pos: f for pos, _item, f in figures(partner, mirror["id"])}
    assert (by_line[1]["accepted"], by_line[1]["dispatched"], by_line[1]["delivered"]) == (
        100,
        100,
        38,
    )
    assert by_line[2]["declined"] == 1000


def test_partner_down_then_up_gets_everything_once_in_order(
    centres: tuple[Centre, Centre],
) -> None:
    origin, partner = centres
    rfa = origin.ok(
        "POST",
        "/rfas",
        "ita-poc",
        {
            "crisis": "covid-19-2020",
            "title": "Suits",
            "lines": [{"item": "VENT-ICU", "quantity": 30, "delivery_airport": "LIMC"}],
        },
    )
    origin.ok("POST", f"/rfas/{rfa['id']}/submit", "ita-poc")
    rfa = origin.ok("POST", f"/rfas/{rfa['id']}/circulate", "duty")
    mirror = wait_for(lambda: mirror_of(partner, rfa["reference"]), "the mirror at ERCC")

    partner.stop()
    line = rfa["lines"][0]["id"]
    for quantity in (5, 6, 7):
        offer = origin.ok(
            "POST",
            f"/rfas/{rfa['id']}/offers",
            "deu-poc",
            {"lines": [{"request_line": line, "quantity": quantity}]},
        )
        origin.ok("POST", f"/offer-lines/{offer['lines'][0]['id']}/accept", "ita-poc", {})
    db = origin.data_dir.parent / "eadrcc.sqlite3"
    wait_for(lambda: _attempted_while_down(db), "a failed attempt while ERCC is down")

    # ERCC comes back with its clock 5 minutes ahead of EADRCC's: still within the window.
    partner.start({"AIDBRIDGE_FEDERATION_CLOCK_SKEW_S": "300"})
    wait_for(lambda: settled(origin, partner, rfa["id"], mirror["id"]), "ERCC caught up")
    assert [f["accepted"] for _p, _i, f in figures(partner, mirror["id"])] == [18]
    partner.ok(
        "POST",
        f"/rfas/{mirror['id']}/offers",
        "fra-poc",
        {"lines": [{"request_line": mirror["lines"][0]["id"], "quantity": 4}]},
    )
    wait_for(lambda: len(offer_lines(origin, rfa["id"])) == 4, "ERCC's offer at EADRCC")
    wait_for(lambda: settled(origin, partner, rfa["id"], mirror["id"]), "both ledgers equal")
    wait_for(lambda: _all_delivered(db), "the origin's outbox drained")
    with sqlite3.connect(db) as c:
        rows = c.execute(
            "SELECT ordering_key, delivered_at FROM outbox_outboxmessage"
            " WHERE destination LIKE 'partner:%' ORDER BY id"
        ).fetchall()
    # In order per request: within a key, each message was delivered after the one before.
    last: dict[str, str] = {}
    for key, delivered_at in rows:
        assert delivered_at >= last.get(key, ""), (key, delivered_at, last[key])
        last[key] = delivered_at


def _attempted_while_down(db: Path) -> bool:
    with sqlite3.connect(db) as c:
        return bool(
            c.execute(
                "SELECT 1 FROM outbox_deliveryattempt WHERE ok = 0 AND status_code IS NULL"
            ).fetchone()
        )


def _all_delivered(db: Path) -> bool:
    with sqlite3.connect(db) as c:
        return not c.execute(
            "SELECT 1 FROM outbox_outboxmessage WHERE status != 'delivered'"
        ).fetchone()
