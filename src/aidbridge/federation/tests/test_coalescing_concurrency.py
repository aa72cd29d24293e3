"""On PostgreSQL, real threads each with its own connection: changes to three shared
requests committed one after another while two outbox workers claim and send at the
same time. Coalescing (the writer's row lock, the claim's ``SKIP LOCKED``) must not
cost a change, send a message twice or reorder a request's snapshots."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from aidbridge.catalogue.models import Item
from aidbridge.core.tests.threads import postgres_only
from aidbridge.crises.models import Crisis
from aidbridge.federation.models import Partner, Share
from aidbridge.offers import services as offers
from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.outbox.delivery import deliver_pending
from aidbridge.outbox.models import OutboxMessage
from aidbridge.parties.models import Party

pytestmark = postgres_only

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class Partnerish:
    """Answers 200 to every federation message and keeps (id, request, version, offers)."""

    def __init__(self) -> None:
        self.arrived: list[tuple[str, str, int, int]] = []
        self.lock = threading.Lock()
        keeper = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                request = body["request"]
                with keeper.lock:
                    keeper.arrived.append(
                        (
                            self.headers["X-Aidbridge-Message-Id"],
                            request["gid"],
                            body["version"],
                            len(request["offers"]),
                        )
                    )
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def partnerish(ercc: Partner, settings: Any) -> Iterator[Partnerish]:
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    live = Partnerish()
    Partner.objects.filter(pk=ercc.pk).update(base_url=live.url)
    yield live
    live.server.shutdown()
    live.server.server_close()


@override_settings(TASKS=DUMMY, AIDBRIDGE_CENTRE_CODE="EADRCC")
def test_two_workers_send_coalesced_snapshots_once_in_order_and_lose_no_change(
    ercc: Partner,
    partnerish: Partnerish,
    crisis: Crisis,
    parties: dict[str, Party],
    users: dict[str, Any],
    items: dict[str, Item],
) -> None:
    rfas = [
        circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 1000)])
        for _ in range(3)
    ]
    lines = [rfa.lines.get() for rfa in rfas]
    made: dict[int, int] = defaultdict(int)
    producing = threading.Event()
    producing.set()
    errors: list[BaseException] = []

    def produce() -> None:
        try:
            for n in range(30):
                rfa, line = rfas[n % 3], lines[n % 3]
                offers.make_offer(
                    users["deu"], rfa=rfa, lines=[{"request_line": line, "quantity": 1}]
                )
                made[rfa.pk] += 1
                time.sleep(0.01 * (n % 4))  # bursts and pauses
        except BaseException as failed:
            errors.append(failed)
        finally:
            producing.clear()
            connection.close()

    def work(name: str) -> None:
        try:
            idle = 0
            while idle < 3:  # until production stopped and nothing was due three times
                sent = deliver_pending(name)
                idle = 0 if sent or producing.is_set() else idle + 1
                time.sleep(0.01)
        except BaseException as failed:
            errors.append(failed)
        finally:
            connection.close()

    threads = [threading.Thread(target=produce)] + [
        threading.Thread(target=work, args=(f"w{n}",)) for n in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)

    messages = list(OutboxMessage.objects.filter(destination=ercc.destination))
    assert {m.status for m in messages} == {"delivered"}
    ids = [a[0] for a in partnerish.arrived]
    assert len(ids) == len(set(ids)) == len(messages)  # each sent once
    for rfa in rfas:
        gid = f"EADRCC:rfa:{rfa.pk}"
        versions = [v for _id, g, v, _n in partnerish.arrived if g == gid]
        assert versions == sorted(set(versions)), versions  # in order, none twice
        version = Share.objects.get(rfa=rfa).version
        # Nothing lost: the last snapshot sent is the request as it stands, and every
        # change (circulating, each offer) is counted in exactly one message.
        assert versions[-1] == version == 1 + made[rfa.pk]
        assert [n for _id, g, _v, n in partnerish.arrived if g == gid][-1] == made[rfa.pk]
        mine = [m for m in messages if m.ordering_key == gid]
        assert sum(m.changes for m in mine) == version
