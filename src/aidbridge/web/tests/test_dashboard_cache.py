"""The dashboard's kept body (``web.dashboard``): every change made by someone else
shows in the very next render, for every role; readers of different parties or roles,
or languages, never share a rendering; readers of the same party, role and language do.
Through Django's full stack (session login, middleware, templates) and the real
database; each kept page is compared with what a fresh computation renders."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aidbridge.accounts.models import Role
from aidbridge.logistics import services as logistics
from aidbridge.notifications.services import notify
from aidbridge.offers import services as offer_services
from aidbridge.requests import services as rfa_services
from aidbridge.sitreps import services as sitreps

MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(user: Any, crisis: Any) -> str:
    response = _client(user).get(f"/crises/{crisis.code}/")
    assert response.status_code == 200
    return str(response.text)


def _body(user: Any, crisis: Any) -> str:
    """The dashboard's content (everything inside <main>), from the cache when kept."""
    found = MAIN.search(_page(user, crisis))
    assert found is not None
    return found.group(1)


def _fresh(user: Any, crisis: Any) -> str:
    cache.clear()
    return _body(user, crisis)


def _next(user: Any, crisis: Any) -> str:
    """The next render, checked to be exactly what a fresh computation gives."""
    kept = _body(user, crisis)
    assert kept == _fresh(user, crisis)
    return kept


def _warm(users: dict[str, Any], crisis: Any) -> None:
    for user in users.values():
        _body(user, crisis)


def test_each_change_shows_in_the_next_render_for_every_role(
    users: dict[str, Any], crisis: Any, italian_rfa: Any
) -> None:
    readers = {k: users[k] for k in ("duty", "head", "ita", "deu", "airlift", "ocha")}
    _warm(readers, crisis)

    # Spain submits a request: the centre has one to validate.
    spain = rfa_services.create_rfa(
        users["esp"],
        crisis=crisis,
        title="Protective suits for Madrid",
        lines=[{"item": "SUIT-PROT", "quantity": 2000, "delivery_airport": "LEMD"}],
    )
    rfa_services.submit_rfa(users["esp"], spain)
    assert "Protective suits for Madrid" in _next(users["duty"], crisis)
    _warm(readers, crisis)

    # The centre circulates it: nothing left to validate, and a new latest change.
    rfa_services.circulate_request(users["duty"], spain)
    spain.refresh_from_db()
    circulated = f"The centre circulated the request {spain.reference}"  # latest changes
    head = _next(users["head"], crisis)
    assert "Requests to validate" not in head and circulated in head
    assert circulated in _next(users["deu"], crisis)
    _warm(readers, crisis)

    # Germany offers ventilators: Italy has an offer to decide.
    vent = italian_rfa.lines.get(position=1)
    line = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 50}]
    ).lines.get()
    italy = _next(users["ita"], crisis)
    assert "Offers awaiting your decision" in italy and "DEU: 50 \u00d7 ICU ventilator" in italy
    for who in ("duty", "ocha", "airlift"):
        _next(users[who], crisis)  # the offers figure moved for every role
    _warm(readers, crisis)

    # Italy accepts 30: Germany has aid to dispatch; Italy's decision is gone.
    offer_services.accept_offer_line(users["ita"], line, 30)
    assert "Accepted aid to dispatch" in _next(users["deu"], crisis)
    assert "Offers awaiting your decision" in _next(users["ita"], crisis)  # 20 left
    _warm(readers, crisis)

    # Germany dispatches 20: Italy has a delivery to confirm.
    dispatch = logistics.dispatch_offer_line(users["deu"], line, quantity=20, mode="road")
    assert "Deliveries to confirm" in _next(users["ita"], crisis)
    _warm(readers, crisis)

    # Italy confirms the receipt: the delivery is gone, the week's deliveries count it.
    logistics.confirm_receipt(users["ita"], dispatch, quantity=20)
    italy = _next(users["ita"], crisis)
    assert "Deliveries to confirm" not in italy
    assert re.search(r"Deliveries this week</dt><dd>1</dd>", italy), italy
    _next(users["duty"], crisis)
    _warm(readers, crisis)

    # The head of the centre drafts a sitrep, then publishes it.
    draft = sitreps.draft_sitrep(users["duty"], crisis)
    assert "Sitreps to publish" in _next(users["head"], crisis)
    _warm(readers, crisis)
    draft = sitreps.update_sitrep_text(users["duty"], draft, general_situation="Stable.")
    sitreps.publish_sitrep(users["head"], draft)
    assert "Sitreps to publish" not in _next(users["head"], crisis)


