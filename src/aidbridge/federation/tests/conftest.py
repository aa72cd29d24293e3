from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client, override_settings

from aidbridge.crises.models import Crisis
from aidbridge.federation import services
from aidbridge.federation.models import Partner
from aidbridge.federation.signing import signature
from aidbridge.offers.tests.factories import ita_rfa

__all__ = ["ita_rfa"]

K_WE_SIGN = "fedsec_we-sign-0123456789abcdef"
K_THEY_SIGN = "fedsec_they-sign-0123456789abcdef"
URL = "/api/v1/federation/messages"


@pytest.fixture(autouse=True)
def _our_code() -> Any:
    with override_settings(AIDBRIDGE_CENTRE_CODE="EADRCC"):
        yield


@pytest.fixture
def ercc(crisis: Crisis, users: dict[str, Any]) -> Partner:
    partner = services.declare_partner(
        users["head"],
        code="ERCC",
        name="EU ERCC",
        base_url="http://127.0.0.1:18199",
        crises=[crisis.code],
    )
    services.add_key(users["head"], partner, "sign", K_WE_SIGN)
    services.add_key(users["head"], partner, "verify", K_THEY_SIGN)
    return partner


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
