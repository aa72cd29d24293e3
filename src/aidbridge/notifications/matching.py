"""Match notifications: tell donors what they could fill, and requesters what is held.

When a request is circulated, the nations holding standing stock of its items (or of a
catalogue substitute) in the crisis, or that offered those items in the crisis, are told
what they could fill, with a link to the offer form pre-filled. When standing stock is
posted, the requesters whose open needs it matches are told.

Every figure (outstanding, available, offered) is the ledger's. Nobody hears of a request
they may not see (``requests.selectors.viewers``), the requesting nation is never told
about its own request, and a draft is never matched (only requests in the picture are).

The services below (``requests``, ``offers``) may not import this module: they send
``requests.signals.circulated`` and ``offers.signals.standing_posted`` inside their
transaction, and ``connect`` (called from ``NotificationsConfig.ready``) runs these after
the commit (``transaction.on_commit``): a match is advice, so a failure here must not undo
the circulation or the offer, and the figures read are the committed ones. Each user
gets them at once or in a daily digest (``Profile.match_delivery``), written in their
language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aidbridge.accounts.models import MatchDelivery, Role
from aidbridge.catalogue.models import Item, Substitute
from aidbridge.catalogue.units import unit_name
from aidbridge.ledger.sums import OFFER_SUMS, line_figures, standing_stock
from aidbridge.notifications.models import PendingMatch
from aidbridge.notifications.services import notify
from aidbridge.offers import signals as offer_signals
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests import signals as rfa_signals
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.selectors import in_picture, viewers, visibility

RFA = RequestForAssistance
# A link longer than the inbox's column would be cut: pre-fill at most this many lines.
MAX_PREFILLED = 8


@dataclass(frozen=True)
class Match:
    """One request line a donor could fill with one item it holds or has offered."""

    line: RequestLine
    item: Item  # what the donor has: the line's item or a substitute for it
    outstanding: int
    available: int  # standing stock not yet drawn (ledger)
    offered: int  # offered against requests of this crisis (ledger)

    @property
    def suggested(self) -> int:
        """What the pre-filled form proposes: as much of the need as the donor has."""
        have = self.available or self.offered
        return min(self.outstanding, have) if have else self.outstanding


def offer_form_link(rfa: RFA, quantities: Iterable[tuple[int, int]]) -> str:
    """The offer page of ``rfa`` with these (request line id, quantity) pairs filled in."""
    query: list[tuple[str, int]] = []
    for line_id, quantity in list(quantities)[:MAX_PREFILLED]:
        query += [("line", line_id), ("quantity", quantity)]
    return f"{reverse('web:offer_new', args=[rfa.pk])}?{urlencode(query)}"


def connect() -> None:
    """Send match notifications after a request is circulated or standing stock posted."""
    rfa_signals.circulated.connect(_circulated, dispatch_uid="notifications.matching.rfa")
    offer_signals.standing_posted.connect(_posted, dispatch_uid="notifications.matching.stock")


def _circulated(sender: Any, *, rfa: RFA, **kwargs: Any) -> None:
    transaction.on_commit(partial(request_circulated, rfa.pk), robust=True)


def _posted(sender: Any, *, offer: Offer, **kwargs: Any) -> None:
    transaction.on_commit(partial(stock_posted, offer.pk), robust=True)


# --- delivery ---------------------------------------------------------------------------
def _deliver(
    users: Iterable[Any],
    *,
    rfa: RFA,
    kind: str,
    texts: Callable[[], tuple[str, str]],
    link: str,
) -> None:
    """Write the texts once per language; notify now or hold for the digest."""
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for user in users:
        profile = user.profile
        groups[(profile.language, profile.match_delivery)].append(user)
    for (language, delivery), members in groups.items():
        with translation.override(language):
            subject, body = texts()
        subject = subject[:200]
        if delivery == MatchDelivery.DIGEST:
            PendingMatch.objects.bulk_create(
                PendingMatch(
                    recipient=u, crisis=rfa.crisis, rfa=rfa, subject=subject, body=body, link=link
                )
                for u in members
            )
        else:
            notify(members, kind=kind, subject=subject, body=body, link=link, crisis=rfa.crisis)


def _told(party_id: int, rfa: RFA) -> Any:
    """The POCs of this nation who may see ``rfa``."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.NATIONAL_POC, profile__party_id=party_id)
        .filter(viewers(rfa))
        .select_related("profile")
    )


# --- a request is circulated ------------------------------------------------------------
def _supplies(need_items: set[int]) -> dict[int, set[int]]:
    """Each need item -> the items that may fill it (itself and its substitutes)."""
    out: dict[int, set[int]] = {item: {item} for item in need_items}
    rows = Substitute.objects.filter(need_item__in=need_items).values_list(
        "need_item_id", "supply_item_id"
    )
    for need, supply in rows:
        out[need].add(supply)
    return out


