"""The airlift planning page of a crisis: start a plan, read its schedule per aircraft
and its map, approve it, and mark sorties departed and arrived. Thin: every action is
a service call; refusals come back as a message on the page (403/404 as such)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aidbridge.accounts.permissions import profile_of
from aidbridge.airlift import selectors, services
from aidbridge.airlift.actions import approvable, plan_refusal, plan_run_actions, sortie_actions
from aidbridge.airlift.consignments import build_consignments
from aidbridge.airlift.legmap import leg_map, legs_of
from aidbridge.airlift.models import AirliftPlanRun
from aidbridge.airlift.permissions import can_airlift
from aidbridge.core.errors import DomainError, NotAllowed, NotFound
from aidbridge.crises.selectors import crisis_by_code


def _page(crisis_code: str, plan: int | None = None) -> str:
    url = reverse("airlift:plan_page", args=[crisis_code])
    return f"{url}?plan={plan}" if plan else url


@login_required
def plan_page(request: HttpRequest, code: str) -> HttpResponse:
    profile_of(request.user)
    crisis = crisis_by_code(code)
    runs = selectors.plan_runs(crisis)
    asked = request.GET.get("plan", "")
    run = runs.filter(pk=int(asked)).first() if asked.isdigit() else runs.first()
    staff = can_airlift(request.user)  # who reads the consignments (not an action)
    consignments, skipped = build_consignments(crisis) if staff else ([], [])
    plan = selectors.plan_view(run) if run else None
    Status = AirliftPlanRun.Status
    context = {
        "crisis": crisis,
        "nav": "airlift",
        "runs": runs[:10],
        "run": run,
        "plan": plan,
        "working": run is not None and run.status in (Status.QUEUED, Status.RUNNING),
        "failed": run is not None and run.status in (Status.FAILED, Status.CANCELLED),
        "restart_url": reverse("airlift:plan_move", args=[run.pk, "restart"]) if run else "",
        "cancel_url": reverse("airlift:plan_move", args=[run.pk, "cancel"]) if run else "",
        "show_consignments": staff,
        "may_plan": plan_refusal(
            request.user, crisis, awaiting=len(consignments), skipped=len(skipped)
        )
        is None,
        "plan_actions": plan_run_actions(request.user, run) if run else set(),
        # Ready for approval by someone else: say who (the approve rule's role).
        "awaits_centre": run is not None and approvable(run) is None,
        "consignments": consignments,
        "medevac": sum(1 for c in consignments if c.requires),
        "skipped": skipped,
        "map": leg_map(
            run.input["airports"],
            legs_of(run.output),
            {a["base"] for a in run.input["fleet"]},
            _("Legs of the airlift plan"),
        )
        if run and run.output
        else "",
        "sorties": [(s, sortie_actions(request.user, s)) for s in selectors.sorties(crisis=crisis)],
    }
    return render(request, "airlift/plan.html", context)


@require_POST
@login_required
def request_plan(request: HttpRequest, code: str) -> HttpResponse:
    crisis = crisis_by_code(code)
    try:
        limit = float(request.POST.get("time_limit_s", "10"))
    except ValueError:
        limit = -1.0
    try:
        run = services.request_airlift_plan(request.user, crisis, time_limit_s=limit)
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_page(crisis.code))
    messages.success(request, _("Planning started."))
    return redirect(_page(crisis.code, run.pk))


@require_POST
@login_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.plan_run(request.user, pk)
    try:
        made = services.approve_airlift_plan(request.user, run)
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("Plan approved: %(n)d sortie.", "Plan approved: %(n)d sorties.", len(made))
            % {"n": len(made)},
        )
    return redirect(_page(run.crisis.code, run.pk))


@require_POST
@login_required
def plan_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Restart a failed or cancelled plan, or cancel a queued or running one."""
    run = selectors.plan_run(request.user, pk)
    act = {"restart": services.restart_plan_run, "cancel": services.cancel_plan_run}.get(action)
    if act is None:
        raise Http404("no such action")
    try:
        act(request.user, run)
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = _("Plan #%(id)s restarted.") if action == "restart" else _("Plan #%(id)s cancelled.")
        messages.success(request, done % {"id": run.pk})
    return redirect(_page(run.crisis.code, run.pk))


@require_POST
@login_required
def move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = selectors.sortie(request.user, pk)
    act = {"depart": services.depart, "arrive": services.arrive}.get(action)
    if act is None:
        raise Http404("no such action")
    try:
        act(request.user, found, note=request.POST.get("note", ""))
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = _("Sortie %(ref)s departed.") if action == "depart" else _("Sortie %(ref)s arrived.")
        messages.success(request, done % {"ref": found.reference})
    return redirect(_page(found.crisis.code, found.run_id))
