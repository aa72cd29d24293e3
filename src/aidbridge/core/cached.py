"""Keeping what costs far more to make than to look up, under a key that changes
whenever what it shows does: the one place that decides how such keys are made.

A caller names what it keeps (``name``) and every input of it as strings: a version of
the data (it must change with every change that shows), who may read the same bytes
(the audience: every rule of who sees what that the bytes depend on) and anything else
that shapes them (a URL). The active language and time zone are always part of the key,
so French and English readers, or readers in two time zones, never share an entry.

The cache is Django's default (``CACHES``, see ``settings``): a process-local memory
cache unless ``AIDBRIDGE_CACHE_URL`` names a shared one. Sharing is only an economy:
the callers read their versions from the database on every request, so no process ever
serves bytes older than the data it can see. The time to live is a backstop only, for
what no version sees (an edited name; text that depends on the clock).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

T = TypeVar("T")


def key(name: str, *parts: str) -> str:
    """The cache key of ``name`` for ``parts`` in the active language and time zone."""
    inputs = [get_language() or "", timezone.get_current_timezone_name(), *parts]
    digest = hashlib.sha256("\n".join(inputs).encode()).hexdigest()
    return f"{name}:{digest}"


def kept(key: str, make: Callable[[], T], ttl: int) -> T:
    """What is kept under ``key``, or ``make()``'s result, kept for ``ttl`` seconds.
    ``make`` must not return None (None is how the cache says "nothing kept")."""
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, ttl)
    return cast(T, found)
