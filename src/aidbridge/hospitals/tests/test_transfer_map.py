"""The transfers page's map: a dot per hospital with its free beds by type, and one
flow per transfer of an accepted matching (none before acceptance)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from aidbridge.hospitals.tests.matching_fixtures import scene
from aidbridge.hospitals.tests.test_matching_runs import start


def _map(client: Client, crisis: Any) -> str:
    html = client.get(f"/crises/{crisis.code}/transfers/").content.decode()
    found = re.search(r"<svg[^>]*transfer-map.*?</svg>", html, re.S)
    assert found is not None
    return found.group(0)


def test_the_map_shows_hospitals_and_accepted_transfers(
    api: Any, users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    scene(users, crisis, hospitals)
    client = Client()
    client.force_login(users["duty"])
    before = _map(client, crisis)
    # Three hospitals with 10 free adult ICU beds each, no flow yet.
    assert re.findall(r"class='hospital' data-free='(\d+)'", before) == ["10", "10", "10"]
    assert "Adult ICU: 10" in before and hospitals["brno"].name in before
    assert "transfer-flow" not in before
    run = start(api, crisis)
    assert "transfer-flow" not in _map(client, crisis)  # proposed, not accepted
    api("duty").post(f"/transfer-matching-runs/{run['id']}/accept")
    after = _map(client, crisis)
    patients = sorted(
        int(n) for n in re.findall(r"class='transfer-flow' data-patients='(\d+)'", after)
    )
    assert patients == [2, 2, 3]  # Dresden 3 and Leipzig 2 for Italy, Leipzig 2 for France
