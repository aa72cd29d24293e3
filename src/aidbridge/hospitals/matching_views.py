"""The transfers page of a crisis: the centre starts a matching run, reads the proposal
need by need (with the reason of every shortfall) and accepts it. Follows the
allocation page; services decide everything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aidbridge.accounts.permissions import require_centre
from aidbridge.crises.models import Crisis
from aidbridge.hospitals import matching, matching_selectors, tracking
from aidbridge.hospitals.matching_actions import run_actions, start_refusal
from aidbridge.hospitals.models import TransferMatchingRun
from aidbridge.hospitals.transfer_map import transfer_map
from aidbridge.hospitals.views import with_refusals


def _page(code: str, run: TransferMatchingRun | None = None) -> str:
    url = reverse("hospitals:transfers", args=[code])
    return f"{url}?run={run.pk}" if run is not None else url


@login_required
@with_refusals
def transfers_page(request: HttpRequest, code: str) -> HttpResponse:
    """The crisis's latest matching run (or the one asked for), or none yet."""
    require_centre(request.user, "run the transfer matching")
    crisis = get_object_or_404(Crisis, code=code)
    if request.method == "POST":
        started = matching.request_matching(request.user, crisis)
        messages.success(request, _("Transfer matching run #%(id)s started.") % {"id": started.pk})
        return redirect(_page(code, started))
    asked = request.GET.get("run", "")
    run: TransferMatchingRun | None = (
        matching_selectors.get_run(request.user, int(asked))
        if asked.isdigit()
        else matching_selectors.latest_run(crisis)
    )
    if run is not None and run.crisis_id != crisis.pk:
        raise Http404("not a run of this crisis")
    pending = run is not None and run.status in (
        TransferMatchingRun.Status.QUEUED,
        TransferMatchingRun.Status.RUNNING,
    )
    context = {
        "crisis": crisis,
        "nav": "transfers",
        "patients": matching_selectors.patient_figures(crisis),
        # Built from escaped parts only (hospitals.transfer_map).
        "transfer_map": mark_safe(transfer_map(*matching_selectors.map_data(crisis))),
        "may_start": start_refusal(request.user, crisis) is None,
        "run": run,
        "actions": run_actions(request.user, run) if run else set(),
        "needs": matching_selectors.proposal_by_need(run) if run and run.output else None,
        "regions": (run.output or {}).get("regions", []) if run else [],
        "pending": pending,
        "restart_url": reverse("hospitals:transfer_run_move", args=[run.pk, "restart"])
        if run
        else "",
        "cancel_url": reverse("hospitals:transfer_run_move", args=[run.pk, "cancel"])
        if run
        else "",
    }
    return render(request, "hospitals/transfers.html", context)


@login_required
@require_POST
@with_refusals
def transfer_run_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept a finished proposal, restart a failed or cancelled run, cancel a queued one."""
    run = matching_selectors.get_run(request.user, pk)
    if action == "accept":
        matching.accept_run(request.user, run)
        patients = sum(t.patients for t in run.transfers.all())
        messages.success(
            request,
            ngettext(
                "Matching accepted: %(n)d patient transfer accepted.",
                "Matching accepted: %(n)d patient transfers accepted.",
                patients,
            )
            % {"n": patients},
        )
    elif action == "restart":
        matching.restart_run(request.user, run)
        messages.success(request, _("Transfer matching run #%(id)s restarted.") % {"id": run.pk})
    elif action == "cancel":
        matching.cancel_run(request.user, run)
        messages.success(request, _("Transfer matching run #%(id)s cancelled.") % {"id": run.pk})
    else:
        raise Http404("no such action")
    return redirect(_page(run.crisis.code, run))


@login_required
@require_POST
@with_refusals
def transfer_depart(request: HttpRequest, pk: int) -> HttpResponse:
    """The patients of a planned transfer leave (a dispatch of the bed offer line); the
    requesting nation confirms their arrival as the dispatch's receipt."""
    transfer = matching_selectors.transfer_by_id(pk)
    tracking.depart(request.user, transfer, carrier=request.POST.get("carrier", "")[:100])
    messages.success(request, _("Departure recorded: the patients are on their way."))
    return redirect(_page(transfer.run.crisis.code, transfer.run))
