"""The intake page: paste a message, check the proposal, confirm it as a draft.

Works without JavaScript: each step is a plain form post. Nothing is saved until the
person presses "Create the draft"; the service then checks the lines as it checks any
draft, and its errors are shown above the proposal, which keeps what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aidbridge.core.errors import DomainError, ValidationFailed
from aidbridge.crises.models import Crisis
from aidbridge.intake import services
from aidbridge.intake.actions import read_refusal
from aidbridge.intake.forms import LineFormSet, MessageForm, ProposalForm
from aidbridge.intake.present import proposal_out
from aidbridge.requests.actions import create_refusal


@login_required
@require_http_methods(["GET", "POST"])
def intake_page(request: HttpRequest, code: str) -> HttpResponse:
    crisis = get_object_or_404(Crisis, code=code)
    refusal = read_refusal(request.user, crisis)
    if refusal is not None:  # a 403/409 page, never a form refused later
        return _refused(request, refusal)
    context: dict[str, Any] = {
        "crisis": crisis,
        "nav": "dashboard",
        "draft_refusal": create_refusal(request.user, crisis),
    }
    action = request.POST.get("action")
    if action == "confirm":
        return _confirm(request, crisis, context)
    if action == "read":
        form = MessageForm(request.POST)
        if not form.is_valid():
            return render(request, "intake/intake.html", context | {"form": form}, status=422)
        text = form.cleaned_data["text"]
        proposal = proposal_out(
            request.user, crisis, services.read_message(request.user, crisis, text)
        )
        place = proposal["delivery_airport"]
        header = ProposalForm(
            initial={
                "title": proposal["title"],
                "text": text,
                "delivery_airport": place["code"] if place else "",
            }
        )
        lines = LineFormSet(
            prefix="lines",
            initial=[
                {"keep": True, "item": ln["item"], "quantity": ln["quantity"],
                 "priority": ln["priority"], "needed_by": ln["needed_by"]}
                for ln in proposal["lines"]
            ],
        )  # fmt: skip
        rows = list(zip(lines.forms, proposal["lines"], strict=True))
        context |= {
            "form": form,
            "proposal": proposal,
            "header": header,
            "lines": lines,
            "rows": rows,
        }
        return render(request, "intake/intake.html", context)
    return render(request, "intake/intake.html", context | {"form": MessageForm()})


def _refused(request: HttpRequest, refusal: DomainError) -> HttpResponse:
    # This app's pages are outside the ``web`` namespace that DomainErrorPagesMiddleware
    # serves, so the refusal page is rendered here, with the same template.
    context = {"reason": refusal.message, "not_found": False}
    return render(request, "web/refused.html", context, status=refusal.status)


def _confirm(request: HttpRequest, crisis: Crisis, context: dict[str, Any]) -> HttpResponse:
    refusal = context["draft_refusal"]
    if refusal is not None:
        return _refused(request, refusal)
    header = ProposalForm(request.POST)
    lines = LineFormSet(request.POST, prefix="lines")
    text = request.POST.get("text", "")
    context |= {"form": MessageForm(initial={"text": text}), "header": header, "lines": lines}
    context["rows"] = [(f, None) for f in lines.forms]
    if not (header.is_valid() and lines.is_valid()):
        return render(request, "intake/intake.html", context, status=422)
    airport = header.cleaned_data["delivery_airport"].strip().upper()
    kept = [f.line(airport) for f in lines.forms if f.cleaned_data.get("keep")]
    try:
        rfa = services.confirm(
            request.user,
            crisis,
            title=header.cleaned_data["title"],
            text=header.cleaned_data["text"],
            lines=kept,
        )
    except ValidationFailed as error:
        context["error"] = error.message
        return render(request, "intake/intake.html", context, status=422)
    messages.success(
        request, _("Draft request created from the message. Check it, then submit it.")
    )
    return redirect(reverse("web:rfa_detail", args=[rfa.pk]))
