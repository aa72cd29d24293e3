"""Acting where one looks: the offer page takes the actions back to itself, and what
cannot be undone sits apart, behind a confirmation."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aidbridge.logistics.models import Dispatch
from aidbridge.offers import services as offer_services
from aidbridge.requests import services


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _actions_bar(page: str) -> str:
    """The row of everyday buttons (before the confirmations)."""
    start = page.index('<div class="actions">')
    return page[start : page.index("</div>", start)]


def test_close_is_apart_from_circulate_behind_a_confirmation(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    rfa = services.create_rfa(
        users["esp"],
        crisis=crisis,
        title="Suits",
        lines=[{"item": "SUIT-PROT", "quantity": 20, "delivery_airport": "LEMD"}],
    )
    services.submit_rfa(users["esp"], rfa)
    page = client_for(users["duty"]).get(f"/rfas/{rfa.pk}/").text
    bar = _actions_bar(page)
    assert "Circulate" in bar and "Close request" not in bar
    details = page[page.index('<details class="confirm">') :].split("</details>")[0]
    assert "<summary>Close request…</summary>" in details
    assert 'data-confirm="Close this request? This cannot be undone."' in details
    assert f'action="/rfas/{rfa.pk}/close/"' in details
    # The requester's withdrawal likewise.
    own = client_for(users["esp"]).get(f"/rfas/{rfa.pk}/").text
    assert "<summary>Withdraw request…</summary>" in own
    assert "Withdraw request" not in _actions_bar(own)


def test_the_donor_dispatches_from_the_offer_page(users: dict[str, Any], italian_rfa: Any) -> None:
    vent = italian_rfa.lines.get(position=1)
    offer = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 30}]
    )
    line = offer.lines.get()
    offer_services.accept_offer_line(users["ita"], line, 20)
    germany = client_for(users["deu"])
    page = germany.get(f"/offers/{offer.pk}/").text
    assert f'action="/offer-lines/{line.pk}/dispatch/"' in page
    assert '<input type="hidden" name="next" value="offer">' in page
    done = germany.post(
        f"/offer-lines/{line.pk}/dispatch/", {"quantity": "20", "mode": "airlift", "next": "offer"}
    )
    assert done.status_code == 302 and done["Location"] == f"/offers/{offer.pk}/"
    assert Dispatch.objects.get().quantity == 20
    after = germany.get(f"/offers/{offer.pk}/").text
    assert "Dispatch reported." in after
    assert f"/offer-lines/{line.pk}/dispatch/" not in after  # nothing left to dispatch
    # Italy confirms the receipt from the same page.
    italy = client_for(users["ita"])
    dispatch = Dispatch.objects.get()
    assert f'action="/dispatches/{dispatch.pk}/receipt/"' in italy.get(f"/offers/{offer.pk}/").text
