"""Sign-in throttling: after ``AXES_FAILURE_LIMIT`` failed sign-ins for one user name
from one address, that pair is locked out for ``AXES_COOLOFF_TIME``.

``django-axes`` counts the failures (``/login/``, ``/admin/login/`` and the API's
``POST /api/v1/tokens``, all of which authenticate with the request); this module is
what aidbridge adds around it: the backend, the lockout answer (a page in the user's
language, or the API's JSON error shape) and the audit entry written when a lockout
starts.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from aidbridge.audit.services import record

API_PREFIX = "/api/"
LOCKED_OUT_ACTION = "sign_in_locked_out"


class NetworkSignInBackend(AxesStandaloneBackend):
    """Axes' lockout check, for sign-ins that come with a request.

    Every sign-in from the network passes its request (the login pages, the admin, the
    token endpoint). ``authenticate()`` without one is the server's own code (a test's
    ``client.login``, a shell), which has no client address to throttle; Axes would
    refuse it with an exception, so it is passed on to the next backend instead.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None


def cool_off() -> timedelta:
    value = settings.AXES_COOLOFF_TIME
    return value if isinstance(value, timedelta) else timedelta(hours=float(value))


def locked_until(request: HttpRequest, username: str) -> datetime:
    """When this user name may try again from this address: a cool-off after the last
    counted failure (failures during a lockout are not counted, so they do not extend it)."""
    last = AccessAttempt.objects.filter(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + cool_off()


def _minutes_left(until: datetime) -> int:
    return max(1, math.ceil((until - timezone.now()).total_seconds() / 60))


def lockout_response(
    request: HttpRequest, original: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """Axes' ``AXES_LOCKOUT_CALLABLE``: 429 with ``Retry-After``, as JSON under /api/."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    until = locked_until(request, username)
    minutes = _minutes_left(until)
    message = ngettext(
        "Too many failed sign-ins for this user name from your address. "
        "Signing in is locked for %(minutes)d more minute.",
        "Too many failed sign-ins for this user name from your address. "
        "Signing in is locked for %(minutes)d more minutes.",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(
            {
                "detail": message,
                "code": "locked_out",
                "errors": [{"field": "username", "message": message}],
            },
            status=429,
        )
    else:
        context = {
            "message": message,
            "minutes": minutes,
            "until": until,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cool_off_minutes": int(cool_off().total_seconds() // 60),
        }
        response = render(request, "web/locked_out.html", context, status=429)
    response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
    return response


def audit_lockout(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **_: Any
) -> None:
    """One audit entry when a lockout starts (the failure that reaches the limit), not
    one per refused attempt during it: a client hammering a locked account must not
    flood the trail. The entry is on the account when the user name exists (its
    history shows it), else on Axes' record of the attempts."""
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    target: Any = get_user_model().objects.filter(username=username).first()
    if target is None:
        target = AccessAttempt.objects.filter(username=username, ip_address=ip_address).first()
    if target is None:
        return
    with transaction.atomic():
        record(
            None,
            LOCKED_OUT_ACTION,
            target,
            changes={"username": [None, username], "ip_address": [None, ip_address]},
            reason=(
                f"{settings.AXES_FAILURE_LIMIT} failed sign-ins from {ip_address} on "
                f"{request.path}; locked for {int(cool_off().total_seconds() // 60)} minutes"
            ),
        )


def connect() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(audit_lockout, dispatch_uid="aidbridge.audit_lockout")
