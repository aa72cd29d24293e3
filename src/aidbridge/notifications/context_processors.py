"""The unread count shown beside *Inbox* in every page's navigation."""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from django.http import HttpRequest

from aidbridge.notifications.selectors import unread_count


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A callable, which templates call when they use it: a page that does not show the
    # navigation pays no query, one that does pays one.
    return {"unread_count": cache(partial(unread_count, user))}
