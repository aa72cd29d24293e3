"""The start page (the dashboard of the current crisis), the crisis list, and the
dashboard of one crisis for the user's role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from aidbridge.accounts.permissions import profile_of
from aidbridge.crises.models import Crisis
from aidbridge.web import selectors
from aidbridge.web.affordances import crisis_actions
from aidbridge.web.worklists import worklists


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the most recent active crisis: that is where the work is."""
    profile_of(request.user)  # an account without a role sees the refusal page
    current = Crisis.objects.filter(status=Crisis.Status.ACTIVE).order_by("-started_on").first()
    if current is not None:
        return redirect("web:dashboard", code=current.code)
    return redirect("web:crises")


@login_required
def crisis_list(request: HttpRequest) -> HttpResponse:
    profile_of(request.user)
    crises = Crisis.objects.order_by("status", "-started_on", "code")
    return render(request, "web/crises.html", {"crises": crises, "nav": "crises"})


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    profile_of(request.user)
    crisis = get_object_or_404(Crisis, code=code)
    lang = get_language() or "en"
    timeline, chart = selectors.coverage_chart(crisis, lang)
    context = {
        "crisis": crisis,
        "nav": "dashboard",
        "crisis_actions": crisis_actions(request.user, crisis),
        "work": worklists(request.user, crisis),
        "figures": selectors.key_figures(request.user, crisis),
        "changes": selectors.latest_changes(request.user, crisis),
        # SVG made here from numbers and nation codes only (no user text): safe to inline.
        "flow_map": mark_safe(selectors.flow_map(crisis, lang)),
        # Likewise numbers and dates only.
        "coverage_chart": mark_safe(chart),
        "coverage_timeline": timeline,
    }
    return render(request, "web/dashboard.html", context)
