"""Finding requests (list with search, filters, sorting, pages), reading one (lines
with progress, offers, history) and acting on it with the buttons the role allows."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.accounts.permissions import profile_of
from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.interop.exporters import rfas_table, write_columns
from aidbridge.ledger.sums import line_figures
from aidbridge.logistics import selectors as logistics_selectors
from aidbridge.logistics.models import Dispatch
from aidbridge.parties.models import Party
from aidbridge.requests import escalation
from aidbridge.requests import selectors as rfa_selectors
from aidbridge.requests import services as rfa_services
from aidbridge.requests.links import candidate_links, pair_text
from aidbridge.requests.models import RequestForAssistance
from aidbridge.web import selectors
from aidbridge.web.affordances import attach_line_actions, crisis_actions, rfa_actions
from aidbridge.web.lists import FORMATS, BoundedPaginator, export_file

Status = RequestForAssistance.Status
Closure = RequestForAssistance.Closure
PAGE_SIZE = 25
SORTS = ["-created", "created", "reference", "requester", "status", "title", "-updated"]
FILTERS = ("q", "crisis", "nation", "status", "item", "priority", "sort")


def _chosen(params: Any) -> dict[str, str]:
    chosen = {key: (params.get(key) or "").strip() for key in FILTERS}
    if chosen["sort"] not in SORTS:
        chosen["sort"] = "-created"
    if chosen["status"] not in Status.values:
        chosen["status"] = ""
    if chosen["priority"] not in {"1", "2", "3"}:
        chosen["priority"] = ""
    return chosen


@login_required
def rfa_list(request: HttpRequest) -> HttpResponse:
    profile_of(request.user)
    chosen = _chosen(request.GET)
    rfas = rfa_selectors.rfa_list(
        request.user,
        crisis=chosen["crisis"] or None,
        party=chosen["nation"] or None,
        status=chosen["status"] or None,
        item=chosen["item"] or None,
        priority=int(chosen["priority"]) if chosen["priority"] else None,
        search=chosen["q"] or None,
        ordering=chosen["sort"],
    )
    crisis = Crisis.objects.filter(code=chosen["crisis"]).first() if chosen["crisis"] else None
    fmt = request.GET.get("format")
    if fmt in FORMATS:  # the filtered list taken away, like the other lists
        cols, lines = rfas_table(request.user, crisis, rfas)
        return export_file(write_columns(fmt, cols, lines, "rfas"), fmt, "requests")
    page = BoundedPaginator(rfas, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    context = {
        "page": page,
        "chosen": chosen,
        "crisis": crisis,
        "crisis_actions": crisis_actions(request.user, crisis) if crisis else set(),
        "nav": "rfas",
        "formats": FORMATS,
        "query": query.urlencode(),
        "crises": Crisis.objects.order_by("-started_on"),
        "nations": Party.objects.filter(kind=Party.Kind.NATION, active=True).only("code"),
        "statuses": Status.choices,
        "items": Item.objects.filter(active=True).only("code", "name_en", "name_fr"),
        "sorts": [
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("-updated", _("Recently updated")),
            ("reference", _("Reference")),
            ("requester", _("Requesting nation")),
            ("status", _("Status")),
            ("title", _("Title")),
        ],
    }
    template = (
        "requests/_rfa_results.html" if request.headers.get("HX-Request") else "requests/rfas.html"
    )
    return render(request, template, context)


@login_required
def rfa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile_of(request.user)
    rfa = rfa_selectors.get_rfa(request.user, pk)
    offer_lines = selectors.offer_lines_with_movement().prefetch_related(
        Prefetch(
            "dispatches",
            queryset=Dispatch.objects.select_related("receipt").order_by("dispatched_at", "pk"),
        )
    )
    lines = list(
        rfa_selectors.lines_of(rfa).prefetch_related(
            Prefetch("offer_lines", queryset=offer_lines.order_by("pk"))
        )
    )
    figures = line_figures(lines)
    for line in lines:
        line.figures = figures[line.pk]  # type: ignore[attr-defined]
        attach_line_actions(
            request.user,
            line.offer_lines.all(),
            need_accepted=figures[line.pk].accepted,
            dispatches=True,
        )
    links = [
        (link, [pair_text(p) for p in link.pairs]) for link in candidate_links(request.user, rfa)
    ]
    escalated_by = list(rfa_selectors.escalations_of(rfa))
    seen = set(
        rfa_selectors.rfas_visible_to(request.user)
        .filter(pk__in=[r.pk for r in escalated_by])
        .values_list("pk", flat=True)
    )
    context = {
        "rfa": rfa,
        "crisis": rfa.crisis,
        "nav": "rfas",
        "lines": lines,
        "actions": rfa_actions(request.user, rfa),
        "history": logistics_selectors.rfa_history(request.user, rfa).reverse()[:100],
        "closures": [c for c in RequestForAssistance.Closure.choices if c[0] != Closure.MERGED],
        "modes": Dispatch.Mode.choices,
        "links": links,
        "earlier_links": [(link, texts) for link, texts in links if not link.later],
        "later_links": [(link, texts) for link, texts in links if link.later],
        "repeated_by": rfa_selectors.repeats_of(request.user, rfa),
        "escalated_by": [(r, r.pk in seen) for r in escalated_by],
    }
    return render(request, "requests/rfa_detail.html", context)


def _reason(request: HttpRequest) -> str:
    return (request.POST.get("reason") or "").strip()


def _into(actor: Any, request: HttpRequest) -> RequestForAssistance:
    """The request named by the escalation form (one the actor sees, else a 422)."""
    raw = request.POST.get("into") or ""
    into = rfa_selectors.rfa_for_input(actor, int(raw) if raw.isdigit() else 0, "into")
    return cast(RequestForAssistance, into)


# Each button of the detail page calls one service; the service decides.
RFA_ACTIONS: dict[str, Any] = {
    "submit": lambda actor, rfa, req: rfa_services.submit_rfa(actor, rfa),
    "circulate": lambda actor, rfa, req: rfa_services.circulate_request(actor, rfa),
    "return": lambda actor, rfa, req: rfa_services.return_rfa(actor, rfa, reason=_reason(req)),
    "withdraw": lambda actor, rfa, req: rfa_services.withdraw_rfa(actor, rfa, reason=_reason(req)),
    "escalate": lambda actor, rfa, req: escalation.circulate_as_escalation(
        actor, rfa, _into(actor, req)
    ),
    "close": lambda actor, rfa, req: rfa_services.close_rfa(
        actor, rfa, closure=req.POST.get("closure", ""), reason=_reason(req)
    ),
}


@login_required
@require_POST
def rfa_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in RFA_ACTIONS:
        raise Http404("no such action")
    rfa = rfa_selectors.get_rfa(request.user, pk)
    RFA_ACTIONS[action](request.user, rfa, request)
    done = {
        "submit": _("The request was submitted to the centre."),
        "circulate": _("The request was circulated to the national points of contact."),
        "return": _("The request was returned to the requesting nation."),
        "withdraw": _("The request was withdrawn."),
        "close": _("The request was closed."),
        "escalate": _("The request was merged into the earlier one as an escalation."),
    }
    messages.success(request, done[action])
    return redirect(reverse("web:rfa_detail", args=[pk]))
