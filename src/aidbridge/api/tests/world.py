"""The fixture crisis of the API's bad-input tests: one crisis whose objects are made
through the services, for every operation to act on (``specs.py`` names which)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from aidbridge.accounts.models import ApiToken
from aidbridge.accounts.services import create_user
from aidbridge.airlift import services as airlift_services
from aidbridge.catalogue.models import Category, Item
from aidbridge.crises.models import Crisis
from aidbridge.crises.services import create_crisis
from aidbridge.hospitals import services as hospital_services
from aidbridge.hospitals import transfers
from aidbridge.logistics.services import dispatch_offer_line
from aidbridge.notifications.models import Notification
from aidbridge.offers import services as offer_services
from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.parties.services import create_party, deactivate_party
from aidbridge.requests import services as rfa_services
from aidbridge.sitreps.services import draft_sitrep
from aidbridge.webhooks.services import create_subscription


@dataclass
class World:
    """Objects of one crisis, made through the services, for the operations to act on."""

    crisis: Crisis
    ids: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(crisis, users, items, parties) -> World:
    w = World(crisis)
    spare = create_crisis(
        users["duty"],
        code="spare-2026",
        name_en="Spare",
        name_fr="Réserve",
        started_on=date(2026, 1, 1),
    )
    circulated = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 150), (items["MASK-SURG"], 1000)]
    )
    draft = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 5)], status="draft"
    )
    submitted = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 7)], status="submitted"
    )
    vents, masks = circulated.lines.order_by("position")
    offer = offer_services.make_offer(
        users["deu"], rfa=circulated, lines=[{"request_line": vents, "quantity": 50}]
    )
    accepted = offer.lines.get()
    offer_services.accept_offer_line(users["ita"], accepted, 40)
    sent = dispatch_offer_line(users["deu"], accepted, quantity=10, mode="road")
    pending_offer = offer_services.make_offer(
        users["deu"], rfa=circulated, lines=[{"request_line": masks, "quantity": 300}]
    )
    airlift_services.create_aircraft_type(
        users["duty"],
        code="C-17A",
        name="Boeing C-17A",
        payload_kg=77_500,
        pallets=18,
        cruise_kmh=830,
        range_km=4_400,
        size="heavy",
        cost_per_hour=24_000,
    )
    airlift_services.create_aircraft(
        users["duty"],
        tail="SAC-01",
        type="C-17A",
        operator="SAC",
        base="LHPA",
        available_from=datetime(2026, 1, 1, tzinfo=UTC),
        available_until=datetime(2026, 12, 31, tzinfo=UTC),
    )
    retired = create_party(
        users["duty"], code="FIN", kind="nation", name_en="Finland", name_fr="Finlande"
    )
    deactivate_party(users["duty"], retired, reason="left the exercise")
    token = ApiToken.objects.create(
        user=users["ita"], name="laptop", prefix="p" * 12, key_hash="h" * 64
    )
    # A machine account (no password), for the centre to issue its tokens.
    create_user(users["duty"], username="feed-bot", email="", party="UN-OCHA", role="observer")
    # It registers a webhook (only machine accounts do).
    users["feed-bot"] = get_user_model().objects.get(username="feed-bot")
    webhook = create_subscription(users["feed-bot"], "https://example.org/hook", ["offer.made"])
    sitrep = draft_sitrep(users["duty"], crisis)
    notification = Notification.objects.filter(recipient=users["ita"]).first()
    # Hospital beds and patient transfers (hospitals app).
    hospital = hospital_services.register_hospital(
        users["duty"], nation=parties["DEU"], name="Uniklinik Köln", region="NRW", airport="EDDK"
    )
    hospital_services.report_beds(users["duty"], hospital, bed_type="AdultICU", available=20)
    patients = Category.objects.create(code="PATIENT", name_en="Patients", name_fr="Patients")
    Item.objects.create(
        code="PAT-ICU",
        category=patients,
        name_en="ICU transfer",
        name_fr="Transfert",
        unit="patient",
        unit_weight_kg=0,
        unit_volume_m3=0,
    )
    transfer = {"count": 5, "bed_type": "AdultICU", "origin_region": "Lombardy"}
    transfer_draft = transfers.request_transfers(
        users["ita"],
        crisis=crisis,
        title="Patients",
        transfers=[transfer | {"origin_airport": "LIME"}],
    )
    transfer_rfa = transfers.request_transfers(
        users["ita"],
        crisis=crisis,
        title="More patients",
        transfers=[transfer | {"origin_airport": "LIME"}],
    )
    rfa_services.submit_rfa(users["ita"], transfer_rfa)
    rfa_services.circulate_request(users["duty"], transfer_rfa)
    w.ids = {
        "code": crisis.code,
        "spare": spare.code,
        "rfa": circulated.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "vents": vents.pk,
        "masks": masks.pk,
        "offer": offer.pk,
        "pending_offer": pending_offer.pk,
        "accepted_line": accepted.pk,
        "pending_line": pending_offer.lines.get().pk,
        "dispatch": sent.pk,
        "token": token.pk,
        "sitrep": sitrep.pk,
        "notification": notification.pk if notification else 1,
        "hospital": hospital.pk,
        "transfer_draft": transfer_draft.pk,
        "transfer_draft_line": transfer_draft.lines.get().pk,
        "transfer_rfa": transfer_rfa.pk,
        "transfer_line": transfer_rfa.lines.get().pk,
        "webhook": webhook.pk,
    }
    return w
