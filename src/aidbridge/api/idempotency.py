"""``Idempotency-Key`` for API POSTs: a retried request returns the first answer.

A client that lost the answer to a POST (a dropped line in a field office) sends it
again with the same key and gets the stored first answer: nothing is created twice.
The key is reserved before the request runs, so two copies racing each other cannot
both run; the second is told to retry (409) while the first is in flight.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from aidbridge.accounts.tokens import hash_token
from aidbridge.api.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
API_PREFIX = "/api/"


def _principal(request: HttpRequest) -> str | None:
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth.lower().startswith("bearer "):
        return "token:" + hash_token(auth[7:].strip())
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        {
            "detail": message,
            "code": "idempotency",
            "errors": [{"field": "Idempotency-Key", "message": message}],
        },
        status=status,
    )


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER)
        if request.method != "POST" or not key or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        principal = _principal(request)
        if principal is None:  # unauthenticated: the API will refuse it anyway
            return self.get_response(request)
        if len(key) > 200:
            return _error(422, "Idempotency-Key is longer than 200 characters")
        request_hash = hashlib.sha256(request.path.encode() + b"\0" + request.body).hexdigest()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    principal=principal,
                    key=key,
                    method=request.method,
                    path=request.path,
                    request_hash=request_hash,
                )
        except IntegrityError:
            return self._replay(principal, key, request_hash)

        response = self.get_response(request)
        if response.status_code >= 500:
            # A server failure is not an answer: let the client try again with the key.
            record.delete()
            return response
        record.status_code = response.status_code
        record.body = bytes(getattr(response, "content", b""))
        record.content_type = response.get("Content-Type", "")
        record.save(update_fields=["status_code", "body", "content_type"])
        return response

    @staticmethod
    def _replay(principal: str, key: str, request_hash: str) -> HttpResponse:
        record = IdempotencyRecord.objects.get(principal=principal, key=key)
        if record.request_hash != request_hash:
            return _error(422, "this Idempotency-Key was already used for a different request")
        if record.status_code is None:
            return _error(409, "a request with this Idempotency-Key is still being processed")
        response = HttpResponse(
            bytes(record.body), status=record.status_code, content_type=record.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response
