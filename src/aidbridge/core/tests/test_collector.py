"""The garbage collector's serving policy (``aidbridge.core.collector``): the WSGI entry
point freezes what lives for the whole process, and each request's cyclic garbage is
freed when the request finishes, not left for a full collection later."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.signals import request_finished

from aidbridge.core import collector


class Node:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def serving(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This test process prepared as a server is, then put back as it was."""
    monkeypatch.setattr(collector, "_prepared", False)
    collector.prepare_for_serving()
    try:
        yield
    finally:
        request_finished.disconnect(dispatch_uid="aidbridge.collect_young")
        gc.unfreeze()
        gc.enable()


def test_a_requests_cyclic_garbage_is_freed_when_the_request_finishes(serving, client) -> None:
    assert gc.get_freeze_count() > 0  # what was alive before serving is frozen
    gc.disable()  # no automatic collection may free it: only the policy
    garbage = Node()
    freed = weakref.ref(garbage)
    del garbage
    assert freed() is not None  # a cycle outlives its last outside reference

    client.get("/login/")

    assert freed() is None


def test_without_the_policy_the_garbage_waits_for_a_collection(client) -> None:
    """The counterpart of the test above: what the policy changes."""
    gc.disable()
    try:
        garbage = Node()
        freed = weakref.ref(garbage)
        del garbage
        client.get("/login/")
        assert freed() is not None
    finally:
        gc.enable()
        gc.collect()


def test_the_wsgi_entry_point_prepares_the_process_before_the_first_request(
    tmp_path: Path,
) -> None:
    script = (
        "import gc, sys\n"
        "import aidbridge.wsgi\n"
        "from django.conf import settings\n"
        "from django.core.signals import request_finished\n"
        "keys = [key[0] for key, *_ in request_finished.receivers]\n"
        "print(gc.get_freeze_count(), settings.ROOT_URLCONF in sys.modules,\n"
        "      'aidbridge.collect_young' in keys)\n"
    )
    env = {
        **os.environ,
        "AIDBRIDGE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "aidbridge.settings",
        "AIDBRIDGE_SECRET_KEY": "test",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    frozen, urlconf_loaded, receiver = done.stdout.split()
    # Django, the apps and every view and API schema of the URLconf: over 100,000.
    assert int(frozen) > 100_000
    assert urlconf_loaded == "True"
    assert receiver == "True"
