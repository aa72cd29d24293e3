"""The picture's line filters, its refusals, who may read it, and the ``figures``
command that sets every consumer's totals side by side."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aidbridge.offers.tests.factories import offer_against


def _lines(client: Any, crisis: Any, **params: Any) -> list[tuple[str, str]]:
    response = client.get(f"/crises/{crisis.code}/picture", **params)
    assert response.status_code == 200, response.json()
    return [(row["rfa_reference"], row["item"]) for row in response.json()["lines"]["items"]]


def _cover_the_ventilators(api: Any, ita_rfa: Any) -> None:
    line = offer_against(api("deu"), ita_rfa, 150)["lines"][0]
    accepted = api("ita").post(f"/offer-lines/{line['id']}/accept", {"quantity": 150})
    assert accepted.status_code == 200, accepted.json()


def test_lines_filter_by_outstanding_and_by_request(api, crisis, ita_rfa) -> None:
    _cover_the_ventilators(api, ita_rfa)
    reader = api("ocha")
    ref = ita_rfa.reference
    assert _lines(reader, crisis, outstanding="true") == [(ref, "MASK-SURG")]
    assert _lines(reader, crisis, outstanding="false") == [(ref, "VENT-ICU")]
    assert _lines(reader, crisis, rfa=ita_rfa.pk) == [(ref, "VENT-ICU"), (ref, "MASK-SURG")]
    assert _lines(reader, crisis, rfa=ita_rfa.pk + 1000) == []
    # The overall figures are the crisis's, whatever the lines' filter.
    body = reader.get(f"/crises/{crisis.code}/picture", outstanding="true").json()
    assert body["overall"]["accepted"] == 150 and body["overall"]["outstanding"] == 100_000


@pytest.mark.parametrize(
    ("params", "field"),
    [({"priority": 4}, "priority"), ({"priority": 0}, "priority"), ({"rfa": "x"}, "rfa")],
)
def test_a_bad_filter_is_refused_by_name(api, crisis, ita_rfa, params, field) -> None:
    response = api("ocha").get(f"/crises/{crisis.code}/picture", **params)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_the_picture_is_for_signed_in_users_of_a_known_crisis(api, crisis, ita_rfa) -> None:
    assert api(None).get(f"/crises/{crisis.code}/picture").status_code == 401
    unknown = api("ocha").get("/crises/no-such-crisis/picture")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")


@pytest.mark.django_db
def test_the_figures_command_refuses_an_unknown_crisis(users) -> None:
    with pytest.raises(CommandError, match="no crisis 'no-such-crisis'"):
        call_command("figures", "no-such-crisis", stdout=StringIO())


def test_the_figures_command_needs_a_centre_officer_to_read_as(users, crisis) -> None:
    users["duty"].is_active = False
    users["duty"].save()
    with pytest.raises(CommandError, match="no active centre officer"):
        call_command("figures", crisis.code, stdout=StringIO())


def test_the_figures_command_sets_every_consumer_side_by_side(api, crisis, ita_rfa) -> None:
    _cover_the_ventilators(api, ita_rfa)
    out = StringIO()
    call_command("figures", crisis.code, stdout=out)
    head, *rows, verdict = out.getvalue().splitlines()
    assert head.split() == [
        "requested",
        "offered",
        "accepted",
        "dispatched",
        "delivered",
        "outstanding",
    ]
    names = [row[: row.index("   ")].strip() for row in rows]
    assert names == ["picture API", "matrix CSV", "picture export", "sitrep drafted now"]
    for row in rows:
        # requested, offered, accepted, dispatched, delivered, outstanding (grouped digits)
        assert row.split()[-6:] == ["100,150", "150", "150", "0", "0", "100,000"], row
    assert verdict == "all agree"
