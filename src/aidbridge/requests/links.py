"""Linked requests: a new request that may repeat (escalate) an open one of its nation.

A repeated request is usually an escalation, not a duplicate: before circulating, the
centre sees which open, recent requests of the same nation in the same crisis ask for
the same item (or a catalogue substitute either way), with how the quantity and the
needed-by date changed. This only reads; nothing is merged or dropped (the centre's
"circulate as an escalation" is ``requests.escalation``). The link is read from both
sides: on the earlier request, the newer one shows with ``later``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from aidbridge.accounts.permissions import profile_of
from aidbridge.catalogue.models import Substitute
from aidbridge.ledger.sums import line_figures
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.selectors import rfas_visible_to

RFA = RequestForAssistance
# "Recent": an open request of the same nation created this long before the new one.
RECENT = timedelta(days=30)


@dataclass(frozen=True)
class LinePair:
    """A line of the new request and the line of the earlier one it overlaps."""

    line: RequestLine
    earlier: RequestLine
    same_item: bool  # False: one is a catalogue substitute for the other
    increase: int  # requested now - requested then (negative: less)
    days_earlier: int | None  # how much earlier it is needed now (None: a date missing)
    outstanding: int  # still outstanding on the earlier line (ledger)


@dataclass
class CandidateLink:
    """An open earlier request the new one may repeat."""

    rfa: RequestForAssistance
    declared: bool  # the nation itself said so (``repeat_of``)
    # The other request is the newer one: it may repeat this one (the link, read from
    # the earlier request's side).
    later: bool = False
    pairs: list[LinePair] = field(default_factory=list)


def _related_items(items: set[int]) -> dict[int, set[int]]:
    """Each item -> itself and the items that substitute for it or that it substitutes."""
    out: dict[int, set[int]] = {item: {item} for item in items}
    rows = Substitute.objects.filter(Q(need_item__in=items) | Q(supply_item__in=items))
    for need, supply in rows.values_list("need_item_id", "supply_item_id"):
        if need in out:
            out[need].add(supply)
        if supply in out:
            out[supply].add(need)
    return out


def candidate_links(actor: Any, rfa: RequestForAssistance) -> list[CandidateLink]:
    """The open, recent requests of ``rfa``'s nation and crisis that ``rfa`` may repeat,
    newest first, as far as ``actor`` sees; only the centre is shown them (it decides
    what to circulate), so anyone else gets none."""
    if not profile_of(actor).is_centre or rfa.status == RFA.Status.CLOSED:
        return []
    lines = list(rfa.lines.select_related("item").order_by("position"))
    related = _related_items({ln.item_id for ln in lines})
    wanted = set().union(*related.values()) if related else set()
    since = rfa.created_at - RECENT
    earlier_lines = list(
        RequestLine.objects.filter(
            rfa__in=rfas_visible_to(actor)
            .filter(crisis_id=rfa.crisis_id, requester_id=rfa.requester_id)
            .exclude(pk=rfa.pk)
            .exclude(status__in=(RFA.Status.CLOSED, RFA.Status.DRAFT))
            .filter(Q(created_at__gte=since) | Q(pk=rfa.repeat_of_id) | Q(repeat_of=rfa.pk)),
            item__in=wanted,
        )
        .select_related("rfa", "item")
        .order_by("-rfa__created_at", "-rfa_id", "position")
    )
    figures = line_figures(RequestLine.objects.filter(pk__in=[ln.pk for ln in earlier_lines]))
    found: dict[int, CandidateLink] = {}
    for earlier in earlier_lines:
        for line in lines:
            if earlier.item_id not in related[line.item_id]:
                continue
            link = found.setdefault(
                earlier.rfa_id,
                CandidateLink(
                    rfa=earlier.rfa,
                    declared=rfa.repeat_of_id == earlier.rfa_id
                    or earlier.rfa.repeat_of_id == rfa.pk,
                    later=(earlier.rfa.created_at, earlier.rfa_id) > (rfa.created_at, rfa.pk),
                ),
            )
            days = None
            if line.needed_by and earlier.needed_by:
                days = (earlier.needed_by - line.needed_by).days
            link.pairs.append(
                LinePair(
                    line=line,
                    earlier=earlier,
                    same_item=line.item_id == earlier.item_id,
                    increase=line.quantity - earlier.quantity,
                    days_earlier=days,
                    outstanding=figures[earlier.pk].outstanding,
                )
            )
    return list(found.values())


def pair_text(pair: LinePair) -> str:
    """ "line 2: same item, +200 piece, needed 5 days earlier; 100 outstanding on line 1"."""
    parts = [_("same item") if pair.same_item else _("a substitute")]
    unit = pair.line.item.unit
    if pair.increase > 0:
        parts.append(_("+%(n)s %(unit)s") % {"n": pair.increase, "unit": unit})
    elif pair.increase < 0:
        parts.append(_("%(n)s %(unit)s fewer") % {"n": -pair.increase, "unit": unit})
    else:
        parts.append(_("same quantity"))
    if pair.days_earlier:
        if pair.days_earlier > 0:
            parts.append(_("needed %(n)s days earlier") % {"n": pair.days_earlier})
        else:
            parts.append(_("needed %(n)s days later") % {"n": -pair.days_earlier})
    return _("line %(pos)s (%(item)s): %(what)s; %(left)s outstanding on its line %(then)s") % {
        "pos": pair.line.position,
        "item": pair.line.item.name,
        "what": ", ".join(parts),
        "left": pair.outstanding,
        "then": pair.earlier.position,
    }
