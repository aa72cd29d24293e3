"""Reading offers and their history; who sees which offer.

Offers have no private draft stage, and an offer can only answer a circulated request,
so once made it is part of the shared picture: every user with a role reads it
(observers included), as the pages always did. The rule is nevertheless written from
the request's visibility (``requests.selectors.visibility``) so that an offer can never
show a request its reader may not see: an offer is visible to its donor, and to whoever
sees the request it answers; a standing (unsolicited) offer to everyone with a role.
Offer lines follow their offer (dispatches and receipts too: ``logistics.selectors``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext

from aidbridge.accounts.permissions import profile_of
from aidbridge.core.errors import NotFound
from aidbridge.crises.models import Crisis
from aidbridge.ledger.sums import with_movement
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.selectors import visibility


def offer_visibility(actor: Any, path: str = "") -> Q:
    """The offers ``actor`` may see; ``path`` reaches the offer from another model."""
    profile = profile_of(actor)
    return (
        Q(**{f"{path}rfa__isnull": True})
        | Q(**{f"{path}donor_id": profile.party_id})
        | visibility(actor, f"{path}rfa__")
    )


def offers_visible_to(actor: Any) -> QuerySet[Offer]:
    return Offer.objects.filter(offer_visibility(actor))


def offer_lines_visible_to(actor: Any) -> QuerySet[OfferLine]:
    return OfferLine.objects.filter(offer_visibility(actor, "offer__"))


def lines_with_movement() -> QuerySet[OfferLine]:
    """Offer lines with the ledger's movement figures (one query for any number)."""
    return with_movement(OfferLine.objects.select_related("item", "request_line")).order_by("pk")


OFFER_COLUMNS = (
    *(f.name for f in Offer._meta.concrete_fields),
    "crisis__code",
    "donor__code",
    "rfa__reference",
    "rfa__requester__code",
    "created_by__username",
)


def offer_list(
    actor: Any,
    *,
    crisis: str | None = None,
    donor: str | None = None,
    requester: str | None = None,
    rfa: int | None = None,
    status: str | None = None,
    item: str | None = None,
    unsolicited: bool | None = None,
) -> QuerySet[Offer]:
    """Offers matching the filters, with lines and their movement prefetched."""
    offers = (
        offers_visible_to(actor)
        .select_related("crisis", "donor", "rfa__requester", "created_by")
        # Only what a list shows: sorting narrow rows keeps a long list's page cheap.
        .only(*OFFER_COLUMNS)
        .prefetch_related(Prefetch("lines", queryset=lines_with_movement()))
    )
    if crisis:
        # The crisis's id as a constant for the planner (not a join it may start from),
        # so that a page is read through (crisis, created_at) in order and stops early.
        offers = offers.filter(
            crisis_id=Subquery(Crisis.objects.filter(code=crisis).values("pk")[:1])
        )
    # The parties by id, not by a join on their code: a donor's offers are then read
    # through (crisis, donor, created_at) and a capped count stops early.
    if donor:
        offers = offers.filter(donor_id__in=Subquery(parties_coded(donor)))
    if requester:
        offers = offers.filter(rfa__requester_id__in=Subquery(parties_coded(requester)))
    if rfa is not None:
        offers = offers.filter(rfa_id=rfa)
    if unsolicited is not None:
        offers = offers.filter(rfa__isnull=unsolicited)
    line_filter = Q()
    if status:
        line_filter &= Q(status=status)
    if item:
        line_filter &= Q(item__code__iexact=item)
    if status or item:
        offers = offers.filter(pk__in=OfferLine.objects.filter(line_filter).values("offer_id"))
    return offers


def parties_coded(code: str) -> QuerySet[Party, Any]:
    """The ids of the party whose code is ``code``, in any case (a filter's value)."""
    return Party.objects.filter(code__iexact=code).values("pk")


def offer_detail(actor: Any, offer_id: int) -> Offer:
    offer = offer_list(actor).filter(pk=offer_id).first()
    if offer is None:
        raise NotFound(gettext("no offer %(offer_id)s") % {"offer_id": offer_id}, field="id")
    return offer


def offer_line(actor: Any, line_id: int) -> OfferLine:
    line = offer_lines_visible_to(actor).select_related("offer").filter(pk=line_id).first()
    if line is None:
        raise NotFound(gettext("no offer line %(line_id)s") % {"line_id": line_id}, field="id")
    return line
