"""The admin shows offers, lines, dispatches and receipts to the centre, read-only."""

from __future__ import annotations

from django.test import Client

from aidbridge.logistics import services as logistics
from aidbridge.offers import services
from aidbridge.offers.models import Offer, OfferLine


def test_centre_staff_read_offers_and_movements_but_cannot_change_them(users, ita_rfa) -> None:
    need = ita_rfa.lines.order_by("position").first()
    offer = services.make_offer(
        users["deu"], rfa=ita_rfa, lines=[{"request_line": need, "quantity": 50}]
    )
    line = services.accept_offer_line(users["ita"], offer.lines.get(), 20)
    dispatch = logistics.dispatch_offer_line(users["deu"], line, quantity=20, mode="airlift")
    receipt = logistics.confirm_receipt(users["ita"], dispatch, quantity=20)
    users["duty"].is_staff = True
    users["duty"].save()
    client = Client()
    client.force_login(users["duty"])
    pages = {
        "offers/offer": offer.pk,
        "offers/offerline": line.pk,
        "logistics/dispatch": dispatch.pk,
        "logistics/receipt": receipt.pk,
    }
    for path, pk in pages.items():
        assert client.get(f"/admin/{path}/").status_code == 200, path
        page = client.get(f"/admin/{path}/{pk}/change/")
        assert page.status_code == 200, path
        assert b'name="_save"' not in page.content, path  # nothing to save: read-only
    assert client.get("/admin/offers/offer/add/").status_code == 403
    response = client.post(f"/admin/offers/offerline/{line.pk}/change/", {"accepted": 50})
    assert response.status_code == 403
    assert OfferLine.objects.get(pk=line.pk).accepted == 20
    assert client.post(f"/admin/offers/offer/{offer.pk}/delete/").status_code == 403
    assert Offer.objects.filter(pk=offer.pk).exists()

    poc = Client()
    poc.force_login(users["ita"])
    assert poc.get("/admin/offers/offer/").status_code == 302
