"""Export: audit entries → RM messages → EDXL-DE envelopes, for what the caller may see.

Every read goes through the existing selectors: the entries through
``audit.selectors.entry_visibility`` (an entry is visible exactly when its target is),
the request and offer of an on-demand export through ``requests.selectors.get_rfa`` and
``offers.selectors.offer_detail``. Objects are loaded per batch in a fixed number of
queries, so exporting a crisis of thousands of messages costs no query per message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from lxml import etree

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import entry_visibility
from aidbridge.crises.models import Crisis
from aidbridge.edxl import ids, rm, steps
from aidbridge.edxl.envelope import Distribution, envelope
from aidbridge.edxl.flow import MAPPED_ACTIONS, RFA, Chain, Context, centre_party
from aidbridge.edxl.parts import Message
from aidbridge.ledger.sums import line_figures
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestLine

_Step = Callable[[AuditEntry, Any, Context], Message | None]
_STEPS: dict[str, tuple[str, _Step]] = {
    "rfa.circulate": ("rfa", steps.circulated),
    "rfa.close": ("rfa", steps.closed),
    "rfa.withdraw": ("rfa", steps.closed),
    "offer.create": ("offer", steps.offered),
    "offer.confirm": ("offer", steps.offered),
    "offer_line.accept": ("offer_line", steps.decided),
    "offer_line.decline": ("offer_line", steps.decided),
    "offer_line.withdraw": ("offer_line", steps.withdrawn),
    "dispatch.create": ("dispatch", steps.dispatched),
    "receipt.confirm": ("receipt", steps.received),
}
assert set(_STEPS) == set(MAPPED_ACTIONS)

_REQUEST_LINE = RequestLine.objects.select_related("item", "rfa__requester")
_OFFER_LINE = OfferLine.objects.select_related(
    "item", "offer__donor", "offer__rfa__requester", "request_line__rfa__requester"
)
_LOADERS: dict[str, Callable[[], QuerySet[Any]]] = {
    "rfa": lambda: RFA.objects.select_related("requester", "crisis").prefetch_related(
        Prefetch("lines", _REQUEST_LINE.order_by("position"))
    ),
    "offer": lambda: Offer.objects.select_related("donor", "rfa__requester").prefetch_related(
        Prefetch("lines", _OFFER_LINE.order_by("pk"))
    ),
    "offer_line": lambda: _OFFER_LINE,
    "dispatch": lambda: Dispatch.objects.select_related(
        "offer_line__item",
        "offer_line__offer__donor",
        "offer_line__offer__rfa__requester",
        "offer_line__request_line__rfa__requester",
    ),
    "receipt": lambda: Receipt.objects.select_related(
        "dispatch__offer_line__item",
        "dispatch__offer_line__offer__donor",
        "dispatch__offer_line__offer__rfa__requester",
        "dispatch__offer_line__request_line__rfa__requester",
    ),
}


def context(crisis: Crisis) -> Context:
    return Context(crisis=crisis, chain=Chain.of(crisis), centre=centre_party())


def _load(entries: Sequence[AuditEntry], ctx: Context) -> None:
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        wanted.setdefault(_STEPS[entry.action][0], set()).add(entry.target_id)
    for kind, pks in wanted.items():
        ctx.objects[kind] = _LOADERS[kind]().in_bulk(pks)
    # The requested quantities, from the ledger (the one definition of "requested").
    lines: set[int] = set()
    for rfa in ctx.objects.get("rfa", {}).values():
        lines.update(line.pk for line in rfa.lines.all())
    for offer in ctx.objects.get("offer", {}).values():
        lines.update(ln.request_line_id for ln in offer.lines.all() if ln.request_line_id)
    if lines:
        figures = line_figures(RequestLine.objects.filter(pk__in=lines))
        ctx.requested.update({pk: f.requested for pk, f in figures.items()})


def messages(entries: Iterable[AuditEntry], ctx: Context) -> list[Message]:
    """The messages of ``entries`` (mapped actions, oldest first), loaded in one batch."""
    batch = [e for e in entries if e.action in _STEPS]
    _load(batch, ctx)
    out = []
    for entry in batch:
        kind, step = _STEPS[entry.action]
        target = ctx.objects[kind].get(entry.target_id)
        if target is None:
            continue  # the object is gone (a removed line): nothing to report
        message = step(entry, target, ctx)
        if message is not None:
            out.append(message)
    return out


def distribution_of(message: Message, crisis: Crisis, distribution_id: str) -> Distribution:
    return Distribution(
        distribution_id=distribution_id,
        sender_code=message.sender_code,
        sent=message.sent,
        distribution_type=message.distribution_type,
        crisis_code=crisis.code,
        crisis_name=crisis.name_en,
        recipients=message.recipients,
        recipient_role=message.recipient_role,
    )


def description(message: Message) -> str:
    return f"EDXL-RM 1.0 {message.kind}: {message.description}"[:500]


def single_envelope(message: Message, crisis: Crisis) -> etree._Element:
    """One message in its own envelope (the feed's unit)."""
    assert message.entry_id is not None
    distribution = distribution_of(message, crisis, ids.distribution_id(message.entry_id))
    return envelope(distribution, [(description(message), rm.build(message))])


def bundle(
    found: Sequence[Message], crisis: Crisis, distribution_id: str, sender: str
) -> etree._Element:
    """Several messages (one request's chain) in one envelope, one contentObject each."""
    last = found[-1] if found else None
    distribution = Distribution(
        distribution_id=distribution_id,
        sender_code=sender,
        sent=last.sent if last is not None else crisis.created_at,
        distribution_type="Report",
        crisis_code=crisis.code,
        crisis_name=crisis.name_en,
    )
    return envelope(distribution, [(description(m), rm.build(m)) for m in found])


def visible_entries(actor: Any, crisis: Crisis) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        entry_visibility(actor), crisis=crisis, action__in=MAPPED_ACTIONS
    ).order_by("pk")


