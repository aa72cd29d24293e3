"""The import pages through Django's HTTP stack: templates, the dry run's report by row
and column, the confirmed all-or-nothing import, refusals that write nothing, French."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import openpyxl
from django.test import Client

from aidbridge.interop.tests.files import csv_bytes
from aidbridge.offers.models import Offer
from aidbridge.requests.models import RequestForAssistance


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


NEEDS = csv_bytes(
    [
        ["item", "quantity", "delivery_airport"],
        ["VENT-ICU", "40", "LKPR"],
        ["Masque chirurgical", "5000", "LKPR"],
    ]
)


def test_needs_template_lists_codes_and_both_names(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    client = client_for(users["cze"])
    response = client.get(f"/crises/{crisis.code}/import/needs/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["needs"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["VENT-ICU", "ICU ventilator", "Respirateur de réanimation"] in [
        [c for c in r if c in {"VENT-ICU", "ICU ventilator", "Respirateur de réanimation"}]
        for r in rows
    ]
    hxl = client.get(f"/crises/{crisis.code}/import/needs/template.hxl").content.decode()
    assert hxl.splitlines()[1].startswith("#") and "Masque chirurgical" in hxl
    page = client.get(f"/crises/{crisis.code}/import/needs/").text
    assert f"/crises/{crisis.code}/import/needs/template.csv" in page


def test_dry_run_shows_problems_by_row_and_column_and_writes_nothing(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    data = csv_bytes(
        [
            ["item", "quantity"],
            ["VENT-ICU", "10"],
            ["Masque chirugical", "100"],
            ["SUIT-PROT", "-3"],
        ]
    )
    response = client_for(users["cze"]).post(
        f"/crises/{crisis.code}/import/needs/",
        {"file": upload("needs.csv", data), "title": "Czech needs", "action": "check"},
    )
    assert response.status_code == 200
    page = response.text
    assert "<td>3</td><td>item</td>" in page and "did you mean MASK-SURG" in page
    assert "<td>4</td><td>quantity</td>" in page and "greater than 0" in page
    assert 'value="import"' not in page  # no import button while the file has problems
    assert not RequestForAssistance.objects.exists()


def test_confirmed_import_creates_the_draft_rfa_lines(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    client = client_for(users["cze"])
    url = f"/crises/{crisis.code}/import/needs/"
    check = client.post(
        url, {"file": upload("needs.csv", NEEDS), "title": "Czech ICU", "action": "check"}
    )
    assert check.status_code == 200
    assert "Draft request “Czech ICU”: 2 lines" in check.text
    digest = hashlib.sha256(NEEDS).hexdigest()
    assert f'value="{digest}"' in check.text and 'value="import"' in check.text
    assert not RequestForAssistance.objects.exists()

    done = client.post(
        url,
        {
            "file": upload("needs.csv", NEEDS),
            "title": "Czech ICU",
            "checked": digest,
            "action": "import",
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == f"/rfas/?crisis={crisis.code}"
    assert "Imported: 1 draft request (2 lines)." in done.text
    rfa = RequestForAssistance.objects.get()
    assert (rfa.title, rfa.status, rfa.requester.code) == ("Czech ICU", "draft", "CZE")
    assert [(ln.item.code, ln.quantity) for ln in rfa.lines.order_by("position")] == [
        ("VENT-ICU", 40),
        ("MASK-SURG", 5000),
    ]


def test_import_of_a_file_other_than_the_checked_one_is_refused(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    response = client_for(users["cze"]).post(
        f"/crises/{crisis.code}/import/needs/",
        {
            "file": upload("needs.csv", NEEDS),
            "title": "Czech ICU",
            "checked": "0" * 64,
            "action": "import",
        },
    )
    assert response.status_code == 422
    assert "This is not the file you checked." in response.text
    assert not RequestForAssistance.objects.exists()


def test_a_bad_file_gets_a_clear_message_and_writes_nothing(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    client = client_for(users["cze"])
    url = f"/crises/{crisis.code}/import/needs/"
    fake = client.post(
        url, {"file": upload("needs.xlsx", b"item,quantity\nVENT-ICU,3\n"), "action": "check"}
    )
    assert fake.status_code == 422
    assert "xlsx" in fake.text.lower() and 'role="alert"' in fake.text
    latin = "item,quantity\nMasque chirurgical é,3\n".encode("latin-1")
    bad = client.post(url, {"file": upload("needs.csv", latin), "action": "check"})
    assert bad.status_code == 422 and "UTF-8" in bad.text
    missing = client.post(url, {"action": "check"})
    assert missing.status_code == 422 and "This field is required." in missing.text
    assert not RequestForAssistance.objects.exists()


def test_a_too_large_upload_is_refused_without_being_read(
    users: dict[str, Any], items: Any, crisis: Any, settings: Any
) -> None:
    settings.AIDBRIDGE_IMPORT_MAX_BYTES = 100
    big = NEEDS + b"VENT-ICU,1,LKPR\r\n" * 20
    response = client_for(users["cze"]).post(
        f"/crises/{crisis.code}/import/needs/",
        {"file": upload("needs.csv", big), "title": "Czech ICU", "action": "check"},
    )
    assert response.status_code == 413
    assert "the limit is" in response.text
    assert not RequestForAssistance.objects.exists()


def test_a_nation_cannot_import_into_a_request_not_its_own(
    users: dict[str, Any], italian_rfa: Any, crisis: Any
) -> None:
    """Italy may not offer against its own RFA; Germany naming Italy's RFA in a needs
    file gets a German draft of its own and leaves Italy's request untouched."""
    url = f"/crises/{crisis.code}/import/offers/"
    own = csv_bytes(
        [["rfa", "line", "item", "quantity"], [italian_rfa.reference, "1", "VENT-ICU", "5"]]
    )
    page = (
        client_for(users["ita"])
        .post(url, {"file": upload("offers.csv", own), "action": "check"})
        .text
    )
    assert "ITA cannot offer against its own request" in page
    assert 'value="import"' not in page
    forced = client_for(users["ita"]).post(
        url,
        {
            "file": upload("offers.csv", own),
            "checked": hashlib.sha256(own).hexdigest(),
            "action": "import",
        },
    )
    assert forced.status_code == 422 and "Nothing was imported" in forced.text
    assert not Offer.objects.exists()

    needs = csv_bytes([["request", "item", "quantity"], [italian_rfa.title, "VENT-ICU", "7"]])
    client = client_for(users["deu"])
    needs_url = f"/crises/{crisis.code}/import/needs/"
    check = client.post(needs_url, {"file": upload("n.csv", needs), "action": "check"})
    digest = hashlib.sha256(needs).hexdigest()
    client.post(needs_url, {"file": upload("n.csv", needs), "checked": digest, "action": "import"})
    assert check.status_code == 200
    german = RequestForAssistance.objects.exclude(pk=italian_rfa.pk).get()
    assert german.requester.code == "DEU" and german.status == "draft"
    assert [(ln.item.code, ln.quantity) for ln in italian_rfa.lines.order_by("position")] == [
        ("VENT-ICU", 150),
        ("MASK-SURG", 100_000),
    ]


def test_the_centre_gets_no_import_form_and_its_post_is_refused(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    """Only a national POC drafts requests: the page offers no form the service refuses."""
    client = client_for(users["duty"])
    page = client.get(f"/crises/{crisis.code}/import/needs/")
    assert page.status_code == 403
    assert 'type="file"' not in page.text
    response = client.post(
        f"/crises/{crisis.code}/import/needs/",
        {"file": upload("needs.csv", NEEDS), "title": "Centre", "action": "import"},
    )
    assert response.status_code == 403
    assert "only a national point of contact may draft a request" in response.text
    assert not RequestForAssistance.objects.exists()


def test_the_page_in_french(users: dict[str, Any], items: Any, crisis: Any) -> None:
    profile = users["cze"].profile
    profile.language = "fr"
    profile.save()
    client = client_for(users["cze"])
    page = client.get(f"/crises/{crisis.code}/import/needs/").text
    assert "Importer des besoins" in page and "Vérifier le fichier" in page
    dashboard = client.get(f"/crises/{crisis.code}/").text
    assert f"/crises/{crisis.code}/import/needs/" in dashboard
