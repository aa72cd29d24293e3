"""Reads behind the pages' searchable lists: offers, dispatches and the audit trail.

Each starts from its entity's own visibility rule (``offers.selectors``,
``audit.selectors``) and only narrows and orders it; the filters come from a GET form,
so a list works without JavaScript and its address can be shared. Unknown filter
values are ignored (the list shows everything rather than an error), unknown sort keys
fall back to the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import entries_visible_to
from aidbridge.logistics.models import Dispatch
from aidbridge.logistics.selectors import dispatches_visible_to
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.selectors import offer_list


@dataclass(frozen=True)
class Listing:
    """A list's filter names and sort keys (the first is the default)."""

    filters: tuple[str, ...]
    sorts: Mapping[str, tuple[str, ...]]

    def chosen(self, params: Mapping[str, Any]) -> dict[str, str]:
        chosen = {key: str(params.get(key) or "").strip() for key in (*self.filters, "sort")}
        if chosen["sort"] not in self.sorts:
            chosen["sort"] = next(iter(self.sorts))
        return chosen


OFFERS = Listing(
    filters=("q", "crisis", "donor", "status", "item", "kind"),
    sorts={
        "-created": ("-created_at", "-pk"),
        "created": ("created_at", "pk"),
        "reference": ("reference", "pk"),
        "donor": ("donor__code", "-created_at"),
        "available": ("available_from", "pk"),
    },
)
DISPATCHES = Listing(
    filters=("q", "crisis", "donor", "requester", "state", "mode"),
    sorts={
        "-dispatched": ("-dispatched_at", "-pk"),
        "dispatched": ("dispatched_at", "pk"),
        "expected": ("expected_at", "pk"),
        "donor": ("offer_line__offer__donor__code", "-dispatched_at"),
        "requester": ("offer_line__request_line__rfa__requester__code", "-dispatched_at"),
    },
)
AUDIT = Listing(
    filters=("q", "crisis", "kind", "party"),
    sorts={"-at": ("-at", "-pk"), "at": ("at", "pk"), "action": ("action", "-at")},
)


def offers(actor: Any, chosen: Mapping[str, str], *, own_party: str | None) -> QuerySet[Offer]:
    """Offers the actor sees, filtered; a point of contact's list is their nation's."""
    statuses = set(OfferLine.Status.values)
    found = offer_list(
        actor,
        crisis=chosen["crisis"] or None,
        donor=own_party or chosen["donor"] or None,
        status=chosen["status"] if chosen["status"] in statuses else None,
        item=chosen["item"] or None,
        unsolicited={"standing": True, "answer": False}.get(chosen["kind"]),
    )
    text = chosen["q"]
    if text:
        found = found.filter(
            Q(reference__icontains=text)
            | Q(rfa__reference__icontains=text)
            | Q(rfa__title__icontains=text)
            | Q(donor__code__iexact=text)
            | Q(conditions__icontains=text)
        )
    return found.order_by(*OFFERS.sorts[chosen["sort"]])


def dispatches(actor: Any, chosen: Mapping[str, str]) -> QuerySet[Dispatch]:
    """Dispatches the actor sees, with what is known of their arrival, filtered."""
    found = dispatches_visible_to(actor).select_related(
        "offer_line__offer__donor",
        "offer_line__offer__rfa__requester",
        "offer_line__item",
        "receipt",
    )
    if chosen["crisis"]:
        found = found.filter(offer_line__offer__crisis__code=chosen["crisis"])
    if chosen["donor"]:
        found = found.filter(offer_line__offer__donor__code__iexact=chosen["donor"])
    if chosen["requester"]:
        found = found.filter(offer_line__offer__rfa__requester__code__iexact=chosen["requester"])
    if chosen["state"] in {"in_transit", "received"}:
        found = found.filter(receipt__isnull=chosen["state"] == "in_transit")
    if chosen["mode"] in Dispatch.Mode.values:
        found = found.filter(mode=chosen["mode"])
    text = chosen["q"]
    if text:
        found = found.filter(
            Q(transport_reference__icontains=text)
            | Q(carrier__icontains=text)
            | Q(offer_line__offer__reference__icontains=text)
            | Q(offer_line__offer__rfa__reference__icontains=text)
            | Q(offer_line__item__code__icontains=text)
            | Q(offer_line__item__name_en__icontains=text)
            | Q(offer_line__item__name_fr__icontains=text)
        )
    return found.order_by(*DISPATCHES.sorts[chosen["sort"]])


# What the audit list's "kind" filter offers: the prefix of the actions it keeps.
AUDIT_KINDS = ("rfa", "offer", "offer_line", "dispatch", "receipt", "sitrep", "airlift_plan",
               "sortie", "allocation_run", "user", "party", "crisis")  # fmt: skip


def audit_entries(actor: Any, chosen: Mapping[str, str]) -> QuerySet[AuditEntry]:
    """The audit entries the actor may see (an entry follows its target), filtered."""
    found = entries_visible_to(actor).select_related("actor", "actor_party", "crisis")
    if chosen["crisis"]:
        found = found.filter(crisis__code=chosen["crisis"])
    if chosen["kind"] in AUDIT_KINDS:
        found = found.filter(action__startswith=chosen["kind"] + ".")
    if chosen["party"]:
        found = found.filter(actor_party__code__iexact=chosen["party"])
    text = chosen["q"]
    if text:
        found = found.filter(
            Q(target_repr__icontains=text)
            | Q(reason__icontains=text)
            | Q(action__icontains=text)
            | Q(actor__username__iexact=text)
        )
    return found.order_by(*AUDIT.sorts[chosen["sort"]])
