"""Test helpers for planning runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import TestCase


@contextmanager
def committed() -> Iterator[None]:
    """Send, when the block ends, the tasks its transactions queued for after commit.

    A test's own transaction never commits, so a queued run's task would never be
    sent; this is the commit's effect, and only for what was not rolled back.
    """
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
