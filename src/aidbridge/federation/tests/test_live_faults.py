"""Faults between the two live centres (``conftest.centres``: EADRCC on SQLite, ERCC on
PostgreSQL when available), with the test's proxy between EADRCC and ERCC
(``proxy.py``) to see and capture what the origin sends:

- an outbox worker SIGKILLed while its delivery hangs at a frozen (SIGSTOPped) partner;
- deliveries timing out (the partner frozen past the timeout), answered 503 (the
  partner's database refusing connections) and 500 (its database failing the write
  of the message): retried with back-off, then delivered;
- real signed messages captured on the way and sent again by hand: replayed,
  reordered (an older snapshot after a newer one), tampered with, signed with a wrong
  key; and one tampered with on the way, refused and audited on both sides.

Each checks, afterwards, that both ledgers agree, that every message of the request
was delivered in order, and that the partner recorded (applied) each message once.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

from aidbridge.federation.signing import PATH, signature
from aidbridge.federation.tests.conftest import K_EADRCC, K_ERCC
from aidbridge.federation.tests.live import (
    PG_SERVER,
    Centre,
    figures,
    mirror_of,
    settled,
    wait_for,
)
from aidbridge.federation.tests.proxy import SIGNED, Proxy

pytestmark = [pytest.mark.federation_live, pytest.mark.xdist_group("federation_live")]

# The live centres' back-off (``live.Centre``): 0.2 s doubling up to 1 s, jittered by 0.5 to 1.
BACKOFF_S, BACKOFF_MAX_S = 0.2, 1.0

Centres = tuple[Centre, Centre]


def shared_request(origin: Centre, partner: Centre, title: str) -> tuple[dict[str, Any], int]:
    """A request circulated at the origin and mirrored at the partner; (it, mirror id)."""
    rfa = origin.ok(
        "POST",
        "/rfas",
        "ita-poc",
        {
            "crisis": "covid-19-2020",
            "title": title,
            "lines": [{"item": "VENT-ICU", "quantity": 50, "delivery_airport": "LIMC"}],
        },
    )
    origin.ok("POST", f"/rfas/{rfa['id']}/submit", "ita-poc")
    rfa = origin.ok("POST", f"/rfas/{rfa['id']}/circulate", "duty")
    mirror = wait_for(lambda: mirror_of(partner, rfa["reference"]), "the mirror at ERCC")
    return rfa, int(mirror["id"])


def offer_and_accept(origin: Centre, rfa: dict[str, Any], quantity: int) -> None:
    line = rfa["lines"][0]["id"]
    offer = origin.ok(
        "POST",
        f"/rfas/{rfa['id']}/offers",
        "deu-poc",
        {"lines": [{"request_line": line, "quantity": quantity}]},
    )
    origin.ok("POST", f"/offer-lines/{offer['lines'][0]['id']}/accept", "ita-poc", {})


def key_of(rfa: dict[str, Any]) -> str:
    return f"EADRCC:rfa:{rfa['id']}"


def sent(origin: Centre, rfa: dict[str, Any]) -> list[tuple[str, str]]:
    """The origin's messages about ``rfa``, in the order written: (message id, status)."""
    return [
        (str(mid), str(status))
        for mid, status in origin.rows(
            "SELECT message_id, status FROM outbox_outboxmessage"
            " WHERE ordering_key = %s ORDER BY id",
            key_of(rfa),
        )
    ]


def all_delivered(origin: Centre, rfa: dict[str, Any]) -> bool:
    return all(status == "delivered" for _mid, status in sent(origin, rfa))


@dataclass
class Try:
    started: datetime
    duration_ms: int
    status: int | None
    ok: bool
    error: str
    worker: str