def _unread(user: Any, crisis: Any) -> int:
    found = re.search(r'id="unread-count">(\d+)<', _page(user, crisis))
    return int(found.group(1)) if found else 0


def test_a_notification_shows_in_the_next_page_of_its_reader_only(
    users: dict[str, Any], make_user: Any, crisis: Any, italian_rfa: Any
) -> None:
    second = make_user("ita-poc-2", "ITA", Role.NATIONAL_POC)
    first_count, second_count = _unread(users["ita"], crisis), _unread(second, crisis)
    notify([users["ita"]], kind="offer", subject="An offer", body="Germany offers")
    # The two Italian POCs share the kept body; the count is each one's own.
    assert _unread(users["ita"], crisis) == first_count + 1
    assert _unread(second, crisis) == second_count


def test_parties_and_roles_never_share_a_rendering(
    users: dict[str, Any], make_user: Any, crisis: Any, italian_rfa: Any
) -> None:
    vent = italian_rfa.lines.get(position=1)
    offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 50}]
    )
    spain = rfa_services.create_rfa(
        users["esp"],
        crisis=crisis,
        title="Protective suits for Madrid",
        lines=[{"item": "SUIT-PROT", "quantity": 2000, "delivery_airport": "LEMD"}],
    )
    rfa_services.submit_rfa(users["esp"], spain)
    sitreps.draft_sitrep(users["duty"], crisis)
    # Each reader's page first rendered with every other one's kept: what is shown is
    # still exactly what a fresh computation gives that reader.
    order = ["ita", "deu", "esp", "duty", "head", "ocha", "airlift", "tur"]
    kept = {}
    for who in order:
        kept[who] = _body(users[who], crisis)
    for who in reversed(order):
        assert _body(users[who], crisis) == kept[who] == _fresh(users[who], crisis), who
    assert "Offers awaiting your decision" in kept["ita"]
    assert all("Offers awaiting your decision" not in kept[w] for w in order if w != "ita")
    # The officer and the head of the same centre: only the head publishes sitreps.
    assert "Sitreps to publish" in kept["head"] and "Sitreps to publish" not in kept["duty"]
    # Spain's own request, not yet circulated, is in Spain's latest changes, not Germany's.
    drafted = f"Spain drafted the request draft request no. {spain.pk}"  # audit.sentences
    assert drafted in kept["esp"]
    assert drafted not in kept["deu"]

    # A second Italian POC shares the first one's rendering: a few queries, not the
    # dashboard's dozens; their own name stays theirs.
    second = make_user("ita-poc-2", "ITA", Role.NATIONAL_POC)
    _body(users["ita"], crisis)
    client = _client(second)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/crises/{crisis.code}/").text
    assert MAIN.search(page).group(1) == kept["ita"]  # type: ignore[union-attr]
    assert "ita-poc-2" in page and "ita-poc<" not in page
    assert len(queries) <= 10, [q["sql"][:80] for q in queries.captured_queries]


def test_french_and_english_readers_never_share_a_rendering(
    users: dict[str, Any], make_user: Any, crisis: Any, italian_rfa: Any
) -> None:
    french = make_user("ita-fr", "ITA", Role.NATIONAL_POC)
    french.profile.language = "fr"
    french.profile.save()
    vent = italian_rfa.lines.get(position=1)
    offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 50}]
    )
    english = _body(users["ita"], crisis)
    in_french = _body(french, crisis)
    assert "Offers awaiting your decision" in english
    assert "Offres en attente de votre décision" in in_french
    assert "Offers awaiting your decision" not in in_french
    # In the other order, each from the cache: still apart.
    assert _body(users["ita"], crisis) == english
    assert _body(french, crisis) == in_french == _fresh(french, crisis)
