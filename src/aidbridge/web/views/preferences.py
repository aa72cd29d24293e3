"""The signed-in user's own preferences: how match notifications reach them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from aidbridge.accounts import services as account_services
from aidbridge.accounts.models import MatchDelivery
from aidbridge.accounts.permissions import profile_of
from aidbridge.core.errors import ValidationFailed


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    error = ""
    if request.method == "POST":
        try:
            account_services.set_match_delivery(
                request.user, request.POST.get("match_delivery", "")
            )
        except ValidationFailed as refused:
            error = refused.message
        else:
            messages.success(request, _("Your preferences are saved."))
            return redirect(reverse("web:preferences"))
    context = {
        "choices": MatchDelivery.choices,
        "current": profile.match_delivery,
        "error": error,
    }
    return render(request, "web/preferences.html", context, status=400 if error else 200)
