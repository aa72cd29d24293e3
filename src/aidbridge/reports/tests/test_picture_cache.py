"""The picture API's cached answer (``api.cached``): it changes with the very next change
of a figure, it is the answer a fresh computation gives, and it shows a reader nothing
that reader may not see. Through Django's full stack (bearer tokens, middleware); the
deployment's own test (``deploy/tests``) repeats the first over nginx and gunicorn's
processes."""

from __future__ import annotations

import json
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aidbridge.offers.tests.factories import circulated_rfa, offer_against


def _picture(client: Any, crisis: Any, query: str = "") -> bytes:
    response = client.get(f"/crises/{crisis.code}/picture{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return bytes(response.content)


def _uncached(client: Any, crisis: Any, query: str = "") -> bytes:
    cache.clear()
    return _picture(client, crisis, query)


def _vent(body: bytes) -> dict[str, Any]:
    items = json.loads(body)["lines"]["items"]
    return next(row for row in items if row["item"] == "VENT-ICU")


def test_the_next_picture_shows_an_offer_its_acceptance_and_a_dispatch(
    api, crisis, ita_rfa
) -> None:
    ita, deu = api("ita"), api("deu")
    before = _picture(ita, crisis)
    assert _picture(ita, crisis) == before  # now from the cache
    assert _vent(before)["offered"] == 0

    line = offer_against(deu, ita_rfa, 100)["lines"][0]
    offered = _picture(ita, crisis)
    assert (_vent(offered)["offered"], _vent(offered)["awaiting"]) == (100, 100)

    assert ita.post(f"/offer-lines/{line['id']}/accept", {"quantity": 60}).status_code == 200
    accepted = _picture(ita, crisis)
    assert (_vent(accepted)["accepted"], _vent(accepted)["outstanding"]) == (60, 90)

    sent = deu.post(f"/offer-lines/{line['id']}/dispatches", {"quantity": 50, "mode": "airlift"})
    assert sent.status_code == 201
    dispatched = _picture(ita, crisis)
    assert _vent(dispatched)["dispatched"] == 50
    # Each of these is exactly what a fresh computation answers.
    assert dispatched == _uncached(ita, crisis)


def test_a_cached_read_costs_a_few_queries_and_keeps_filters_pages_and_language_apart(
    api, crisis, ita_rfa
) -> None:
    ocha = api("ocha")
    whole = _picture(ocha, crisis)
    with CaptureQueriesContext(connection) as queries:
        assert _picture(ocha, crisis) == whole
    # The token, the crisis and the two sums of the fingerprint; not the picture's own.
    assert len(queries) <= 5, [q["sql"][:80] for q in queries.captured_queries]
    one = _picture(ocha, crisis, "?limit=1")
    masks = _picture(ocha, crisis, "?item=MASK-SURG")
    assert len({whole, one, masks}) == 3
    assert one == _uncached(ocha, crisis, "?limit=1")
    assert masks == _uncached(ocha, crisis, "?item=MASK-SURG")
    french = ocha.get(f"/crises/{crisis.code}/picture", HTTP_ACCEPT_LANGUAGE="fr")
    cache.clear()
    assert (
        french.content
        == ocha.get(f"/crises/{crisis.code}/picture", HTTP_ACCEPT_LANGUAGE="fr").content
    )


def test_no_reader_sees_a_request_outside_the_picture_whoever_filled_the_cache(
    api, crisis, parties, users, items, ita_rfa
) -> None:
    # Spain's request is still with the centre, Italy's second one a draft: neither is
    # in the picture, for anyone (README, "Who sees what").
    esp = circulated_rfa(
        crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 7)], status="submitted"
    )
    circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 9)], status="draft")
    centre_first = _picture(api("duty"), crisis)  # the centre sees Spain's request ...
    assert api("duty").get(f"/rfas/{esp.pk}").status_code == 200
    for reader in ("deu", "ita", "esp", "duty"):
        body = _picture(api(reader), crisis)
        assert body == centre_first, reader  # ... but the picture is one for every role
        rfas = {row["rfa"] for row in json.loads(body)["lines"]["items"]}
        assert rfas == {ita_rfa.pk}, reader
    assert api("deu").get(f"/rfas/{esp.pk}").status_code == 404
