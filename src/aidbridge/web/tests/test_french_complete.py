"""The main pages, for every role, in French: no English word outside the data users
entered (titles, names, references). A first version: the pages of the clearing-house
loop, with a list of English words that never occur in French text."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from aidbridge.accounts.models import Profile
from aidbridge.logistics import services as logistics
from aidbridge.offers import services as offer_services

# Words of the interface's English that are not French words (and not codes).
ENGLISH = {
    "the",
    "and",
    "of",
    "to",
    "for",
    "with",
    "from",
    "by",
    "your",
    "yet",
    "not",
    "no",
    "yes",
    "request",
    "requests",
    "offer",
    "offers",
    "offered",
    "accept",
    "accepted",
    "decline",
    "declined",
    "dispatch",
    "dispatched",
    "delivered",
    "received",
    "receipt",
    "pending",
    "draft",
    "drafts",
    "submitted",
    "circulated",
    "closed",
    "withdrawn",
    "withdraw",
    "none",
    "nothing",
    "line",
    "lines",
    "item",
    "items",
    "quantity",
    "status",
    "sign",
    "inbox",
    "dashboard",
    "matrix",
    "requested",
    "awaiting",
    "needs",
    "needed",
    "search",
    "save",
    "edit",
    "unread",
    "report",
    "reports",
    "history",
    "piece",
    "pieces",
    "ventilator",
    "mask",
    "there",
    "this",
    "that",
    "is",
    "are",
    "was",
    "which",
    "who",
    "what",
}
WORD = re.compile(r"[^\W\d_]+")


def _text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<datalist\b.*?</datalist>", " ", page, flags=re.S)  # catalogue data
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


ROLES = ("duty", "head", "ita", "deu", "airlift", "ocha")


@pytest.fixture
def french(users: dict[str, Any]) -> None:
    """Everyone reads French before anything happens (notifications keep the language
    they were written in)."""
    Profile.objects.filter(user__in=[users[r] for r in ROLES]).update(language="fr")


@pytest.fixture
def loop(french: None, users: dict[str, Any], italian_rfa: Any, crisis: Any) -> dict[str, Any]:
    """Italy's circulated request, Germany's offer partly accepted, dispatched."""
    vent = italian_rfa.lines.get(position=1)
    offer = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 30}]
    )
    line = offer.lines.get()
    offer_services.accept_offer_line(users["ita"], line, 20)
    logistics.dispatch_offer_line(users["deu"], line, quantity=10, mode="airlift")
    return {"rfa": italian_rfa, "offer": offer}


def test_main_pages_are_french_for_every_role(
    users: dict[str, Any], loop: dict[str, Any], crisis: Any
) -> None:
    rfa, offer = loop["rfa"], loop["offer"]
    # What users typed is data: it stays in the language it was written in.
    data = " ".join([rfa.title, rfa.situation, "Ventilators and masks for Lombardy"])
    allowed = {w.lower() for w in WORD.findall(data)}
    pages = [
        f"/crises/{crisis.code}/",
        "/rfas/",
        f"/rfas/{rfa.pk}/",
        "/offers/",
        f"/offers/{offer.pk}/",
        f"/crises/{crisis.code}/matrix/",
        "/inbox/",
        "/crises/",
        f"/crises/{crisis.code}/sitreps/",
        f"/crises/{crisis.code}/airlift/",
        f"/crises/{crisis.code}/allocation/",
    ]
    found: dict[str, set[str]] = {}
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        for url in pages:
            response = client.get(url)
            if response.status_code == 403 and url.endswith("/allocation/"):
                continue  # the centre's page (its refusal is a service message)
            assert response.status_code == 200, (role, url)
            # Upper-case tokens are codes (MASK-SURG, ITA), the same in every language.
            words = {w.lower() for w in WORD.findall(_text(response.text)) if not w.isupper()}
            english = (words & ENGLISH) - allowed
            if english:
                found.setdefault(url, set()).update(english)
    assert not found, found
