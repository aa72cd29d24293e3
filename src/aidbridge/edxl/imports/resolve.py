"""Finding what an incoming message names: its crisis, its parties, its items, and the
earlier messages it answers. Each look-up either finds one thing or says precisely why
not, with the path of the element that named it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from aidbridge.catalogue.models import Item
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.quantities import whole_quantity
from aidbridge.crises.models import Crisis
from aidbridge.edxl.imports.errors import Problem
from aidbridge.edxl.imports.messages import Contact, Message, ResourceInfo
from aidbridge.interop.items import ItemNotResolved, ItemResolver, normalise
from aidbridge.parties.models import Party

# Whose action each message is, by EDXL-RM ContactRole, most specific first: a request
# or an acceptance is the requester's, an offer or a dispatch the responding party's.
_IN_PARENTHESES = re.compile(r"\(([^()]+)\)\s*$")
REQUESTER_ROLES = ("Requester", "Sender", "")
RESPONDER_ROLES = ("RespondingOrg", "Owner", "Sender", "")


def crisis_of(message: Message, envelope_incidents: Iterable[str]) -> Crisis | Problem:
    """The crisis the message's ``IncidentID`` (or its content object's) names."""
    ids = [*message.incident_ids, *envelope_incidents]
    if not ids:
        return Problem(
            "name the crisis: IncidentInformation/IncidentID must be an aidbridge crisis code",
            message.path,
        )
    for incident in ids:
        crisis = Crisis.objects.filter(code__iexact=incident).first()
        if crisis is not None:
            return crisis
    codes = ", ".join(Crisis.objects.order_by("code").values_list("code", flat=True)[:10])
    return Problem(
        f"no crisis {', '.join(repr(i) for i in ids)} in aidbridge: IncidentID must be a "
        f"crisis code ({codes})",
        f"{message.path}/IncidentInformation[1]/IncidentID[1]",
    )


class Parties:
    """Parties by code and by English or French name, read once per import."""

    def __init__(self) -> None:
        self.by_key: dict[str, Party] = {}
        for party in Party.objects.filter(active=True):
            for key in (party.code, party.name_en, party.name_fr):
                self.by_key.setdefault(normalise(key), party)

    def named(self, name: str) -> Party | None:
        """By code or name, or by the code in a trailing "(CODE)" (``Italy (ITA)``,
        as aidbridge writes a ContactDescription)."""
        found = self.by_key.get(normalise(name))
        if found is None and (code := _IN_PARENTHESES.search(name)) is not None:
            found = self.by_key.get(normalise(code.group(1)))
        return found

    def _of_sender_id(self, sender_id: str) -> Party | None:
        # EDXL-DE's senderID is "actor@domain"; either side may carry the party's code.
        local, _, domain = sender_id.partition("@")
        for key in (sender_id, local, domain.split(".")[0]):
            if key and (party := self.named(key)) is not None:
                return party
        return None

    def acting(self, message: Message, roles: tuple[str, ...], sender_id: str) -> Party | Problem:
        """The party whose action the message is: the first contact (in ``roles``
        order) that names a party of aidbridge, else the envelope's sender."""
        ranked: list[Contact] = sorted(
            (c for c in message.contacts if c.role in roles), key=lambda c: roles.index(c.role)
        )
        for contact in ranked:
            for name in contact.names:
                if (party := self.named(name)) is not None:
                    return party
        if sender_id and (party := self._of_sender_id(sender_id)) is not None:
            return party
        tried = [n for c in ranked for n in c.names] + ([sender_id] if sender_id else [])
        wanted = " or ".join(r for r in roles if r)
        if not tried:
            return Problem(
                f"say whose message this is: a ContactInformation with ContactRole {wanted} "
                "naming an aidbridge party by its code (ITA) or name",
                message.path,
            )
        return Problem(
            f"unknown party {', '.join(repr(t) for t in tried)}: no aidbridge party has that "
            "code or name (a nation's ISO 3166-1 alpha-3 code, e.g. ITA, or an "
            "organisation's code)",
            ranked[0].path if ranked else message.path,
        )


class Items:
    """Catalogue items by ``ValueListURN`` + code, or by name with near-miss candidates
    (``interop.items``, the same resolver as the file imports)."""

    def __init__(self, catalogue_urn: str) -> None:
        self.urn = catalogue_urn
        self.resolver = ItemResolver.from_catalogue()

    def of(self, info: ResourceInfo) -> Item | Problem:
        where = info.resource_path or info.path
        if info.value_list_urn == self.urn:
            item = self.resolver.by_code.get(normalise(info.value))
            if item is not None and item.active:
                return item
            try:
                self.resolver.resolve(info.value)
            except ItemNotResolved as exc:
                return Problem(f"{exc} (in aidbridge's catalogue {self.urn})", where)
            return Problem(
                f"{info.value!r} is not a code of aidbridge's catalogue {self.urn}: the "
                "Value of TypeStructure must be an item code",
                where,
            )
        names = [n for n in (info.name, *info.type_names[:1]) if n]
        foreign = (
            f"the value list {info.value_list_urn} ({info.value!r}) is not aidbridge's "
            f"catalogue ({self.urn}); "
            if info.value_list_urn
            else ""
        )
        if not names:
            return Problem(
                f"{foreign}name the item: TypeStructure with the catalogue's URN and an "
                "item code, or the item's name in Resource/Name",
                where,
            )
        try:
            return self.resolver.resolve(names[0])
        except ItemNotResolved as exc:
            return Problem(f"{foreign}{exc}", where)


def quantity_of(info: ResourceInfo, item: Item | None, *, allow_zero: bool = False) -> Any:
    """The whole number of units asked, offered or moved, or a Problem."""
    quantity = info.quantity
    if quantity is None:
        return Problem(
            "say how many: AssignmentInformation/Quantity (MeasuredQuantity/Amount)",
            info.path,
        )
    if quantity.amount is None:
        return Problem(f"the quantity {quantity.text!r} is not a number of units", quantity.path)
    try:
        value = whole_quantity(quantity.amount, "quantity", allow_zero=allow_zero)
    except ValidationFailed as exc:
        return Problem(f"the quantity {quantity.text} {exc.message} (whole units)", quantity.path)
    if item is not None and quantity.unit and normalise(quantity.unit) != normalise(item.unit):
        return Problem(
            f"{item.code} is counted in {item.unit}, not {quantity.unit!r}", quantity.path
        )
    return value
