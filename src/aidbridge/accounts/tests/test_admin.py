"""The admin: open to centre staff only, writes through the services, history read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from aidbridge.accounts.services import create_user
from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.services import create_rfa, submit_rfa

PASSWORD = "a-Long-enough-passphrase-2020"


@pytest.fixture
def officer(parties):
    return create_user(
        None,
        username="officer",
        email="o@example.org",
        party="EADRCC",
        role="centre_officer",
        password=PASSWORD,
    )


@pytest.fixture
def admin_client(officer) -> Client:
    client = Client()
    assert client.login(username="officer", password=PASSWORD)
    return client


def test_centre_staff_get_the_admin_and_others_do_not(admin_client, parties) -> None:
    assert admin_client.get("/admin/").status_code == 200
    for path in (
        "parties/party",
        "crises/crisis",
        "catalogue/item",
        "requests/requestforassistance",
        "audit/auditentry",
        "notifications/notification",
        "accounts/profile",
        "accounts/apitoken",
    ):
        assert admin_client.get(f"/admin/{path}/").status_code == 200, path

    poc = create_user(
        None, username="poc", email="", party="ITA", role="national_poc", password=PASSWORD
    )
    assert not poc.is_staff
    other = Client()
    other.login(username="poc", password=PASSWORD)
    assert other.get("/admin/parties/party/").status_code == 302  # to the admin login


def test_adding_a_party_in_the_admin_goes_through_the_service(admin_client, officer) -> None:
    response = admin_client.post(
        "/admin/parties/party/add/",
        {"code": "mne", "kind": "nation", "name_en": "Montenegro", "name_fr": "Monténégro"},
    )
    assert response.status_code == 302
    assert Party.objects.get(code="MNE").name_fr == "Monténégro"
    assert AuditEntry.objects.get(action="party.create").actor == officer

    bad = admin_client.post(
        "/admin/parties/party/add/",
        {"code": "MONTENEGRO", "kind": "nation", "name_en": "x", "name_fr": "x"},
    )
    assert bad.status_code == 200  # the form again, with the error
    assert "ISO 3166-1 alpha-3" in bad.content.decode()


def test_history_cannot_be_edited_or_deleted_in_the_admin(admin_client, officer, parties):
    admin_client.post(
        "/admin/crises/crisis/add/",
        {
            "code": "quake-2023",
            "name_en": "Earthquake",
            "name_fr": "Séisme",
            "started_on": "2023-02-06",
            "description": "",
        },
    )
    crisis = Crisis.objects.get(code="quake-2023")
    entry = AuditEntry.objects.get(action="crisis.create", target_id=crisis.pk)
    change_url = f"/admin/audit/auditentry/{entry.pk}/change/"
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    admin_client.post(change_url, {"reason": "rewritten"})
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_admin_actions_on_requests_use_the_services(
    admin_client, officer, users, items, crisis
) -> None:
    draft = create_rfa(
        users["ita"],
        crisis=crisis,
        title="Masks",
        lines=[{"item": "MASK-SURG", "quantity": 5000, "delivery_airport": "LIRF"}],
    )
    submitted = create_rfa(
        users["esp"],
        crisis=crisis,
        title="Suits",
        lines=[{"item": "SUIT-PROT", "quantity": 800, "delivery_airport": "LEMD"}],
    )
    submit_rfa(users["esp"], submitted)
    listing = admin_client.get("/admin/requests/requestforassistance/").content.decode()
    assert "Suits" in listing
    assert "Masks" not in listing  # Italy's draft is Italy's

    admin_client.post(
        "/admin/requests/requestforassistance/",
        {"action": "circulate", "_selected_action": [submitted.pk, draft.pk]},
    )
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert submitted.status == "circulated"
    assert submitted.reference is not None
    assert draft.status == "draft"
    entry = AuditEntry.objects.get(action="rfa.circulate")
    assert entry.actor == officer
    assert RequestForAssistance.objects.filter(status="circulated").count() == 1


def test_deactivating_in_the_admin_obeys_the_role_rule(admin_client, officer) -> None:
    head = create_user(None, username="chief", email="", party="EADRCC", role="centre_head")
    poc = create_user(None, username="poc", email="", party="ITA", role="national_poc")
    response = admin_client.post(
        "/admin/accounts/profile/",
        {"action": "deactivate", "_selected_action": [head.profile.pk, poc.profile.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "cannot deactivate a head of centre" in text
    assert "1 user(s) deactivated" in text
    head.refresh_from_db()
    poc.refresh_from_db()
    assert head.is_active
    assert not poc.is_active
    deactivated = AuditEntry.objects.filter(action="user.deactivate")
    assert [e.target_id for e in deactivated] == [poc.pk]
