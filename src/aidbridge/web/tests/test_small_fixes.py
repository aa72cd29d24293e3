"""Small things a new user meets: not found says so, friendly error pages, a way to
sign in and to the API docs from every page, day-first English dates, one period."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client, RequestFactory
from django.views import defaults

from aidbridge.requests import services


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_unknown_request_is_not_found(users: dict[str, Any]) -> None:
    page = client_for(users["ita"]).get("/rfas/99999/")
    assert page.status_code == 404
    assert "<title>Not found · aidbridge</title>" in page.text
    assert "Not allowed" not in page.text


def test_unknown_addresses_get_the_sites_404_page(users: dict[str, Any]) -> None:
    page = client_for(users["ita"]).get("/no/such/page/")
    assert page.status_code == 404
    assert "<h1>Page not found</h1>" in page.text
    assert 'class="site-header"' in page.text  # the site's layout, not Django's bare page
    # The API keeps its JSON.
    api = client_for(users["ita"]).get("/api/v1/no/such/thing")
    assert api.status_code == 404 and api.json()["code"]


def test_the_500_page_needs_no_database() -> None:
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_public_pages_offer_sign_in_and_every_page_the_api_docs(db: Any) -> None:
    public = Client().get("/public/sitreps/").text
    assert 'href="/login/?next=/public/sitreps/"' in public
    assert 'href="/api/v1/docs"' in public
    login = Client().get("/login/").text
    assert 'id="sign-in"' not in login  # not on the sign-in page itself


def test_english_dates_are_day_first_with_a_24_hour_clock(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    rfa = services.create_rfa(
        users["esp"],
        crisis=crisis,
        title="Suits",
        lines=[{"item": "SUIT-PROT", "quantity": 20, "delivery_airport": "LEMD"}],
    )
    services.submit_rfa(users["esp"], rfa)
    rfa.refresh_from_db()
    assert rfa.submitted_at is not None
    page = client_for(users["duty"]).get(f"/crises/{crisis.code}/").text
    stamp = rfa.submitted_at.strftime("%d %b %Y %H:%M").lstrip("0")
    assert stamp in page
    assert not re.search(r"\b[ap]\.m\.", page)


def test_the_autosave_message_ends_with_one_period(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    rfa = services.create_rfa(
        users["ita"], crisis=crisis, title="Masks", lines=[{"item": "MASK-SURG", "quantity": 5}]
    )
    data = {
        "title": "Masks",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": "MASK-SURG",
        "lines-0-quantity": "6",
        "lines-0-priority": "2",
    }
    answer = client_for(users["ita"]).post(f"/rfas/{rfa.pk}/autosave/", data).text
    assert re.fullmatch(r"Draft saved at \d{2}:\d{2}\.", answer), answer


def test_a_draft_a_nation_may_not_see_answers_like_a_missing_request(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    """Visibility is decided once (``requests.selectors.rfas_visible_to``): what the
    reader may not see does not exist for them, so Germany cannot tell Italy's draft
    from an id never used (a 403 would say it exists); 403 stays for an action refused
    on a request the reader does see."""
    draft = services.create_rfa(
        users["ita"],
        crisis=crisis,
        title="Oxygen",
        lines=[{"item": "VENT-ICU", "quantity": 5, "delivery_airport": "LIML"}],
    )
    germany = client_for(users["deu"])
    hidden = germany.get(f"/rfas/{draft.pk}/")
    missing = germany.get("/rfas/99999/")
    assert hidden.status_code == missing.status_code == 404
    title = re.compile(r"<title>(.*?)</title>")
    assert title.findall(hidden.text) == title.findall(missing.text) == ["Not found · aidbridge"]
    assert "Oxygen" not in hidden.text
    # Italy sees its draft; the centre does not see it before submission either.
    assert client_for(users["ita"]).get(f"/rfas/{draft.pk}/").status_code == 200
    assert client_for(users["duty"]).get(f"/rfas/{draft.pk}/").status_code == 404
    # Seen but not Germany's to act on: refused, not hidden.
    services.submit_rfa(users["ita"], draft)
    services.circulate_request(users["duty"], draft)
    refused = germany.post(f"/rfas/{draft.pk}/close/")
    assert refused.status_code == 403
    assert "<title>Not allowed · aidbridge</title>" in refused.text
