"""Writing a request: a header and any number of lines.

Adding or removing a line re-renders the form from what was typed, without saving:
with JavaScript htmx swaps the form in place (no page reload); without it the same
buttons post the page. On an existing draft every change is saved as the user goes
(htmx posts the form to ``rfa_autosave``). The services check everything; their
errors are shown next to the field they name.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.accounts.permissions import profile_of
from aidbridge.catalogue.selectors import item_list
from aidbridge.core.actions import refuse
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.refusals import attach_error
from aidbridge.crises.models import Crisis
from aidbridge.requests import selectors as rfa_selectors
from aidbridge.requests import services as rfa_services
from aidbridge.requests.actions import available_actions, create_refusal
from aidbridge.requests.forms import RfaForm, RfaLineForm, RfaLineFormSet
from aidbridge.requests.models import RequestForAssistance

LINE_FIELDS = list(RfaLineForm.base_fields)
PREFIX = "lines"


def _typed_rows(data: QueryDict) -> list[dict[str, Any]]:
    """The lines as typed, to re-render them after adding or removing one."""
    try:
        total = min(int(data.get(f"{PREFIX}-TOTAL_FORMS", "0")), 200)
    except ValueError:
        total = 0
    rows = []
    for i in range(total):
        row: dict[str, Any] = {name: data.get(f"{PREFIX}-{i}-{name}", "") for name in LINE_FIELDS}
        row["transport_needed"] = bool(row["transport_needed"])
        rows.append(row)
    return rows


def _initial_rows(rfa: RequestForAssistance) -> list[dict[str, Any]]:
    return [
        {
            "item": line.item.code,
            "quantity": line.quantity,
            "unit": line.unit,
            "priority": line.priority,
            "needed_by": line.needed_by,
            "delivery_airport": line.delivery_airport,
            "delivery_place": line.delivery_place,
            "delivery_lat": None if line.delivery_airport else line.delivery_lat,
            "delivery_lon": None if line.delivery_airport else line.delivery_lon,
            "transport_needed": line.transport_needed,
            "specification": line.specification,
        }
        for line in rfa.lines.select_related("item").order_by("position")
    ]


def _line_specs(formset: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """Filled lines as the service takes them, and each one's form index."""
    specs: list[dict[str, Any]] = []
    order: list[int] = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data:
            continue  # an untouched extra line
        spec = dict(data)
        if not spec.get("unit"):
            spec.pop("unit", None)  # the item's own unit
        specs.append(spec)
        order.append(index)
    return specs, order


def _show_error(error: ValidationFailed, form: Form, formset: Any, order: list[int]) -> None:
    parts = (error.field or "").split(".")
    if (
        len(parts) >= 2
        and parts[0] == "lines"
        and parts[1].isdigit()
        and int(parts[1]) < len(order)
    ):
        line_form = formset.forms[order[int(parts[1])]]
        if attach_error(line_form, error, prefix=f"lines.{parts[1]}."):
            return
        line_form.add_error(None, error.message)
        return
    if not attach_error(form, error):
        form.add_error(None, error.message)


def _save(actor: Any, rfa: RequestForAssistance | None, crisis: Crisis, form: Form, formset: Any):
    specs, order = _line_specs(formset)
    try:
        if rfa is None:
            rfa = rfa_services.create_rfa(actor, crisis=crisis, lines=specs, **form.cleaned_data)
        else:
            rfa = rfa_services.update_rfa(actor, rfa, lines=specs, **form.cleaned_data)
    except ValidationFailed as error:
        _show_error(error, form, formset, order)
        return None
    return rfa


@login_required
def rfa_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    profile_of(request.user)
    rfa = rfa_selectors.get_rfa(request.user, pk) if pk is not None else None
    # No form the service would refuse: a new request needs the right to draft one,
    # an existing one the "edit" action.
    if rfa is not None:
        crisis = rfa.crisis
        if "edit" not in available_actions(request.user, rfa):
            messages.error(request, _("This request cannot be edited now."))
            return redirect(reverse("web:rfa_detail", args=[rfa.pk]))
    else:
        code = request.POST.get("crisis") or request.GET.get("crisis") or ""
        crisis = get_object_or_404(Crisis, code=code)
        refuse(create_refusal(request.user, crisis))
    is_htmx = bool(request.headers.get("HX-Request"))
    found: list[Any] = []
    if request.method == "POST" and RESHAPING & set(request.POST):
        rows = _typed_rows(request.POST)
        if "add_line" in request.POST:
            rows.append({"priority": 2})
        elif "remove_line" in request.POST:
            with contextlib.suppress(ValueError, IndexError):
                del rows[int(request.POST["remove_line"])]
        elif "use_item" in request.POST:
            _use_item(rows, request.POST["use_item"])
        found = _found_items(request.POST)
        form = RfaForm(initial=request.POST.dict())
        formset = RfaLineFormSet(initial=rows, prefix=PREFIX)
    elif request.method == "POST":
        form = RfaForm(request.POST)
        formset = RfaLineFormSet(request.POST, prefix=PREFIX)
        if form.is_valid() and formset.is_valid():
            saved = _save(request.user, rfa, crisis, form, formset)
            if saved is not None:
                messages.success(request, _("Draft saved."))
                target = reverse("web:rfa_detail", args=[saved.pk])
                if is_htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
    else:
        initial = {f: getattr(rfa, f) for f in RfaForm.base_fields} if rfa else {}
        form = RfaForm(initial=initial)
        formset = RfaLineFormSet(
            initial=_initial_rows(rfa) if rfa else [{"priority": 2}], prefix=PREFIX
        )
    context = {
        "rfa": rfa,
        "crisis": crisis,
        "nav": "rfas",
        "form": form,
        "formset": formset,
        "items": item_list(),
        "item_q": (request.POST.get("item_q") or "").strip(),
        "found": found,
    }
    return render(request, "requests/rfa_form.html", context)


# Buttons that re-render the form from what was typed, without saving.
RESHAPING = {"add_line", "remove_line", "find_item", "use_item"}


def _found_items(data: QueryDict) -> list[Any]:
    """The catalogue items the form's search asks for (none once one is used)."""
    text = (data.get("item_q") or "").strip()
    if not text or "use_item" in data:
        return []
    return list(item_list(search=text)[:12])


def _use_item(rows: list[dict[str, Any]], code: str) -> None:
    """Put the chosen item, with its unit, on the first line without an item (a new
    line when every line has one)."""
    item = item_list().filter(code=code).first()
    if item is None:
        return
    row = next((r for r in rows if not str(r.get("item") or "").strip()), None)
    if row is None:
        row = {"priority": 2}
        rows.append(row)
    row["item"] = item.code
    row["unit"] = item.unit


@login_required
@require_POST
def rfa_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft as the user types; answer with a short status for the page."""
    rfa = rfa_selectors.get_rfa(request.user, pk)
    form = RfaForm(request.POST)
    formset = RfaLineFormSet(request.POST, prefix=PREFIX)
    valid = form.is_valid() and formset.is_valid()
    if valid and _save(request.user, rfa, rfa.crisis, form, formset) is not None:
        # A time format may end in a period ("11:25 p.m."): the sentence adds its own.
        now = time_format(timezone.localtime(), "TIME_FORMAT").rstrip(".")
        return HttpResponse(_("Draft saved at %(time)s.") % {"time": now})
    return HttpResponse(_("Not saved yet: complete the fields, then save the draft."))
