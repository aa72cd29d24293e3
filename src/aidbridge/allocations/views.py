"""The allocation planner's pages: the centre starts a run for a crisis, reads the
proposal need by need and turns selected lines into offers; the donor confirms or
declines an offer proposed from its standing stock. Services decide everything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST

from aidbridge.accounts.permissions import require_centre
from aidbridge.allocations import selectors, services
from aidbridge.allocations.actions import run_actions
from aidbridge.allocations.models import AllocationRun
from aidbridge.core.errors import ValidationFailed
from aidbridge.crises.models import Crisis
from aidbridge.offers import proposals
from aidbridge.offers import selectors as offer_selectors
from aidbridge.web.affordances import crisis_actions


@login_required
def allocation(request: HttpRequest, code: str) -> HttpResponse:
    """The crisis's latest run (or none yet), with the button to start a new one."""
    require_centre(request.user, gettext_noop("run the allocation planner"))
    crisis = get_object_or_404(Crisis, code=code)
    if request.method == "POST":
        run = services.request_allocation(request.user, crisis)
        messages.success(request, _("Allocation run #%(id)s started.") % {"id": run.pk})
        return redirect(reverse("web:allocation_run", args=[run.pk]))
    latest = AllocationRun.objects.filter(crisis=crisis).order_by("-requested_at", "-pk").first()
    if latest is not None:
        return redirect(reverse("web:allocation_run", args=[latest.pk]))
    context = {
        "crisis": crisis,
        "nav": "allocation",
        "crisis_actions": crisis_actions(request.user, crisis),
    }
    return render(request, "allocations/allocation_run.html", context)


@login_required
def allocation_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.get_run(request.user, pk)
    context = {
        "crisis": run.crisis,
        "nav": "allocation",
        "run": run,
        "crisis_actions": crisis_actions(request.user, run.crisis),
        "actions": run_actions(request.user, run),
        "needs": selectors.proposal_by_need(run) if run.output is not None else None,
        "stats": (run.output or {}).get("stats") or {},
        "pending": run.status in (AllocationRun.Status.QUEUED, AllocationRun.Status.RUNNING),
        "restart_url": reverse("web:allocation_run_move", args=[run.pk, "restart"]),
        "cancel_url": reverse("web:allocation_run_move", args=[run.pk, "cancel"]),
    }
    return render(request, "allocations/allocation_run.html", context)


@login_required
@require_POST
def allocation_offers(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.get_run(request.user, pk)
    try:
        chosen = [int(value) for value in request.POST.getlist("proposal")]
    except ValueError:
        raise ValidationFailed(_("select proposed lines"), field="proposals") from None
    created = services.turn_into_offers(request.user, run, chosen)
    messages.success(
        request,
        ngettext(
            "%(n)d offer line proposed to its donor for confirmation.",
            "%(n)d offer lines proposed to their donors for confirmation.",
            len(created),
        )
        % {"n": len(created)},
    )
    return redirect(reverse("web:allocation_run", args=[run.pk]))


@login_required
@require_POST
def allocation_run_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Restart a failed or cancelled run, or cancel a queued or running one."""
    run = selectors.get_run(request.user, pk)
    if action == "restart":
        services.restart_run(request.user, run)
        messages.success(request, _("Allocation run #%(id)s restarted.") % {"id": run.pk})
    elif action == "cancel":
        services.cancel_run(request.user, run)
        messages.success(request, _("Allocation run #%(id)s cancelled.") % {"id": run.pk})
    else:
        raise Http404("no such action")
    return redirect(reverse("web:allocation_run", args=[run.pk]))


@login_required
@require_POST
def offer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    offer = offer_selectors.offer_detail(request.user, pk)
    proposals.confirm_proposed_offer(request.user, offer)
    messages.success(request, _("Offer confirmed: the requesting nation can now accept it."))
    return redirect(reverse("web:offer_detail", args=[offer.pk]))


@login_required
@require_POST
def offer_decline_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    offer = offer_selectors.offer_detail(request.user, pk)
    proposals.decline_proposed_offer(request.user, offer, request.POST.get("reason", ""))
    messages.success(request, _("Proposed offer declined: the stock stays available."))
    return redirect(reverse("web:offer_detail", args=[offer.pk]))
