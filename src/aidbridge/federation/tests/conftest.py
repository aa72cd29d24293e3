from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from aidbridge.crises.models import Crisis
from aidbridge.federation import services
from aidbridge.federation.models import Partner
from aidbridge.federation.signing import signature
from aidbridge.federation.tests import live
from aidbridge.federation.tests.proxy import Proxy
from aidbridge.offers.tests.factories import ita_rfa

__all__ = ["ita_rfa"]

K_WE_SIGN = "fedsec_we-sign-0123456789abcdef"
K_THEY_SIGN = "fedsec_they-sign-0123456789abcdef"
URL = "/api/v1/federation/messages"
# The live centres' keys (``test_live*.py``): EADRCC signs with the first, ERCC with the other.
K_EADRCC = "fedsec_live-eadrcc-signs-0123456789"
K_ERCC = "fedsec_live-ercc-signs-9876543210"


@pytest.fixture(scope="session")
def proxy() -> Iterator[Proxy]:
    """Between the live origin and its partner (the address EADRCC declared for ERCC)."""
    between = Proxy(live.PORT + 2, upstream_port=live.PORT + 1).start()
    yield between
    between.stop()


@pytest.fixture(scope="session")
def centres(
    tmp_path_factory: pytest.TempPathFactory, proxy: Proxy
) -> Iterator[tuple[live.Centre, live.Centre]]:
    """The two live centres, started once for all the live tests a pytest worker runs
    (each worker its own pair: ``live.PORT``); each test leaves them running and
    healthy. EADRCC reaches ERCC through ``proxy``, ERCC EADRCC directly."""
    base = tmp_path_factory.mktemp("federation")
    on_pg = live.pg_available()
    origin = live.Centre("EADRCC", live.PORT, base / "eadrcc", f"sqlite:///{base}/eadrcc.sqlite3")
    partner_db = f"{live.PG_SERVER}/{live.PG_DB}" if on_pg else f"sqlite:///{base}/ercc.sqlite3"
    partner = live.Centre("ERCC", live.PORT + 1, base / "ercc", partner_db)
    setups = [
        threading.Thread(target=origin.setup, args=("ERCC", proxy.url, K_EADRCC, K_ERCC)),
        threading.Thread(target=partner.setup, args=("EADRCC", origin.url, K_ERCC, K_EADRCC)),
    ]
    for t in setups:
        t.start()
    for t in setups:
        t.join()
    assert origin.tokens and partner.tokens, "a centre's setup failed"
    try:
        origin.start()
        partner.start()
        yield origin, partner
    finally:
        origin.stop()
        partner.stop()
        if on_pg:
            live.drop_pg()


@pytest.fixture(autouse=True)
def _our_code() -> Any:
    with override_settings(AIDBRIDGE_CENTRE_CODE="EADRCC"):
        yield


def declare(users: dict[str, Any], crisis: Crisis, code: str, port: int) -> Partner:
    """Partner ``code`` sharing ``crisis``, with the in-process tests' keys."""
    partner = services.declare_partner(
        users["head"],
        code=code,
        name="EU ERCC",
        base_url=f"http://127.0.0.1:{port}",
        crises=[crisis.code],
    )
    services.add_key(users["head"], partner, "sign", K_WE_SIGN)
    services.add_key(users["head"], partner, "verify", K_THEY_SIGN)
    return partner


@pytest.fixture
def ercc(crisis: Crisis, users: dict[str, Any]) -> Partner:
    return declare(users, crisis, "ERCC", 18199)


def send(
    body: bytes,
    *,
    key: str = K_THEY_SIGN,
    centre: str = "ERCC",
    message_id: str = "msg_1",
    timestamp: int | None = None,
    tamper: bytes | None = None,
) -> Any:
    """POST a message as the partner would, signed with ``key``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return Client().post(
        URL,
        data=tamper if tamper is not None else body,
        content_type="application/json",
        headers={
            "X-Aidbridge-Centre": centre,
            "X-Aidbridge-Message-Id": message_id,
            "X-Aidbridge-Timestamp": ts,
            "X-Aidbridge-Signature": signature(key, message_id, ts, body),
        },
    )
