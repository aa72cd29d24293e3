"""Offering (against a circulated request, or standing stock), one's own offers, and
the decisions on an offer line: accept, decline, withdraw, dispatch, confirm receipt."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.accounts.models import Role
from aidbridge.accounts.permissions import profile_of
from aidbridge.catalogue.models import Item
from aidbridge.catalogue.selectors import item_list
from aidbridge.core.actions import refuse
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.refusals import attach_error
from aidbridge.crises.models import Crisis
from aidbridge.interop.exporters import offers_table, write_columns
from aidbridge.ledger.sums import line_figures
from aidbridge.logistics import selectors as logistics_selectors
from aidbridge.logistics import services as logistics_services
from aidbridge.logistics.forms import DispatchForm, ReceiptForm
from aidbridge.logistics.models import Dispatch
from aidbridge.offers import selectors as offer_selectors
from aidbridge.offers import services as offer_services
from aidbridge.offers.actions import offer_actions, rfa_offer_refusal, standing_offer_refusal
from aidbridge.offers.forms import OfferHeaderForm
from aidbridge.offers.models import OfferLine
from aidbridge.requests import selectors as rfa_selectors
from aidbridge.web import finding, lists, selectors
from aidbridge.web.affordances import attach_line_actions

UNSOLICITED_ROWS = 5


def _whole(raw: str | None, field: str) -> int | None:
    """HTTP text to an int; blank is None. Whether the number is acceptable is the
    service's call, so only text that is no number at all is refused here."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationFailed(_("enter a whole number"), field=field) from None


def _back_to_line(line: OfferLine, request: HttpRequest | None = None) -> HttpResponse:
    """To the page the action was taken from: the offer's, or the request's line."""
    back = request.POST.get("next") if request is not None else None
    if line.request_line_id is None or back in ("offer", "offers"):
        return redirect(reverse("web:offer_detail", args=[line.offer_id]))
    url = reverse("web:rfa_detail", args=[line.request_line.rfa_id])  # type: ignore[union-attr]
    return redirect(f"{url}#line-{line.request_line_id}")


def _prefilled(request: HttpRequest, line_ids: set[int]) -> dict[int, str]:
    """``?line=ID&quantity=N`` pairs (a match notification's link) as the form's values.

    Only lines of this request are filled; the text is shown as given and checked by
    the service like any typed quantity when the form is sent.
    """
    out: dict[int, str] = {}
    for raw_line, raw_quantity in zip(
        request.GET.getlist("line"), request.GET.getlist("quantity"), strict=False
    ):
        if raw_line.isdigit() and int(raw_line) in line_ids:
            out[int(raw_line)] = raw_quantity.strip()[:12]
    return out


@login_required
def offer_new(request: HttpRequest, pk: int) -> HttpResponse:
    """An offer against the lines of one circulated request (one quantity per line)."""
    rfa = rfa_selectors.get_rfa(request.user, pk)
    refuse(rfa_offer_refusal(request.user, rfa))  # no form for an offer that would fail
    lines = list(rfa_selectors.lines_of(rfa))
    figures = line_figures(lines)
    for line in lines:
        line.figures = figures[line.pk]  # type: ignore[attr-defined]
    form = OfferHeaderForm(request.POST or None)
    line_errors: dict[int, str] = {}
    values = {ln.pk: request.POST.get(f"qty-{ln.pk}", "") for ln in lines}
    if request.method == "GET":
        values.update(_prefilled(request, {ln.pk for ln in lines}))
    if request.method == "POST" and form.is_valid():
        chosen: list[dict[str, Any]] = []
        order: list[int] = []
        try:
            for ln in lines:
                quantity = _whole(values[ln.pk], f"qty-{ln.pk}")
                if quantity is not None:
                    chosen.append(
                        {
                            "request_line": ln.pk,
                            "quantity": quantity,
                            "notes": request.POST.get(f"notes-{ln.pk}", ""),
                        }
                    )
                    order.append(ln.pk)
            offer = offer_services.make_offer(
                request.user, rfa=rfa, lines=chosen, **form.cleaned_data
            )
        except ValidationFailed as error:
            field = error.field or ""
            parts = field.split(".")
            if field.startswith("qty-"):
                line_errors[int(field[4:])] = error.message
            elif len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
                line_errors[order[int(parts[1])]] = error.message
            elif not attach_error(form, error):
                form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Offer %(ref)s sent to %(nation)s.")
                % {"ref": offer.reference, "nation": rfa.requester.code},
            )
            return redirect(reverse("web:rfa_detail", args=[rfa.pk]))
    context = {
        "rfa": rfa,
        "crisis": rfa.crisis,
        "nav": "offers",
        "form": form,
        "rows": [(ln, values.get(ln.pk, ""), line_errors.get(ln.pk)) for ln in lines],
        "focus_line": request.GET.get("line", ""),
    }
    return render(request, "offers/offer_form.html", context, status=400 if line_errors else 200)


