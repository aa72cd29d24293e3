"""The landing page after sign-in: the crises, most recent first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aidbridge.accounts.permissions import profile_of
from aidbridge.crises.models import Crisis


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profile_of(request.user)  # an account without a role sees the refusal page
    crises = Crisis.objects.order_by("status", "-started_on", "code")
    return render(request, "web/home.html", {"crises": crises})
