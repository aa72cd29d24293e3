"""``Idempotency-Key`` for API POSTs: a retried request returns the first answer.

A client that lost the answer to a POST (a dropped line in a field office) sends it
again with the same key and gets the stored first answer: nothing is created twice.
The key is reserved before the request runs, so two copies racing each other cannot
both run; the second is told to retry (409) while the first is in flight.

What keeps the table honest:

- Only a request the API will accept reserves a key: its token is live and its scope
  allows the method, or its session is signed in. Anyone else reaches the API, which
  refuses them, and nothing is stored.
- The body is read within its size limits first (``request_digest``): a body too
  large is a 413 and stores nothing. (Rate limits sit in front of the application, in
  the reverse proxy, and the sign-in throttle answers before any key is read.)
- A key lives ``AIDBRIDGE_IDEMPOTENCY_HOURS`` (24) after its reservation; after that,
  the same key starts a new request. ``aidbridge idempotency purge`` (and the
  periodic task ``api.tasks.purge_idempotency_keys``) deletes expired rows.
- A reservation whose request never finished (its process died) is a lease: after
  ``AIDBRIDGE_IDEMPOTENCY_LEASE_SECONDS`` (120) the next retry takes the key over
  instead of being told "still being processed" forever.
- A server error (5xx) or a refusal of the request itself (401, 403, 413, 429) is not
  an answer: the key is released and the client may retry with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from aidbridge.accounts.actions import token_scope_refusal
from aidbridge.accounts.tokens import TokenRefused, hash_token, live_token
from aidbridge.api.auth import carries_bearer
from aidbridge.api.models import IdempotencyRecord
from aidbridge.api.request_digest import Unreadable, request_digest

HEADER = "HTTP_IDEMPOTENCY_KEY"
API_PREFIX = "/api/"
MAX_KEY_LENGTH = 200
# Answers that say the request was not taken up at all: retrying must run it.
NOT_AN_ANSWER = frozenset({401, 403, 413, 429})


def _principal(request: HttpRequest) -> str | None:
    """Who may hold the key: a live token allowed this method, or a signed-in session;
    None for anyone the API will refuse."""
    if carries_bearer(request):
        raw = request.META.get("HTTP_AUTHORIZATION", "")[7:].strip()
        try:
            token = live_token(raw)
        except TokenRefused:
            return None
        if token_scope_refusal(token, request.method or "POST") is not None:
            return None
        return "token:" + hash_token(raw)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return f"user:{user.pk}"
    return None


def _error(status: int, message: str, code: str = "idempotency") -> JsonResponse:
    field = "Idempotency-Key" if code == "idempotency" else "body"
    return JsonResponse(
        {"detail": message, "code": code, "errors": [{"field": field, "message": message}]},
        status=status,
    )


def _expired_before(now: datetime) -> datetime:
    return now - settings.IDEMPOTENCY_WINDOW


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER)
        if request.method != "POST" or not key or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        principal = _principal(request)
        if principal is None:
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return _error(422, f"Idempotency-Key is longer than {MAX_KEY_LENGTH} characters")
        try:
            request_hash = request_digest(request)
        except Unreadable as exc:
            code = "too_large" if exc.status == 413 else "bad_request"
            return _error(exc.status, exc.message, code)
        owner = uuid.uuid4().hex
        reserved = self._reserve(request, principal, key, request_hash, owner)
        if isinstance(reserved, HttpResponse):
            return reserved
        response = self.get_response(request)
        mine = IdempotencyRecord.objects.filter(pk=reserved.pk, owner=owner)
        if response.status_code >= 500 or response.status_code in NOT_AN_ANSWER:
            mine.delete()
            return response
        mine.update(
            status_code=response.status_code,
            body=bytes(getattr(response, "content", b"")),
            content_type=response.get("Content-Type", ""),
        )
        return response

    def _reserve(
        self, request: HttpRequest, principal: str, key: str, request_hash: str, owner: str
    ) -> IdempotencyRecord | HttpResponse:
        """The key reserved for this request, or the answer to give instead."""
        fields = {
            "method": request.method or "POST",
            "path": request.path[:300],
            "request_hash": request_hash,
        }
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    return IdempotencyRecord.objects.create(
                        principal=principal, key=key, owner=owner, **fields
                    )
            except IntegrityError:
                pass
            record = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
            if record is None:
                continue  # purged in between: reserve again
            now = timezone.now()
            expired = record.created_at < _expired_before(now)
            crashed = (
                record.status_code is None
                and record.created_at < now - settings.IDEMPOTENCY_LEASE
                and record.request_hash == request_hash
            )
            if expired or crashed:
                # Take the key over, unless another retry did so first (the row changed).
                taken = IdempotencyRecord.objects.filter(
                    pk=record.pk, owner=record.owner, created_at=record.created_at
                ).update(
                    owner=owner,
                    created_at=now,
                    status_code=None,
                    body=b"",
                    content_type="",
                    **fields,
                )
                if taken:
                    record.refresh_from_db()
                    return record
                continue
            return self._replay(record, request_hash)
        return _error(409, "a request with this Idempotency-Key is still being processed")

    @staticmethod
    def _replay(record: IdempotencyRecord, request_hash: str) -> HttpResponse:
        if record.request_hash != request_hash:
            return _error(422, "this Idempotency-Key was already used for a different request")
        if record.status_code is None:
            return _error(409, "a request with this Idempotency-Key is still being processed")
        response = HttpResponse(
            bytes(record.body), status=record.status_code, content_type=record.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response


def purge_expired(now: datetime | None = None) -> int:
    """Delete the keys past their window (a crashed reservation is past it too)."""
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=_expired_before(now or timezone.now())
    ).delete()
    return deleted
