"""Who reads which entries (an entry follows its target), and how entries read in
English and French: the actor (a nation, the centre, the system), numbered drafts,
moved quantities and transports, and an action without a sentence."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.formats import number_format

from aidbridge.accounts.models import ApiToken
from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import entries_visible_to, history_of
from aidbridge.audit.sentences import sentences
from aidbridge.audit.services import record
from aidbridge.logistics import services as logistics
from aidbridge.offers import services as offers
from aidbridge.requests import services as requests

pytestmark = pytest.mark.django_db


def _draft(users: dict[str, Any], crisis: Any) -> Any:
    return requests.create_rfa(
        users["ita"],
        crisis=crisis,
        title="Oxygen for Bergamo",
        lines=[{"item": "VENT-ICU", "quantity": 2000, "delivery_airport": "LIML"}],
    )


def _actions(actor: Any, target: Any) -> list[str]:
    return list(history_of(actor, target).order_by("pk").values_list("action", flat=True))


def test_a_draft_s_entries_stay_with_its_nation_until_submitted(users, items, crisis) -> None:
    rfa = _draft(users, crisis)
    assert _actions(users["ita"], rfa) == ["rfa.create"]
    assert _actions(users["duty"], rfa) == []
    assert _actions(users["deu"], rfa) == []
    requests.submit_rfa(users["ita"], rfa)
    assert _actions(users["duty"], rfa) == ["rfa.create", "rfa.submit"]
    assert _actions(users["deu"], rfa) == []  # submitted, not yet circulated
    requests.circulate_request(users["duty"], rfa)
    expected = ["rfa.create", "rfa.submit", "rfa.circulate"]
    assert _actions(users["deu"], rfa) == _actions(users["ocha"], rfa) == expected


def test_reference_data_is_everyone_s_and_unlisted_targets_the_centre_s(
    users, items, crisis
) -> None:
    token = ApiToken.objects.create(user=users["deu"], name="feed", prefix="p", key_hash="h")
    with transaction.atomic():
        about_item = record(users["duty"], "catalogue_item.update", items["VENT-ICU"])
        about_token = record(users["deu"], "api_token.issue", token)
    for who in ("ita", "deu", "ocha", "duty"):
        assert entries_visible_to(users[who]).filter(pk=about_item.pk).exists(), who
    # A token is in no app's visibility list: only the centre reads its entries.
    assert entries_visible_to(users["duty"]).filter(pk=about_token.pk).exists()
    for who in ("ita", "deu", "ocha"):
        assert not entries_visible_to(users[who]).filter(pk=about_token.pk).exists(), who


def test_an_anonymous_reader_is_refused() -> None:
    from django.contrib.auth.models import AnonymousUser

    from aidbridge.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        entries_visible_to(AnonymousUser())


def _said(entries: list[AuditEntry], language: str) -> list[str]:
    with translation.override(language):
        return [text for _, text in sentences(entries)]


def test_entries_read_as_sentences_in_both_languages(users, items, crisis) -> None:
    rfa = _draft(users, crisis)
    draft_entry = AuditEntry.objects.get(action="rfa.create")
    assert _said([draft_entry], "en") == [f"Italy drafted the request draft request no. {rfa.pk}"]
    assert _said([draft_entry], "fr") == [
        f"Italie : rédaction de la demande demande en projet n° {rfa.pk}"
    ]
    requests.submit_rfa(users["ita"], rfa)
    requests.circulate_request(users["duty"], rfa)
    rfa.refresh_from_db()
    offer = offers.make_offer(
        users["deu"],
        rfa=rfa,
        lines=[{"request_line": rfa.lines.get().pk, "quantity": 1500}],
    )
    line = offer.lines.get()
    offers.accept_offer_line(users["ita"], line, 1200)
    logistics.dispatch_offer_line(users["deu"], line, quantity=1000, mode="road")
    wanted = ["rfa.circulate", "offer_line.accept", "dispatch.create"]
    entries = [AuditEntry.objects.filter(action=a).latest("pk") for a in wanted]
    assert _said(entries, "en") == [
        f"The centre circulated the request {rfa.reference}",
        "Italy accepted 1,200 \u00d7 ICU ventilator",
        "Germany dispatched 1,000 \u00d7 ICU ventilator by road",
    ]
    french = _said(entries, "fr")
    assert french[0] == f"Le centre : diffusion de la demande {rfa.reference}"
    # Django's French grouping (a narrow no-break space), the item's French name.
    with translation.override("fr"):
        thousand = number_format(1200, force_grouping=True)
    assert thousand != "1200"
    assert french[1] == f"Italie : acceptation de {thousand} \u00d7 Respirateur de réanimation"
    assert french[2].endswith("\u00d7 Respirateur de réanimation par la route")


def test_the_system_acts_without_a_party_and_an_unknown_action_shows_its_object(
    users, items, crisis
) -> None:
    with transaction.atomic():
        by_system = record(None, "catalogue_item.update", items["VENT-ICU"])
        unknown = record(users["duty"], "something.new", items["MASK-SURG"])
    assert _said([by_system], "en")[0].startswith("The system changed the catalogue item VENT-ICU")
    assert _said([by_system], "fr")[0].startswith("Le système : modification de l\u2019article")
    # Never the code "something.new": the object it is about.
    assert _said([unknown], "en") == ["MASK-SURG"]


def test_a_catalogue_change_is_said_with_its_values_in_the_reader_s_language(
    users, items, crisis
) -> None:
    with transaction.atomic():
        entry = record(
            users["duty"],
            "catalogue_item.update",
            items["MASK-SURG"],
            changes={
                "active": [True, False],
                "unit_weight_kg": ["0.004", "0.0045"],
                "not_a_field": ["a", "b"],
            },
        )
    assert _said([entry], "en") == [
        "The centre changed the catalogue item MASK-SURG: "
        "unit weight 0.004 \u2192 0.0045 kg, active yes \u2192 no"
    ]
    assert _said([entry], "fr") == [
        "Le centre : modification de l\u2019article du catalogue MASK-SURG "
        "(poids unitaire 0,004 \u2192 0,0045 kg, actif oui \u2192 non)"
    ]
