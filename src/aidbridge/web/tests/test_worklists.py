"""Each role's worklists on the dashboard: exactly the objects its allowed-actions rules
let it act on now, and nothing else."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aidbridge.logistics import services as logistics
from aidbridge.offers import services as offer_services
from aidbridge.requests import services
from aidbridge.sitreps import services as sitreps
from aidbridge.web.worklists import worklists

HEADINGS = {
    "to_validate": "Requests to validate",
    "to_decide": "Offers awaiting your decision",
    "to_confirm_proposal": "Proposed offers to confirm",
    "to_dispatch": "Accepted aid to dispatch",
    "to_confirm": "Deliveries to confirm",
    "to_publish": "Sitreps to publish",
    "to_approve": "Airlift plans to approve",
    "to_report": "Sorties to report",
}


def _shown(user: Any, crisis: Any) -> set[str]:
    client = Client()
    client.force_login(user)
    page = client.get(f"/crises/{crisis.code}/").text
    return {kind for kind, heading in HEADINGS.items() if f"<h3>{heading}</h3>" in page}


def test_each_role_sees_the_work_its_rules_allow(
    users: dict[str, Any], items: Any, crisis: Any, italian_rfa: Any
) -> None:
    spain = services.create_rfa(
        users["esp"],
        crisis=crisis,
        title="Protective suits for Madrid",
        lines=[{"item": "SUIT-PROT", "quantity": 2000, "delivery_airport": "LEMD"}],
    )
    services.submit_rfa(users["esp"], spain)
    vent = italian_rfa.lines.get(position=1)
    germany = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 50}]
    ).lines.get()
    turkey = offer_services.make_offer(
        users["tur"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 10}]
    ).lines.get()
    offer_services.accept_offer_line(users["ita"], germany, 30)
    logistics.dispatch_offer_line(users["deu"], germany, quantity=20, mode="road")
    sitreps.draft_sitrep(users["duty"], crisis)

    expected = {
        "duty": {"to_validate"},
        "head": {"to_validate", "to_publish"},
        "ita": {"to_decide", "to_confirm"},
        "deu": {"to_dispatch"},
        "tur": set(),
        "airlift": set(),
        "ocha": set(),
    }
    for role, kinds in expected.items():
        assert _shown(users[role], crisis) == kinds, role

    lists = worklists(users["ita"], crisis)
    # Germany's 20 undecided and Turkey's 10: both await Italy.
    assert {line.pk for line in lists["to_decide"]} == {germany.pk, turkey.pk}
    assert [rfa.pk for rfa in worklists(users["duty"], crisis)["to_validate"]] == [spain.pk]
    assert [line.pk for line in worklists(users["deu"], crisis)["to_dispatch"]] == [germany.pk]

    # When the rule stops allowing the action, the work leaves the list.
    services.circulate_request(users["duty"], spain)
    offer_services.decline_offer_line(users["ita"], turkey, "enough")
    logistics.dispatch_offer_line(users["deu"], germany, quantity=10, mode="road")
    assert "to_validate" not in worklists(users["duty"], crisis)
    assert [line.pk for line in worklists(users["ita"], crisis)["to_decide"]] == [germany.pk]
    assert "to_dispatch" not in worklists(users["deu"], crisis)


def test_a_closed_request_leaves_its_offers_off_the_lists(
    users: dict[str, Any], italian_rfa: Any, crisis: Any
) -> None:
    vent = italian_rfa.lines.get(position=1)
    offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 50}]
    )
    assert "to_decide" in worklists(users["ita"], crisis)
    services.close_rfa(users["duty"], italian_rfa, "overtaken", "over")
    assert "to_decide" not in worklists(users["ita"], crisis)


def test_the_lists_cost_the_same_queries_however_long(
    users: dict[str, Any], italian_rfa: Any, crisis: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    vent = italian_rfa.lines.get(position=1)

    def offer_and_dispatch() -> None:
        line = offer_services.make_offer(
            users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 10}]
        ).lines.get()
        offer_services.accept_offer_line(users["ita"], line, 5)
        logistics.dispatch_offer_line(users["deu"], line, quantity=2, mode="road")

    def cost(role: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            lists = worklists(users[role], crisis)
        assert lists
        return len(queries)

    offer_and_dispatch()
    one = {role: cost(role) for role in ("ita", "deu")}
    for _ in range(3):
        offer_and_dispatch()
    assert {role: cost(role) for role in ("ita", "deu")} == one