def _types() -> dict[type[Any], ContentType]:
    return ContentType.objects.get_for_models(RFA, Offer, OfferLine, Dispatch, Receipt)


def rfa_entries(actor: Any, rfa: RFA) -> QuerySet[AuditEntry]:
    """Every visible mapped entry about one request: itself, its offers and their lines,
    dispatches and receipts."""
    types = _types()
    offers = Offer.objects.filter(rfa=rfa).values("pk")
    lines = OfferLine.objects.filter(offer__rfa=rfa).values("pk")
    about = (
        Q(target_type=types[RFA], target_id=rfa.pk)
        | Q(target_type=types[Offer], target_id__in=offers)
        | Q(target_type=types[OfferLine], target_id__in=lines)
        | Q(
            target_type=types[Dispatch],
            target_id__in=Dispatch.objects.filter(offer_line__offer__rfa=rfa).values("pk"),
        )
        | Q(
            target_type=types[Receipt],
            target_id__in=Receipt.objects.filter(dispatch__offer_line__offer__rfa=rfa).values("pk"),
        )
    )
    return visible_entries(actor, rfa.crisis).filter(about)


def offer_entries(actor: Any, offer: Offer) -> QuerySet[AuditEntry]:
    types = _types()
    lines = OfferLine.objects.filter(offer=offer).values("pk")
    about = (
        Q(target_type=types[Offer], target_id=offer.pk)
        | Q(target_type=types[OfferLine], target_id__in=lines)
        | Q(
            target_type=types[Dispatch],
            target_id__in=Dispatch.objects.filter(offer_line__offer=offer).values("pk"),
        )
        | Q(
            target_type=types[Receipt],
            target_id__in=Receipt.objects.filter(dispatch__offer_line__offer=offer).values("pk"),
        )
    )
    return visible_entries(actor, offer.crisis).filter(about)
