"""The crisis the visibility test walks (see ``test_visibility_channels``): one request
in each state that matters, built through the real services, each text of a request
carrying its marker (``zqlive`` ...), plus an offer, a dispatch and two sitreps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from aidbridge.catalogue.models import Item
from aidbridge.logistics.services import confirm_receipt, dispatch_offer_line
from aidbridge.offers.services import accept_offer_line, make_offer
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.services import (
    circulate_request,
    close_rfa,
    create_rfa,
    return_rfa,
    submit_rfa,
    update_rfa,
    withdraw_rfa,
)
from aidbridge.sitreps.services import draft_sitrep, publish_sitrep, update_sitrep_text

RFA = RequestForAssistance
LIVE, WDRN, SUBM, RETN, CLSD, CIRC = "live", "wdrn", "subm", "retn", "clsd", "circ"
CENTRE = {"duty", "head"}
EVERY = frozenset({LIVE, WDRN, SUBM, RETN, CLSD, CIRC})


@dataclass
class Crisis:
    code: str
    rfas: dict[str, RFA]
    offer_id: int
    dispatch_id: int
    draft_sitrep_id: int
    published_sitrep_id: int

    def markers(self) -> dict[str, re.Pattern[str]]:
        out = {}
        for key, rfa in self.rfas.items():
            # A draft is named "RFA draft #N" in data and "draft request no. N" in the
            # timeline's sentences (audit.sentences).
            names = [
                f"zq{key}",
                re.escape(f"RFA draft #{rfa.pk}") + r"(?!\d)",
                re.escape(f"draft request no. {rfa.pk}") + r"(?!\d)",
            ]
            if rfa.reference:
                names.append(re.escape(rfa.reference))
            out[key] = re.compile("|".join(names), re.IGNORECASE)
        return out


def build_world(users: dict[str, Any], items: dict[str, Item], crisis: Any) -> Crisis:
    """One request in each state that matters, each text carrying its state's marker."""
    ita, duty, head = users["ita"], users["duty"], users["head"]
    for who in CENTRE:
        users[who].is_staff = True
        users[who].save(update_fields=["is_staff"])
    category = items["VENT-ICU"].category
    own_items = {
        key: Item.objects.create(
            code=f"ZQ{key.upper()}-ITEM",
            category=category,
            name_en=f"zq{key} item",
            name_fr=f"zq{key} article",
            unit="piece",
            unit_weight_kg=1,
            unit_volume_m3=1,
        )
        for key in EVERY
    }

    def draft(key: str) -> RFA:
        return create_rfa(
            ita,
            crisis=crisis,
            title=f"zq{key} title",
            situation=f"zq{key} situation",
            lines=[
                {
                    "item": own_items[key],
                    "quantity": 40,
                    "specification": f"zq{key} specification",
                    "needed_by": date(2020, 4, 1),
                    "delivery_airport": "LIRF",
                    "transport_needed": True,
                }
            ],
        )

    rfas: dict[str, RFA] = {}
    rfas[CIRC] = draft(CIRC)
    submit_rfa(ita, rfas[CIRC])
    rfas[CIRC] = circulate_request(duty, rfas[CIRC])
    offer = make_offer(
        users["deu"],
        rfa=rfas[CIRC],
        lines=[{"request_line": rfas[CIRC].lines.get(), "quantity": 40}],
    )
    line = accept_offer_line(ita, offer.lines.get(), 30)
    dispatch = dispatch_offer_line(users["deu"], line, quantity=30, mode="airlift")
    confirm_receipt(ita, dispatch, quantity=30)
    published = draft_sitrep(duty, crisis)
    update_sitrep_text(duty, published, general_situation="Situation.", releasable=True)
    publish_sitrep(head, published)

    rfas[WDRN] = draft(WDRN)
    withdraw_rfa(ita, rfas[WDRN], "no longer needed")
    rfas[SUBM] = draft(SUBM)
    submit_rfa(ita, rfas[SUBM])
    rfas[RETN] = draft(RETN)
    submit_rfa(ita, rfas[RETN])
    return_rfa(duty, rfas[RETN], "say where")
    rfas[CLSD] = draft(CLSD)
    submit_rfa(ita, rfas[CLSD])
    close_rfa(duty, rfas[CLSD], RFA.Closure.OVERTAKEN, "overtaken")
    sitrep = draft_sitrep(duty, crisis)
    # The live draft is touched last, so it heads its nation's timeline.
    rfas[LIVE] = draft(LIVE)
    update_rfa(ita, rfas[LIVE], situation="zqlive situation, revised")
    Item.objects.filter(pk__in=[i.pk for i in own_items.values()]).update(active=False)
    for rfa in rfas.values():
        rfa.refresh_from_db()
    return Crisis(crisis.code, rfas, offer.pk, dispatch.pk, sitrep.pk, published.pk)
