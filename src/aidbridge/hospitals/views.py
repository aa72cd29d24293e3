"""Pages: the hospitals with their beds (stale reports flagged), a hospital's page with
its history and the bed-report form, registering a hospital, the HAVE export."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from aidbridge.accounts.models import CENTRE_ROLES
from aidbridge.accounts.permissions import profile_of
from aidbridge.core.errors import DomainError, NotAllowed, NotFound
from aidbridge.core.refusals import attach_error
from aidbridge.edxl.envelope import serialise
from aidbridge.hospitals import have, selectors, services
from aidbridge.hospitals.actions import can_manage
from aidbridge.hospitals.forms import BedReportForm, HospitalForm
from aidbridge.hospitals.models import BedReport
from aidbridge.parties.models import Party


def with_refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A service's refusal becomes the matching HTTP answer on these pages (the web
    app's middleware only handles its own namespace)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:  # the state refuses the action (409) or the input
            context = {"reason": exc.message, "not_found": False}
            return render(request, "web/refused.html", context, status=exc.status)

    return wrapped


def _hours() -> str:
    return f"{selectors.max_age().total_seconds() / 3600:g}"


@login_required
@with_refusals
def hospital_list(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    nation = (request.GET.get("nation") or "").strip()[:20]
    hospitals = list(selectors.hospital_list(nation=nation or None))
    reports = selectors.current_reports([h.pk for h in hospitals])
    for hospital in hospitals:
        hospital.availability = reports[hospital.pk]  # type: ignore[attr-defined]
    nations = Party.objects.filter(hospitals__isnull=False).distinct().order_by("code")
    may_register = profile.role in CENTRE_ROLES or profile.party.is_nation
    return render(
        request,
        "hospitals/list.html",
        {
            "hospitals": hospitals,
            "nations": nations,
            "nation": nation,
            "may_register": may_register,
            "max_age_hours": _hours(),
            "nav": "hospitals",
        },
    )


@login_required
@with_refusals
def hospital_new(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    initial = {} if profile.role in CENTRE_ROLES else {"nation": profile.party.code}
    form = HospitalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            hospital = services.register_hospital(request.user, **data)
        except DomainError as exc:
            if not attach_error(form, exc):
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Hospital registered."))
            return redirect(reverse("hospitals:detail", args=[hospital.pk]))
    return render(request, "hospitals/form.html", {"form": form, "nav": "hospitals"})


@login_required
@with_refusals
def hospital_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile_of(request.user)
    hospital = selectors.hospital_by_id(pk)
    manage = can_manage(request.user, hospital.nation)
    form = BedReportForm(request.POST or None) if manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.report_beds(
                request.user,
                hospital,
                bed_type=form.cleaned_data["bed_type"],
                available=form.cleaned_data["available"],
                baseline=form.cleaned_data["baseline"],
                reported_at=form.cleaned_data["reported_at"],
                source=BedReport.Source.FORM,
            )
        except DomainError as exc:
            if not attach_error(form, exc):
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Bed report recorded."))
            return redirect(reverse("hospitals:detail", args=[hospital.pk]))
    history: list[Any] = list(selectors.report_history(hospital))
    return render(
        request,
        "hospitals/detail.html",
        {
            "hospital": hospital,
            "availability": selectors.current_reports([hospital.pk])[hospital.pk],
            "history": history,
            "form": form,
            "max_age_hours": _hours(),
            "nav": "hospitals",
        },
    )


@login_required
@with_refusals
def have_export(request: HttpRequest) -> HttpResponse:
    profile_of(request.user)
    hospitals = list(selectors.hospital_list())
    if not hospitals:
        messages.error(request, _("No hospital is registered yet."))
        return redirect(reverse("hospitals:list"))
    response = HttpResponse(
        serialise(have.export_have(hospitals)), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="hospital-status-have.xml"'
    return response
