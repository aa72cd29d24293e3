"""Pages for patient transfers: a transfer line's detail (the requester, on a draft),
and a bed offer from one's own hospitals (a donor, on a circulated request)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from aidbridge.accounts.permissions import profile_of, require_poc_of
from aidbridge.core.actions import refuse
from aidbridge.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from aidbridge.core.refusals import attach_error
from aidbridge.hospitals import transfers
from aidbridge.hospitals.models import Hospital, TransferNeed
from aidbridge.hospitals.transfer_forms import BedOfferForm, TransferNeedForm
from aidbridge.hospitals.views import with_refusals
from aidbridge.offers.actions import rfa_offer_refusal
from aidbridge.requests.selectors import get_rfa


def _back(rfa_pk: int, line_pk: int) -> HttpResponse:
    return redirect(reverse("web:rfa_detail", args=[rfa_pk]) + f"#line-{line_pk}")


@login_required
@with_refusals
def transfer_need(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    rfa = get_rfa(request.user, pk)
    require_poc_of(request.user, rfa.requester, "edit this request")
    if not rfa.is_editable:
        raise Conflict(_("Only a draft or a returned request can be edited."))
    line = rfa.lines.select_related("item").filter(pk=line_pk).first()
    if line is None:
        raise NotFound("no such line")
    need = TransferNeed.objects.filter(request_line=line).first()
    initial = (
        {
            "bed_type": need.bed_type,
            "origin_hospital": need.origin_hospital,
            "origin_region": need.origin_region,
            "ventilated": need.ventilated,
            "needs_isolation": need.needs_isolation,
        }
        if need
        else {"bed_type": "AdultICU"}
    )
    form = TransferNeedForm(
        request.POST or None,
        initial=initial,
        hospitals=Hospital.objects.filter(nation=rfa.requester).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfers.set_transfer_need(request.user, line, **form.cleaned_data)
        except DomainError as exc:
            if not attach_error(form, exc):
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Transfer detail saved."))
            return _back(rfa.pk, line.pk)
    return render(
        request,
        "hospitals/transfer_need.html",
        {"form": form, "rfa": rfa, "line": line, "nav": "rfas"},
    )


@login_required
@with_refusals
def bed_offer(request: HttpRequest, pk: int) -> HttpResponse:
    rfa = get_rfa(request.user, pk)
    refuse(rfa_offer_refusal(request.user, rfa))  # no form for an offer that would fail
    donor = profile_of(request.user).party
    lines = list(
        rfa.lines.select_related("item", "transfer_need").filter(transfer_need__isnull=False)
    )
    if not lines:
        raise ValidationFailed(_("This request has no patient-transfer line."))
    choices = [
        (ln.pk, f"{ln.position}. {ln.quantity} \u00d7 {ln.transfer_need.get_bed_type_display()}")
        for ln in lines
    ]
    chosen = request.GET.get("line", "")
    first = next((ln for ln in lines if str(ln.pk) == chosen), lines[0])
    form = BedOfferForm(
        request.POST or None,
        initial={"request_line": first.pk, "bed_type": first.transfer_need.bed_type},
        lines=choices,
        hospitals=Hospital.objects.filter(nation=donor).order_by("region", "name"),
    )
    if request.method == "POST" and form.is_valid():
        line = next(ln for ln in lines if str(ln.pk) == form.cleaned_data["request_line"])
        try:
            offered = transfers.offer_beds(
                request.user,
                rfa=rfa,
                request_line=line,
                bed_type=form.cleaned_data["bed_type"],
                hospitals=form.places(),
                available_from=form.cleaned_data["available_from"],
                conditions=form.cleaned_data["conditions"],
            )
        except DomainError as exc:
            field = (exc.field or "").replace("hospitals.", "")
            if field.endswith(".beds"):
                field = "beds_" + field.split(".")[0]
            elif field.endswith(".hospital"):
                field = "hospital_" + field.split(".")[0]
            if field in form.fields:
                form.add_error(field, exc.message)
            elif not attach_error(form, exc):
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Beds offered."))
            return redirect(reverse("web:offer_detail", args=[offered.offer_id]))
    return render(
        request,
        "hospitals/bed_offer.html",
        {"form": form, "rfa": rfa, "nav": "offers"},
    )
