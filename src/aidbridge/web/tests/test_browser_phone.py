"""On a phone (390 px wide), every action a point of contact takes (accept, decline,
dispatch, confirm receipt, offer) is on screen without horizontal scrolling: no element
of the pages where they act is wider than the viewport, and the action's button lies
inside it. Played on the demo scenario, where each of these actions waits for someone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from aidbridge.demo.loader import load_demo
from aidbridge.demo.scenario import CRISIS_CODE
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import OfferLine
from aidbridge.requests.models import RequestForAssistance as RFA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390

# Elements whose right edge passes the viewport (a 1 px rounding allowance); hidden
# elements and the visually-hidden helpers (1 px, clipped) have no width to pass it.
# Shapes inside an SVG are clipped by it (a map's countries run past its frame): the
# SVG element itself is measured instead.
OVERFLOW_JS = """(width) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (el.tagName.toLowerCase() !== 'svg' && el.closest('svg')) continue;
    if (box.right > width + 1 || box.left < -1) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} ` +
               `(${Math.round(box.left)}..${Math.round(box.right)})`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, wide: out.slice(0, 15)};
}"""


def _assert_fits(page: Any, url: str, buttons: tuple[str, ...] = ()) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    found = page.evaluate(OVERFLOW_JS, PHONE)
    assert found["scroll"] <= PHONE and not found["wide"], (url, found)
    for name in buttons:
        button = page.get_by_role("button", name=name, exact=True).first
        box = button.bounding_box()
        assert box is not None, (url, name)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (url, name, box)


@pytest.fixture
def demo() -> dict[str, Any]:
    load_demo()
    return {u.username: u for u in get_user_model().objects.all()}


def test_every_poc_action_fits_a_phone(open_page: Callable[..., Any], demo: dict[str, Any]) -> None:
    italy = RFA.objects.get(requester__code="ITA", title__startswith="Ventilators")
    czechia = RFA.objects.get(requester__code="CZE", title__startswith="150")
    spain = RFA.objects.get(requester__code="ESP", title__startswith="Ventilators")
    german = OfferLine.objects.get(offer__rfa=italy, offer__donor__code="DEU")
    american = OfferLine.objects.get(offer__rfa=italy, offer__donor__code="USA", accepted__gt=0)
    in_transit = Dispatch.objects.get(offer_line__offer__donor__code="NLD", receipt__isnull=True)
    dashboard = reverse("web:dashboard", args=[CRISIS_CODE])

    ita = open_page(demo["ita-poc"], width=PHONE)
    _assert_fits(ita, reverse("web:rfa_detail", args=[italy.pk]), ("Accept", "Decline the rest"))
    _assert_fits(ita, reverse("web:offer_detail", args=[german.offer_id]), ("Accept",))
    _assert_fits(ita, dashboard)
    _assert_fits(ita, reverse("web:inbox"))
    _assert_fits(ita, reverse("web:rfa_list") + f"?crisis={CRISIS_CODE}")
    draft = RFA.objects.get(requester__code="ITA", status=RFA.Status.DRAFT)
    _assert_fits(ita, reverse("web:rfa_edit", args=[draft.pk]))

    usa = open_page(demo["usa-poc"], width=PHONE)
    _assert_fits(usa, reverse("web:rfa_detail", args=[italy.pk]), ("Report dispatch",))
    _assert_fits(usa, reverse("web:offer_detail", args=[american.offer_id]), ("Report dispatch",))
    _assert_fits(usa, reverse("web:offer_new", args=[spain.pk]), ("Send the offer",))
    _assert_fits(usa, reverse("web:unsolicited_new", args=[CRISIS_CODE]))
    _assert_fits(usa, reverse("web:offer_list") + f"?crisis={CRISIS_CODE}")
    _assert_fits(usa, dashboard)

    cze = open_page(demo["cze-poc"], width=PHONE)
    _assert_fits(cze, reverse("web:rfa_detail", args=[czechia.pk]), ("Confirm receipt",))
    _assert_fits(cze, reverse("web:offer_detail", args=[in_transit.offer_line.offer_id]))
    assert not (ita.console_errors or usa.console_errors or cze.console_errors)