def _standing_lines(crisis_id: int) -> Any:
    """Lines of standing (unsolicited) offers to the crisis, not taken back."""
    return OfferLine.objects.filter(
        offer__crisis_id=crisis_id, offer__rfa__isnull=True, request_line__isnull=True
    ).exclude(status=OfferLine.Status.WITHDRAWN)


def _available(crisis_id: int, items: set[int]) -> dict[tuple[int, int], int]:
    """(donor, item) -> standing stock still available, from the ledger's ``Stock``."""
    lines = _standing_lines(crisis_id).filter(item__in=items)
    stock = standing_stock(lines)
    out: dict[tuple[int, int], int] = defaultdict(int)
    for pk, donor, item in lines.values_list("pk", "offer__donor_id", "item_id"):
        out[(donor, item)] += stock[pk].available
    return {key: value for key, value in out.items() if value > 0}


def _offered(crisis_id: int, items: set[int]) -> dict[tuple[int, int], int]:
    """(donor, item) -> offered against circulated requests of the crisis (ledger sum)."""
    rows: Any = (
        OfferLine.objects.filter(
            in_picture("request_line__rfa__"), offer__crisis_id=crisis_id, item__in=items
        )
        .values("offer__donor_id", "item_id")
        .annotate(**OFFER_SUMS)
        .order_by()
    )
    return {
        (row["offer__donor_id"], row["item_id"]): row["sum_offered"]
        for row in rows
        if row["sum_offered"] > 0
    }


def matches_for_request(rfa: RFA) -> dict[int, list[Match]]:
    """Donor id -> the lines of ``rfa`` it could fill (not the requester itself)."""
    lines = list(rfa.lines.select_related("item").order_by("position"))
    figures = line_figures(rfa.lines.all())
    open_lines = [ln for ln in lines if figures[ln.pk].outstanding > 0]
    supplies = _supplies({ln.item_id for ln in open_lines})
    items = set().union(*supplies.values()) if supplies else set()
    available = _available(rfa.crisis_id, items)
    offered = _offered(rfa.crisis_id, items)
    names = {item.pk: item for item in Item.objects.filter(pk__in=items)}
    out: dict[int, list[Match]] = defaultdict(list)
    for line in open_lines:
        for donor, item in sorted(set(available) | set(offered)):
            if item not in supplies[line.item_id] or donor == rfa.requester_id:
                continue
            out[donor].append(
                Match(
                    line=line,
                    item=names[item],
                    outstanding=figures[line.pk].outstanding,
                    available=available.get((donor, item), 0),
                    offered=offered.get((donor, item), 0),
                )
            )
    return dict(out)


def _match_text(match: Match) -> str:
    need = match.line.item.name
    what = need
    if match.item.pk != match.line.item_id:
        what = _("%(supply)s (a substitute for %(need)s)") % {
            "supply": match.item.name,
            "need": need,
        }
    held = []
    if match.available:
        held.append(_("you hold %(n)s in standing stock") % {"n": match.available})
    if match.offered:
        held.append(_("you offered %(n)s in this crisis") % {"n": match.offered})
    return _("- %(what)s: %(outstanding)s %(unit)s outstanding on line %(pos)s; %(held)s") % {
        "what": what,
        "outstanding": match.outstanding,
        "unit": unit_name(match.line.item.unit, match.outstanding),
        "pos": match.line.position,
        "held": "; ".join(held),
    }


def _request_texts(rfa: RFA, matches: list[Match]) -> tuple[str, str]:
    subject = _("%(ref)s (%(nation)s): you could fill %(n)s") % {
        "ref": rfa.reference,
        "nation": rfa.requester.code,
        "n": ngettext("%d line", "%d lines", len(matches)) % len(matches),
    }
    intro = _("The centre circulated %(ref)s from %(nation)s: %(title)s.") % {
        "ref": rfa.reference,
        "nation": rfa.requester.code,
        "title": rfa.title,
    }
    outro = _("The link opens an offer with these quantities filled in.")
    lines = "\n".join(_match_text(m) for m in matches)
    return subject, f"{intro}\n{lines}\n{outro}"


def request_circulated(rfa_id: int) -> None:
    """Tell each donor what of the newly circulated request it could fill."""
    rfa = RFA.objects.select_related("crisis", "requester").get(pk=rfa_id)
    if rfa.circulated_at is None or rfa.status == RFA.Status.CLOSED:
        return
    with transaction.atomic():
        for donor, matches in matches_for_request(rfa).items():
            _deliver(
                _told(donor, rfa),
                rfa=rfa,
                kind="match.request",
                texts=partial(_request_texts, rfa, matches),
                link=offer_form_link(rfa, [(m.line.pk, m.suggested) for m in matches]),
            )


# --- standing stock is posted -----------------------------------------------------------
StockRow = tuple[RequestLine, Item, int, int]  # line, item held, outstanding, available


