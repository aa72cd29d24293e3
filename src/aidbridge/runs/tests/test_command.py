"""``aidbridge runs sweep``: its arguments are checked before anything is swept."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.mark.parametrize(("value", "message"), [("0", "more than 0"), ("soon", "not a number")])
def test_a_bad_timeout_is_named(value: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("runs", "sweep", "--timeout", value)


def test_an_action_is_required() -> None:
    with pytest.raises(CommandError, match="action"):
        call_command("runs")
