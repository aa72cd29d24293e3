"""The start page (the dashboard of the current crisis), the crisis list, and the
dashboard of one crisis for the user's role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from aidbridge.accounts.permissions import profile_of
from aidbridge.crises.models import Crisis
from aidbridge.web.dashboard import dashboard_body


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
    """The page is the user's own (name, unread count, CSRF tokens); its content is the
    same for every reader of one party and role, kept by ``web.dashboard``."""
    profile_of(request.user)
    crisis = get_object_or_404(Crisis, code=code)
    body = dashboard_body(request.user, crisis)
    return render(
        request, "web/dashboard.html", {"crisis": crisis, "nav": "dashboard", "body": body}
    )
