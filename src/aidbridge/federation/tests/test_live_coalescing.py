"""Two live centres (both on SQLite, ports ``live.PORT`` + 3 and + 4, so
that this module may run beside ``test_live``): a burst of changes made at the origin
while its outbox worker is stopped waits as one snapshot, which is sent once when the
worker is back and brings the partner's ledger to the origin's, line by line."""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from aidbridge.federation.tests import live
from aidbridge.federation.tests.live import Centre, wait_for

pytestmark = pytest.mark.federation_live

# The shared pair holds live.PORT to + 2 (its proxy): this pair takes the next two.
PORT = live.PORT + 3
K_EADRCC = "fedsec_burst-eadrcc-signs-0123456789"
K_ERCC = "fedsec_burst-ercc-signs-9876543210"


@pytest.fixture(scope="module")
def centres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Centre, Centre]]:
    base = tmp_path_factory.mktemp("burst")
    origin = Centre("EADRCC", PORT, base / "eadrcc", f"sqlite:///{base}/eadrcc.sqlite3")
    partner = Centre("ERCC", PORT + 1, base / "ercc", f"sqlite:///{base}/ercc.sqlite3")
    origin.setup("ERCC", partner.url, K_EADRCC, K_ERCC)
    partner.setup("EADRCC", origin.url, K_ERCC, K_EADRCC)
    try:
        origin.start()
        partner.start()
        yield origin, partner
    finally:
        origin.stop()
        partner.stop()


def figures(centre: Centre, rfa_id: int) -> list[tuple[int, str, dict[str, Any]]]:
    detail = centre.ok("GET", f"/rfas/{rfa_id}", "duty")
    return [(ln["position"], ln["item"], ln["figures"]) for ln in detail["lines"]]


def mirror_of(partner: Centre, reference: str) -> dict[str, Any] | None:
    rows = partner.ok("GET", "/rfas?crisis=covid-19-2020&limit=200", "fra-poc")["items"]
    found = [r for r in rows if r["reference"] == f"EADRCC-{reference}"]
    return partner.ok("GET", f"/rfas/{found[0]['id']}", "fra-poc") if found else None


def snapshots(db: str, key: str) -> list[tuple[str, int, int, int]]:
    """(status, changes, attempts, ok attempts) of the origin's snapshots of ``key``."""
    with sqlite3.connect(db) as c:
        return c.execute(
            "SELECT m.status, m.changes, m.attempts,"
            " (SELECT count(*) FROM outbox_deliveryattempt a WHERE a.message_id = m.id AND a.ok)"
            " FROM outbox_outboxmessage m WHERE m.ordering_key = ? ORDER BY m.id",
            (key,),
        ).fetchall()


def test_a_burst_while_the_worker_is_away_is_sent_once_and_the_ledgers_agree(
    centres: tuple[Centre, Centre],
) -> None:
    origin, partner = centres
    db = str(origin.data_dir.parent / "eadrcc.sqlite3")
    rfa = origin.ok("POST", "/rfas", "ita-poc", {
        "crisis": "covid-19-2020", "title": "Burst",
        "lines": [{"item": "VENT-ICU", "quantity": 100, "delivery_airport": "LIMC"},
                  {"item": "MASK-SURG", "quantity": 5000, "delivery_airport": "LIMC"}],
    })  # fmt: skip
    origin.ok("POST", f"/rfas/{rfa['id']}/submit", "ita-poc")
    rfa = origin.ok("POST", f"/rfas/{rfa['id']}/circulate", "duty")
    mirror = wait_for(lambda: mirror_of(partner, rfa["reference"]), "the mirror at ERCC")
    key = f"EADRCC:rfa:{rfa['id']}"
    wait_for(lambda: snapshots(db, key)[0][:2] == ("delivered", 1), "the first snapshot")

    assert origin.worker is not None
    origin.worker.send_signal(signal.SIGTERM)
    origin.worker.wait(10)
    vents, masks = (ln["id"] for ln in rfa["lines"])
    for n in range(6):
        made = origin.ok("POST", f"/rfas/{rfa['id']}/offers", "deu-poc", {
            "lines": [{"request_line": vents, "quantity": 10 + n},
                      {"request_line": masks, "quantity": 100 * (n + 1)}],
        })  # fmt: skip
        if n % 2 == 0:
            origin.ok("POST", f"/offer-lines/{made['lines'][0]['id']}/accept", "ita-poc", {})
        else:
            origin.ok("POST", f"/offer-lines/{made['lines'][1]['id']}/decline", "ita-poc",
                      {"reason": "Enough masks"})  # fmt: skip
    # Twelve commits (six offers, three acceptances, three declines): one message.
    assert snapshots(db, key)[1:] == [("pending", 12, 0, 0)]

    origin.start_worker()
    wait_for(lambda: snapshots(db, key)[-1][0] == "delivered", "the burst's snapshot sent")
    assert snapshots(db, key)[1:] == [("delivered", 12, 1, 1)]  # one attempt, one send
    mine = figures(origin, rfa["id"])
    assert figures(partner, mirror["id"]) == mine
    assert [f["accepted"] for _p, _i, f in mine] == [10 + 12 + 14, 0]
    assert [f["declined"] for _p, _i, f in mine] == [0, 200 + 400 + 600]
