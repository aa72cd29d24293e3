"""Sitreps published before the ledger (snapshot version 1) still render as frozen."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.sitreps.figures import ASSISTANCE_FIGURES, REQUEST_FIGURES, SNAPSHOT_VERSION
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.render import render_html
from aidbridge.sitreps.services import draft_sitrep, publish_sitrep, update_sitrep_text

pytestmark = pytest.mark.django_db
V1_REQUEST = ("requested", "offered", "accepted", "dispatched", "delivered", "outstanding")
V1_ASSISTANCE = ("offered", "accepted", "dispatched", "delivered")


def test_a_version_1_snapshot_renders_its_own_figures(
    users: dict[str, Any], crisis: Any, first_state: Any
) -> None:
    draft = draft_sitrep(users["duty"], crisis)
    update_sitrep_text(users["duty"], draft, general_situation="Calm.", assessment="Fine.")
    sitrep = publish_sitrep(users["head"], draft)
    snapshot = sitrep.snapshot
    assert snapshot is not None
    assert snapshot["version"] == SNAPSHOT_VERSION == 2
    # What a version 1 snapshot held: fewer keys, and its own (older) numbers, here 77,777
    # units offered of masks to Italy, which must be shown as frozen, not recomputed.
    snapshot["version"] = 1
    for row in snapshot["requests"]:
        for key in set(REQUEST_FIGURES) - set(V1_REQUEST):
            del row[key]
    for row in snapshot["assistance"]:
        for key in set(ASSISTANCE_FIGURES) - set(V1_ASSISTANCE):
            del row[key]
    masks = next(r for r in snapshot["requests"] if r["item"] == "MASK-SURG")
    masks["offered"] = 77_777
    Sitrep.objects.filter(pk=sitrep.pk).update(snapshot=snapshot)
    sitrep.refresh_from_db()
    annex = render_html(sitrep, "en", part="annex")
    assert "77,777" in annex
    assert "Surgical mask" in render_html(sitrep, "en")