def tries(origin: Centre, message_id: str) -> list[Try]:
    rows = origin.rows(
        "SELECT a.started_at, a.duration_ms, a.status_code, a.ok, a.error, a.worker"
        " FROM outbox_deliveryattempt a JOIN outbox_outboxmessage m ON m.id = a.message_id"
        " WHERE m.message_id = %s ORDER BY a.id",
        message_id,
    )
    return [Try(_when(r[0]), r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def assert_backed_off(attempts: list[Try]) -> None:
    """Each retry started at least the back-off's floor after the failure before it."""
    for n, (failed, retry) in enumerate(pairwise(attempts), start=1):
        ended = failed.started + timedelta(milliseconds=failed.duration_ms)
        floor = 0.5 * min(BACKOFF_MAX_S, BACKOFF_S * 2 ** (n - 1))
        waited = (retry.started - ended).total_seconds()
        assert waited >= floor - 0.01, (n, waited, floor)


def received(partner: Centre, message_ids: list[str]) -> list[tuple[str, Any, str]]:
    """What the partner recorded of these messages: (id, received at, outcome) by time."""
    marks = ",".join(["%s"] * len(message_ids))
    return [
        (str(mid), at, str(outcome))
        for mid, at, outcome in partner.rows(
            "SELECT message_id, received_at, outcome FROM federation_inboundmessage"
            f" WHERE message_id IN ({marks}) ORDER BY received_at, id",
            *message_ids,
        )
    ]


def assert_delivered_once_in_order(origin: Centre, partner: Centre, rfa: dict[str, Any]) -> None:
    ids = [mid for mid, _status in sent(origin, rfa)]
    got = [mid for mid, _at, _outcome in received(partner, ids)]
    assert got == ids  # each once (a second copy is not recorded), in the order written


def audit(centre: Centre, action: str, after: int = 0) -> list[tuple[int, str, dict[str, Any]]]:
    rows = centre.rows(
        "SELECT id, to_state, changes FROM audit_auditentry WHERE action = %s AND id > %s"
        " ORDER BY id",
        action,
        after,
    )
    return [(i, s, c if isinstance(c, dict) else json.loads(c)) for i, s, c in rows]


def last_audit_id(centre: Centre) -> int:
    return int(centre.rows("SELECT COALESCE(MAX(id), 0) FROM audit_auditentry")[0][0])


def post(centre: Centre, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
    """POST a federation message straight to ``centre``, as a sender would."""
    wanted = {k: v for k, v in headers.items() if k.lower() in SIGNED}
    request = urllib.request.Request(centre.url + PATH, data=body, method="POST", headers=wanted)
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def signed(body: bytes, message_id: str, key: str) -> dict[str, str]:
    ts = str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "X-Aidbridge-Centre": "EADRCC",
        "X-Aidbridge-Message-Id": message_id,
        "X-Aidbridge-Timestamp": ts,
        "X-Aidbridge-Signature": signature(key, message_id, ts, body),
    }


def test_a_worker_killed_mid_delivery_leaves_its_claim_to_expire(
    centres: Centres, proxy: Proxy
) -> None:
    origin, partner = centres
    rfa, mirror = shared_request(origin, partner, "Oxygen concentrators")
    partner.freeze()
    try:
        offer_and_accept(origin, rfa, 5)
        # EADRCC's worker waits for ERCC's answer (3 s at most): killed meanwhile.
        [hanging] = wait_for(proxy.hanging, "a delivery hanging at the frozen ERCC", 30)
        origin.kill_worker()
        stuck = hanging.message_id
        [(claimed_by, claimed_until)] = origin.rows(
            "SELECT claimed_by, claimed_until FROM outbox_outboxmessage WHERE message_id = %s",
            stuck,
        )
        assert claimed_by.startswith("EADRCC-w/") and claimed_until is not None
        # A new worker, starting while the dead one's lease (15 s here) runs.
        origin.start_worker(name="after")
        offer_and_accept(origin, rfa, 6)  # queued behind the stuck message, same request
    finally:
        partner.thaw()
    # ERCC, thawed, answers the copy it had been sent (to a worker that is gone): applied.
    wait_for(lambda: proxy.of(stuck)[0].status is not None, "ERCC to answer the first copy")
    wait_for(lambda: all_delivered(origin, rfa), "everything delivered", 60)
    wait_for(lambda: settled(origin, partner, rfa["id"], mirror), "both ledgers equal")
    assert [f["accepted"] for _p, _i, f in figures(partner, mirror)] == [11]

    # The killed worker recorded nothing; the next one sent it again only once the
    # lease had run out, with the same message id, which ERCC answered as a replay.
    [again] = tries(origin, stuck)
    assert again.ok and again.worker == "after"
    assert again.started >= _when(claimed_until)
    copies = proxy.of(stuck)
    assert [x.answer.get("replay") for x in copies] == [False, True]
    assert_delivered_once_in_order(origin, partner, rfa)


def test_deliveries_timing_out_are_retried_with_back_off(centres: Centres, proxy: Proxy) -> None:
    origin, partner = centres
    rfa, mirror = shared_request(origin, partner, "Face shields")
    partner.freeze()  # longer than the origin's 3 s timeout
    try:
        offer_and_accept(origin, rfa, 7)
        first = sent(origin, rfa)[1][0]  # the offer's message; the circulation's went
        wait_for(
            lambda: len([t for t in tries(origin, first) if "timed out" in t.error]) >= 2,
            "two attempts timed out",
            40,
        )
    finally:
        partner.thaw()
    wait_for(lambda: all_delivered(origin, rfa), "everything delivered", 60)
    wait_for(lambda: settled(origin, partner, rfa["id"], mirror), "both ledgers equal")
    attempts = tries(origin, first)
    assert [t.status for t in attempts[:2]] == [None, None] and attempts[-1].ok
    assert all(t.duration_ms >= 2900 for t in attempts[:2])
    assert_backed_off(attempts)
    # Every copy reached ERCC (the timed-out ones once it thawed); one was applied.
    wait_for(lambda: not proxy.hanging(), "ERCC to answer every copy")
    replays = [x.answer.get("replay") for x in proxy.of(first)]
    assert len(replays) >= 3 and replays.count(False) == 1
    assert_delivered_once_in_order(origin, partner, rfa)


@contextmanager
def database_down(centre: Centre) -> Iterator[None]:
    """The centre's PostgreSQL database refuses every connection, open ones cut."""
    import psycopg

    name = centre.database_url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
        c.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        c.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
    try:
        yield
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
            c.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


@contextmanager
def writes_failing(centre: Centre) -> Iterator[None]:
    """The centre's database fails each write of a received message with an error the
    application does not expect (as a full disk would): the request fails inside."""
    import psycopg

    with psycopg.connect(centre.database_url, autocommit=True) as c:
        c.execute(
            "CREATE FUNCTION broken_write() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$"
        )
        c.execute(
            "CREATE TRIGGER broken_write BEFORE INSERT ON federation_inboundmessage"
            " FOR EACH ROW EXECUTE FUNCTION broken_write()"
        )
    try:
        yield
    finally:
        with psycopg.connect(centre.database_url, autocommit=True) as c:
            c.execute("DROP TRIGGER broken_write ON federation_inboundmessage")
            c.execute("DROP FUNCTION broken_write()")


def test_deliveries_answered_503_then_500_are_retried_with_back_off(
    centres: Centres, proxy: Proxy
) -> None:
    origin, partner = centres
    if not partner.database_url.startswith("postgres"):
        pytest.skip("ERCC's database is made to fail on PostgreSQL (no server answered)")
    rfa, mirror = shared_request(origin, partner, "Gowns")
    before = last_audit_id(origin)
    first = ""

    def answered(status: int) -> bool:
        return [t.status for t in tries(origin, first)].count(status) >= 2

    # The failing write is set up first, so that no retry slips through between the two.
    with writes_failing(partner):
        # ERCC's database gone: ERCC answers 503 database_unavailable.
        with database_down(partner):
            offer_and_accept(origin, rfa, 8)
            first = sent(origin, rfa)[1][0]
            wait_for(lambda: answered(503), "two attempts answered 503", 30)
        # Back, but failing ERCC's write of the message: ERCC answers 500 internal_error.
        wait_for(lambda: answered(500), "two attempts answered 500", 30)
    # ERCC's own worker (``outbox deliver --every``) waited for its database to return.
    assert partner.worker is not None and partner.worker.poll() is None
    wait_for(lambda: all_delivered(origin, rfa), "everything delivered", 60)
    wait_for(lambda: settled(origin, partner, rfa["id"], mirror), "both ledgers equal")
    attempts = tries(origin, first)
    statuses = [t.status for t in attempts]
    assert statuses[-1] == 200 and set(statuses[:-1]) == {503, 500}, statuses
    assert statuses.index(500) > statuses.index(503)
    assert "database_unavailable" in attempts[0].error
    assert "internal_error" in attempts[statuses.index(500)].error
    assert_backed_off(attempts)
    assert audit(origin, "federation.delivery_refused", before) == []  # a 5xx is no refusal
    assert_delivered_once_in_order(origin, partner, rfa)


def test_replayed_reordered_tampered_and_wrong_key_messages(centres: Centres, proxy: Proxy) -> None:
    origin, partner = centres
    rfa, mirror = shared_request(origin, partner, "Test kits")
    offer_and_accept(origin, rfa, 9)
    wait_for(lambda: settled(origin, partner, rfa["id"], mirror), "both ledgers equal")
    wait_for(lambda: all_delivered(origin, rfa), "everything delivered")
    applied = [
        x
        for x in proxy.exchanges
        if x.rfa_gid == key_of(rfa) and x.status == 200 and x.answer["replay"] is False
    ]
    old, new = applied[0], applied[-1]
    assert json.loads(old.body)["version"] < json.loads(new.body)["version"]
    late, forged = f"msg_late_{rfa['id']}", f"msg_forged_{rfa['id']}"
    ledger = figures(partner, mirror)
    version = partner.rows("SELECT version FROM federation_mirror WHERE rfa_id = %s", mirror)
    audited = last_audit_id(partner)

    # The newest message again, exactly as the origin sent it: a replay.
    assert post(partner, new.headers, new.body) == (
        200,
        {"message_id": new.message_id, "replay": True},
    )
    # An older snapshot arriving after a newer one (its own id, signed by EADRCC): stale.
    status, answer = post(partner, signed(old.body, late, K_EADRCC), old.body)
    assert status == 200 and answer["outcome"].startswith("stale"), answer
    # The newest message with its version raised on the way: the signature no longer fits.
    tampered = new.body.replace(b'"version":', b'"version":1000')
    status, answer = post(partner, new.headers, tampered)
    assert (status, answer["code"]) == (401, "bad_signature")
    # Signed with a key that is not EADRCC's (ERCC's own).
    status, answer = post(partner, signed(new.body, forged, K_ERCC), new.body)
    assert (status, answer["code"]) == (401, "bad_signature")

    assert figures(partner, mirror) == ledger
    assert partner.rows("SELECT version FROM federation_mirror WHERE rfa_id = %s", mirror) == (
        version
    )
    assert [mid for mid, _at, _o in received(partner, [new.message_id, late])] == [
        new.message_id,
        late,
    ]
    refused = audit(partner, "federation.refused", audited)
    assert [(s, c["message_id"][1]) for _i, s, c in refused] == [
        ("bad_signature", new.message_id),
        ("bad_signature", forged),
    ]

    # Tampered with on the way: ERCC refuses it, EADRCC audits the refusal too, and
    # delivers it once the path is clean again.
    audited, sender_audited = last_audit_id(partner), last_audit_id(origin)
    proxy.mode = "tamper"
    try:
        offer_and_accept(origin, rfa, 2)
        [(_i, code, changes), *_more] = wait_for(
            lambda: audit(origin, "federation.delivery_refused", sender_audited),
            "EADRCC to audit ERCC's refusal",
        )
    finally:
        proxy.mode = "pass"
    message_id = changes["message_id"][1]
    assert (code, changes["http_status"]) == ("bad_signature", [None, 401])
    at_partner = audit(partner, "federation.refused", audited)
    assert ("bad_signature", message_id) in [(s, c["message_id"][1]) for _i, s, c in at_partner]
    wait_for(lambda: all_delivered(origin, rfa), "everything delivered")
    wait_for(lambda: settled(origin, partner, rfa["id"], mirror), "both ledgers equal")
    assert tries(origin, message_id)[0].status == 401 and tries(origin, message_id)[-1].ok
    assert_delivered_once_in_order(origin, partner, rfa)
