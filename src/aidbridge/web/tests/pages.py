"""Every page of the application, for the page-wide tests (French completeness, no
console error): the demo scenario, played with everyone reading French, plus an
allocation run, an airlift plan and a sitrep draft, so each page has something to show.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth import get_user_model

from aidbridge.airlift.models import AirliftPlanRun
from aidbridge.allocations.models import AllocationRun
from aidbridge.crises.models import Crisis
from aidbridge.demo import scenario as sc
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance as RFA
from aidbridge.requests.models import RequestLine
from aidbridge.sitreps.models import Sitrep

# One account per kind of reader: centre (duty, head), airlift cell, observer, a
# requesting nation, an offering nation, a nation doing both.
ROLES = ("duty", "head", "airlift", "ocha", "ita-poc", "deu-poc", "cze-poc")
# Pages nobody signed in reads (login and the public sitreps); the 404 page.
ANONYMOUS = ("/login/", "/public/sitreps/", "/no-such-page/")


def load_scenario(language: str, monkeypatch: Any) -> Crisis:
    """The demo with every account reading ``language`` from the start (notifications
    keep the language they were written in), plus what the demo does not run."""
    from aidbridge.airlift.services import request_airlift_plan
    from aidbridge.allocations.services import request_allocation
    from aidbridge.demo.loader import load_demo
    from aidbridge.offers.services import accept_offer_line
    from aidbridge.sitreps.services import draft_sitrep

    users = tuple(dataclasses.replace(u, language=language) for u in sc.USERS)
    monkeypatch.setattr(sc, "USERS", users)
    load_demo()
    crisis = Crisis.objects.get(code=sc.CRISIS_CODE)
    duty = get_user_model().objects.get(username="duty")
    request_allocation(duty, crisis)
    # Italy accepts Germany's 30 ventilators, to be flown from Frankfurt: the demo's
    # accepted aid all travels by its donors' own means, so airlift would plan nothing.
    line = OfferLine.objects.get(
        offer__crisis=crisis,
        offer__donor__code="DEU",
        status=OfferLine.Status.OPEN,
        request_line__rfa__requester__code="ITA",
        request_line__rfa__title__startswith="Ventilators",
    )
    assert line.request_line_id is not None
    RequestLine.objects.filter(pk=line.request_line_id).update(transport_needed=True)
    Offer.objects.filter(pk=line.offer_id).update(own_transport=False, origin_airport="EDDF")
    accept_offer_line(get_user_model().objects.get(username="ita-poc"), line, line.quantity)
    request_airlift_plan(duty, crisis, time_limit_s=2.0)
    draft_sitrep(duty, crisis)
    return crisis


def _one_per_status(queryset: Any) -> list[Any]:
    seen: dict[str, Any] = {}
    for obj in queryset.order_by("pk"):
        seen.setdefault(obj.status, obj)
    return list(seen.values())


def urls(crisis: Crisis) -> list[str]:
    """Every page a signed-in user may open, once per kind of object state (a page a
    role may not see answers 403/404 and is skipped by the callers)."""
    code = crisis.code
    pages = [
        "/",
        "/crises/",
        f"/crises/{code}/",
        f"/crises/{code}/matrix/",
        f"/crises/{code}/allocation/",
        f"/crises/{code}/airlift/",
        f"/crises/{code}/sitreps/",
        f"/crises/{code}/intake/",
        f"/crises/{code}/import/needs/",
        f"/crises/{code}/import/offers/",
        f"/crises/{code}/standing-offer/",
        "/inbox/",
        "/preferences/",
        "/rfas/",
        "/rfas/new/",
        "/offers/",
        "/rfas/99999/",
    ]
    for rfa in _one_per_status(RFA.objects.filter(crisis=crisis)):
        pages.append(f"/rfas/{rfa.pk}/")
        if rfa.status == RFA.Status.DRAFT:
            pages.append(f"/rfas/{rfa.pk}/edit/")
        if rfa.status == RFA.Status.CIRCULATED:
            pages.append(f"/rfas/{rfa.pk}/offer/")
    for offer in Offer.objects.filter(crisis=crisis).order_by("pk"):
        pages.append(f"/offers/{offer.pk}/")
    for run in AllocationRun.objects.filter(crisis=crisis):
        pages.append(f"/allocation-runs/{run.pk}/")
    for sitrep in _one_per_status(Sitrep.objects.filter(crisis=crisis)):
        pages.append(f"/sitreps/{sitrep.pk}/")
        if sitrep.status == Sitrep.Status.DRAFT:
            pages.append(f"/sitreps/{sitrep.pk}/edit/")
    published = Sitrep.objects.filter(crisis=crisis, status=Sitrep.Status.PUBLISHED).first()
    if published is not None:
        pages.append(f"/public/sitreps/{published.pk}/")
    assert AirliftPlanRun.objects.filter(crisis=crisis).exists()
    return pages
