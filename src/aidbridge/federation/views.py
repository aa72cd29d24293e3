"""The inbound endpoint of partner centres: ``POST /api/v1/federation/messages``.

A plain Django view, not an API operation: the sender is a centre authenticated by
the message's signature (``inbound``), not a user's token or session."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from aidbridge.federation.inbound import receive


@csrf_exempt
@require_POST
def messages(request: HttpRequest) -> JsonResponse:
    answer = receive(request.headers, request.body)
    return JsonResponse(answer.body, status=answer.status)
