"""Python's cyclic garbage collector in a process that serves requests.

Why: a serving process keeps about 180,000 container objects for its whole life (Django,
the apps, Ninja's and pydantic's schemas, the URLconf and every view it imports on the
first request), and every request leaves cyclic garbage behind (model instances that
point at each other through prefetch and relation caches, querysets, the request and
its response). Objects alive during a request survive the young collections that run
inside it and reach the oldest generation, so they are freed only by a full collection,
which also walks every long-lived object. Measured (``bench/api.py``, SQLite, quiet
machine, 1k and 10k crises alike): every 40-60 requests one request paid a full
collection of 100-120 ms (20,000-40,000 objects freed), and those single slow runs were
the lists' p95 (125-195 ms against p50s of 15-40 ms).

What :func:`prepare_for_serving` does, once, before the first request:

1. builds what the first request would build lazily (the URLconf with every view, API
   router and schema it imports), so that it exists now;
2. ``gc.collect()`` then ``gc.freeze()``: everything alive moves to the permanent
   generation, which no collection walks again. Under gunicorn (``preload_app``) this
   runs in the master before it forks the workers, so their collections do not write to
   those objects' pages either: the memory stays shared (Python's ``gc.freeze`` docs);
3. after each request (``request_finished``, sent when the server closes the response,
   i.e. after the answer went out), ``gc.collect(1)``: the two young generations, where
   that request's garbage still is, are collected while they are small (about 1 ms), so
   it never piles up for a full collection to free in one unlucky request.

Freezing alone was not enough (measured: full collections became more frequent, as the
oldest generation now looked small, and still cost 40-65 ms); collecting the young
generations after each request without freezing left the 90,000 objects built by the
first request to every full collection. Both together: the lists' slowest run of 80
is within a few ms of their p50. Automatic collection stays on with Python's thresholds,
so a long request (a 10,000-line import) still frees its cycles as it goes.
"""

from __future__ import annotations

import gc
from typing import Any

from django.core.signals import request_finished
from django.urls import get_resolver

_prepared = False


def collect_young(**kwargs: Any) -> None:
    """``request_finished`` receiver: free the cyclic garbage the request left."""
    gc.collect(1)


def prepare_for_serving() -> None:
    """Build what lives for the process's whole life, freeze it, and collect each
    request's garbage after it (see the module docstring). Idempotent."""
    global _prepared
    if _prepared:
        return
    get_resolver().url_patterns  # noqa: B018 - imports every view and API schema now
    gc.collect()
    gc.freeze()
    request_finished.connect(collect_young, dispatch_uid="aidbridge.collect_young")
    _prepared = True