@login_required
def unsolicited_new(request: HttpRequest, code: str) -> HttpResponse:
    """Standing stock offered to the crisis as a whole (the centre matches it to needs)."""
    crisis = get_object_or_404(Crisis, code=code)
    refuse(standing_offer_refusal(request.user, crisis))
    form = OfferHeaderForm(request.POST or None)
    rows = [
        {
            "item": request.POST.get(f"item-{i}", "").split(" ")[0].strip().upper(),
            "quantity": request.POST.get(f"qty-{i}", ""),
            "notes": request.POST.get(f"notes-{i}", ""),
            "error": None,
        }
        for i in range(UNSOLICITED_ROWS)
    ]
    if request.method == "POST" and form.is_valid():
        chosen: list[dict[str, Any]] = []
        order: list[int] = []
        try:
            for i, row in enumerate(rows):
                if row["item"] or row["quantity"]:
                    quantity = _whole(row["quantity"], f"lines.{len(chosen)}.quantity")
                    chosen.append(
                        {"item": row["item"], "quantity": quantity, "notes": row["notes"]}
                    )
                    order.append(i)
            offer = offer_services.make_unsolicited_offer(
                request.user, crisis=crisis, lines=chosen, **form.cleaned_data
            )
        except ValidationFailed as error:
            parts = (error.field or "").split(".")
            if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit() and order:
                rows[order[int(parts[1])]]["error"] = error.message
            elif not attach_error(form, error):
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Standing offer %(ref)s made.") % {"ref": offer.reference})
            return redirect(reverse("web:offer_detail", args=[offer.pk]))
    context = {
        "crisis": crisis,
        "nav": "offers",
        "form": form,
        "rows": rows,
        "items": item_list(),
    }
    return render(request, "offers/unsolicited_form.html", context)


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = offer_selectors.offer_detail(request.user, pk)
    # Every action its role allows on each line, as on the request page (dispatch,
    # accept, decline, confirm receipt, withdraw), with the ledger's figures.
    lines = list(
        selectors.offer_lines_with_movement()
        .filter(offer=offer)
        .select_related("request_line__rfa")
        .prefetch_related(
            Prefetch(
                "dispatches",
                queryset=Dispatch.objects.select_related("receipt").order_by("dispatched_at", "pk"),
            )
        )
        .order_by("pk")
    )
    attach_line_actions(request.user, lines, dispatches=True)
    context = {
        "offer": offer,
        "lines": lines,
        "modes": Dispatch.Mode.choices,
        "crisis": offer.crisis,
        "nav": "offers",
        "actions": offer_actions(request.user, offer),
        "history": logistics_selectors.offer_history(request.user, offer).order_by("-at", "-pk")[
            :100
        ],
    }
    return render(request, "offers/offer_detail.html", context)


@login_required
@require_POST
def offer_line_accept(request: HttpRequest, pk: int) -> HttpResponse:
    line = offer_selectors.offer_line(request.user, pk)
    offer_services.accept_offer_line(
        request.user,
        line,
        _whole(request.POST.get("quantity"), "quantity"),
        over_acceptance_reason=(request.POST.get("over_acceptance_reason") or "").strip(),
    )
    messages.success(request, _("Offer accepted."))
    return _back_to_line(line, request)


@login_required
@require_POST
def offer_line_decline(request: HttpRequest, pk: int) -> HttpResponse:
    line = offer_selectors.offer_line(request.user, pk)
    offer_services.decline_offer_line(
        request.user,
        line,
        (request.POST.get("reason") or "").strip(),
        _whole(request.POST.get("quantity"), "quantity"),
    )
    messages.success(request, _("Offer declined."))
    return _back_to_line(line, request)


@login_required
@require_POST
def offer_line_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    line = offer_selectors.offer_line(request.user, pk)
    offer_services.withdraw_offer_line(
        request.user, line, (request.POST.get("reason") or "").strip()
    )
    messages.success(request, _("Offer withdrawn."))
    return _back_to_line(line, request)


@login_required
@require_POST
def offer_line_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    line = offer_selectors.offer_line(request.user, pk)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        raise form.form_error()
    try:
        logistics_services.dispatch_offer_line(request.user, line, **form.cleaned_data)
    except ValidationFailed as error:
        raise form.labelled(error) from None
    messages.success(request, _("Dispatch reported."))
    return _back_to_line(line, request)


@login_required
@require_POST
def dispatch_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    dispatch = get_object_or_404(
        logistics_selectors.dispatches_visible_to(request.user).select_related(
            "offer_line__request_line"
        ),
        pk=pk,
    )
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        raise form.form_error()
    try:
        logistics_services.confirm_receipt(request.user, dispatch, **form.cleaned_data)
    except ValidationFailed as error:
        raise form.labelled(error) from None
    messages.success(request, _("Receipt confirmed."))
    return _back_to_line(dispatch.offer_line, request)


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    """A point of contact sees their nation's offers; others filter by donor."""
    profile = profile_of(request.user)
    own = profile.party.code if profile.role == Role.NATIONAL_POC else None
    chosen = finding.OFFERS.chosen(request.GET)
    rows = finding.offers(request.user, chosen, own_party=own)

    def export(fmt: str, crisis: Crisis | None) -> tuple[bytes, str]:
        cols, lines = offers_table(request.user, crisis, rows)
        return write_columns(fmt, cols, lines, "offers"), "offers"

    def filters() -> list[dict[str, Any]]:
        items = [(i.code, f"{i.name} ({i.code})") for i in Item.objects.filter(active=True)]
        kinds = [("answer", _("Answers to a request")), ("standing", _("Standing offers"))]
        donor = [lists.select("donor", _("Donor"), chosen["donor"], lists.nations())]
        return [
            *(donor if own is None else []),
            lists.select("status", _("Line status"), chosen["status"], OfferLine.Status.choices),
            lists.select("item", _("Item"), chosen["item"], items),
            lists.select("kind", _("Kind"), chosen["kind"], kinds),
        ]

    return lists.show(
        request,
        chosen=chosen,
        rows=rows,
        nav="offers",
        template="offers/offers.html",
        export=export,
        filters=filters,
        search_hint=_("Reference, request or conditions"),
        sorts={
            "-created": _("Newest first"),
            "created": _("Oldest first"),
            "reference": _("Reference"),
            "donor": _("Donor"),
            "available": _("Available from"),
        },
        own=own is not None,
    )
