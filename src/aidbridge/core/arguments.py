"""Command-line values shared by the management commands, each checked in one place."""

from __future__ import annotations

from django.core.management.base import CommandError


def seconds(value: str) -> float:
    """A positive number of seconds (``--every 5``, ``--timeout 300``), for argparse."""
    try:
        parsed = float(value)
    except ValueError:
        raise CommandError(f"not a number of seconds: {value!r}") from None
    if not parsed > 0:
        raise CommandError(f"must be more than 0 seconds: {value!r}")
    return parsed
