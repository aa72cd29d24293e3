"""The centre's outbox page: queued, delivered, failing and why; retry now."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.core.errors import DomainError
from aidbridge.outbox import selectors, services
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage

PAGE_SIZE = 50
TABS = (
    OutboxMessage.Status.FAILING,
    OutboxMessage.Status.PENDING,
    OutboxMessage.Status.DELIVERED,
    OutboxMessage.Status.CANCELLED,
)


def _labels() -> dict[str, str]:
    return {
        "failing": _("Failing"),
        "pending": _("Queued"),
        "delivered": _("Delivered"),
        "cancelled": _("Cancelled"),
    }


def _refused(request: HttpRequest, refusal: DomainError) -> HttpResponse:
    # Outside the ``web`` namespace that DomainErrorPagesMiddleware serves, so the
    # refusal page is rendered here, with the same template.
    context = {"reason": refusal.message, "not_found": refusal.status == 404}
    return render(request, "web/refused.html", context, status=refusal.status)


@login_required
def outbox_page(request: HttpRequest) -> HttpResponse:
    try:
        counts = selectors.counts(request.user)
    except DomainError as refusal:
        return _refused(request, refusal)
    status = request.GET.get("status", "")
    if status not in TABS:
        status = OutboxMessage.Status.FAILING if counts["failing"] else "pending"
    page = Paginator(selectors.messages(request.user, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    log: dict[int, list[DeliveryAttempt]] = {}
    for attempt in DeliveryAttempt.objects.filter(message__in=rows).order_by("-id")[:500]:
        log.setdefault(attempt.message_id, []).append(attempt)
    for row in rows:
        row.recent = log.get(row.pk, [])[:5]  # type: ignore[attr-defined]
    context = {
        "counts": counts,
        "status": status,
        "tabs": [(value, _labels()[value], counts[value]) for value in TABS],
        "rows": rows,
        "page": page,
        "can_retry": status in selectors.OPEN,
    }
    return render(request, "outbox/outbox.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        message = selectors.message(request.user, pk)
        services.retry_now(request.user, message)
    except DomainError as refusal:
        return _refused(request, refusal)
    flash.success(request, _("The message will be tried again now."))
    return redirect(reverse("outbox:page") + "?status=pending")