def request_lines_for_stock(offer: Offer) -> dict[int, list[StockRow]]:
    """Request id -> (line, item held, outstanding, available) the new stock could fill:
    open lines in the picture of the crisis, of another nation than the donor."""
    stock = standing_stock(offer.lines.exclude(status=OfferLine.Status.WITHDRAWN))
    held: dict[int, int] = defaultdict(int)
    items: dict[int, Item] = {}
    for standing in offer.lines.select_related("item"):
        if standing.pk in stock and stock[standing.pk].available > 0:
            held[standing.item_id] += stock[standing.pk].available
            items[standing.item_id] = standing.item
    fills: dict[int, set[int]] = defaultdict(set)  # need item -> supply items held
    for item in held:
        fills[item].add(item)
    subs = Substitute.objects.filter(supply_item__in=held).values_list(
        "need_item_id", "supply_item_id"
    )
    for need, supply in subs:
        fills[need].add(supply)
    candidates = (
        RequestLine.objects.filter(in_picture("rfa__"), rfa__crisis_id=offer.crisis_id)
        .filter(item__in=fills)
        .exclude(Q(rfa__status=RFA.Status.CLOSED) | Q(rfa__requester_id=offer.donor_id))
        .select_related("item", "rfa__requester", "rfa__crisis")
        .order_by("rfa_id", "position")
    )
    figures = line_figures(candidates)
    out: dict[int, list[StockRow]] = defaultdict(list)
    for line in candidates:
        outstanding = figures[line.pk].outstanding
        if outstanding <= 0:
            continue
        for supply in sorted(fills[line.item_id]):
            out[line.rfa_id].append((line, items[supply], outstanding, held[supply]))
    return dict(out)


def _stock_texts(offer: Offer, rfa: RFA, rows: list[StockRow]) -> tuple[str, str]:
    subject = _("%(donor)s posted standing stock matching %(ref)s") % {
        "donor": offer.donor.code,
        "ref": rfa.reference,
    }
    listed = "\n".join(
        _(
            "- line %(pos)s, %(need)s: %(outstanding)s outstanding; "
            "%(donor)s holds %(available)s %(item)s"
        )
        % {
            "pos": line.position,
            "need": line.item.name,
            "outstanding": outstanding,
            "donor": offer.donor.code,
            "available": available,
            "item": item.name,
        }
        for line, item, outstanding, available in rows
    )
    outro = _("The centre can draw it for you from the allocation page.")
    return subject, f"{listed}\n{outro}"


def stock_posted(offer_id: int) -> None:
    """Tell the requesters with open needs that the new standing stock could fill."""
    offer = Offer.objects.select_related("donor", "crisis").get(pk=offer_id)
    if offer.rfa_id is not None:
        return
    with transaction.atomic():
        for rows in request_lines_for_stock(offer).values():
            rfa = rows[0][0].rfa
            _deliver(
                _told(rfa.requester_id, rfa),
                rfa=rfa,
                kind="match.stock",
                texts=partial(_stock_texts, offer, rfa, rows),
                link=reverse("web:rfa_detail", args=[rfa.pk]),
            )


# --- the daily digest -------------------------------------------------------------------
def send_digests() -> int:
    """One notification per user gathering their held matches; returns how many were sent.

    A match about a request since closed, or no longer visible to its recipient, is
    dropped: a digest must not send anyone to fill a need that is gone.
    """
    sent = 0
    User = get_user_model()
    with transaction.atomic():
        pending = list(
            PendingMatch.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("recipient_id", "created_at", "id")
        )
        by_user: dict[int, list[PendingMatch]] = defaultdict(list)
        for entry in pending:
            by_user[entry.recipient_id].append(entry)
        users = User.objects.select_related("profile").in_bulk(list(by_user))
        for user_id, entries in by_user.items():
            user = users[user_id]
            if not user.is_active or not hasattr(user, "profile"):
                continue
            still = set(
                RFA.objects.filter(visibility(user), pk__in=[e.rfa_id for e in entries])
                .exclude(status=RFA.Status.CLOSED)
                .values_list("pk", flat=True)
            )
            kept = [e for e in entries if e.rfa_id in still]
            if kept:
                with translation.override(user.profile.language):
                    subject = ngettext(
                        "Daily digest: %d possible match",
                        "Daily digest: %d possible matches",
                        len(kept),
                    ) % len(kept)
                body = "\n\n".join(f"{e.subject}\n{e.body}\n{e.link}" for e in kept)
                link = kept[0].link if len(kept) == 1 else ""
                crisis = kept[0].crisis if len({e.crisis_id for e in kept}) == 1 else None
                notify(
                    [user],
                    kind="match.digest",
                    subject=subject,
                    body=body,
                    link=link,
                    crisis=crisis,
                )
                sent += 1
        PendingMatch.objects.filter(pk__in=[e.pk for e in pending]).update(sent_at=timezone.now())
    return sent
