from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aidbridge.accounts.models import Role
from aidbridge.offers.tests.factories import ita_rfa
from aidbridge.webhooks.tests.receiver import Receiver

__all__ = ["ita_rfa"]


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    # The receiver listens on loopback, which deliveries may not reach unless the
    # deployment allows it (``outbox.egress``): these tests allow exactly its address.
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    live = Receiver().start()
    yield live
    live.stop()


@pytest.fixture
def machine(make_user: Any) -> Any:
    """A machine account (no password) of an observer organisation: sees what is
    circulated, nothing of a request before."""
    user = make_user("feed-bot", "UN-OCHA", Role.OBSERVER)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def centre_machine(make_user: Any) -> Any:
    user = make_user("centre-bot", "EADRCC", Role.CENTRE_OFFICER)
    user.set_unusable_password()
    user.save()
    return user
