"""The timeline reads as sentences in the reader's language, never an action code."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from aidbridge.accounts.models import Profile
from aidbridge.audit.sentences import SENTENCES
from aidbridge.logistics import services as logistics
from aidbridge.offers import services as offer_services


def _timeline(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    page = client.get(url).text
    return page[page.index('<ol class="timeline">') :].split("</ol>")[0]


def test_the_history_says_who_did_what(users: dict[str, Any], italian_rfa: Any) -> None:
    vent = italian_rfa.lines.get(position=1)
    offer = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 30}]
    )
    line = offer.lines.get()
    offer_services.accept_offer_line(users["ita"], line, 20)
    offer_services.decline_offer_line(users["ita"], line, "20 are enough for Bergamo")
    logistics.dispatch_offer_line(users["deu"], line, quantity=20, mode="airlift")

    english = _timeline(users["ita"], f"/rfas/{italian_rfa.pk}/")
    assert "Germany dispatched 20 \u00d7 ICU ventilator by airlift" in english
    assert "Italy declined 10 \u00d7 ICU ventilator</strong>: 20 are enough for Bergamo" in english
    assert "Italy accepted 20 \u00d7 ICU ventilator" in english
    assert f"The centre circulated the request {italian_rfa.reference}" in english

    Profile.objects.filter(user=users["ita"]).update(language="fr")
    french = _timeline(users["ita"], f"/rfas/{italian_rfa.pk}/")
    vent_fr = "\u00d7 Respirateur de réanimation"
    assert f"Allemagne : expédition de 20 {vent_fr} par pont aérien" in french
    assert f"Italie : refus de 10 {vent_fr}</strong>: 20 are enough" in french
    assert f"Le centre : diffusion de la demande {italian_rfa.reference}" in french

    for text in (english, french):
        codes = set(re.findall(r"\b[a-z_]+\.[a-z_]+\b", text)) & set(SENTENCES)
        assert not codes, codes
