"""Drafting, editing and publishing sitreps: numbering, roles, freezing, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from aidbridge.audit.selectors import history_of
from aidbridge.core.errors import Conflict, NotAllowed, ValidationFailed
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.render import dtg
from aidbridge.sitreps.services import draft_sitrep, publish_sitrep, update_sitrep_text

pytestmark = pytest.mark.django_db


def publish(users: dict[str, Any], crisis: Any, text: str = "Situation.") -> Sitrep:
    draft = draft_sitrep(users["duty"], crisis)
    update_sitrep_text(users["duty"], draft, general_situation=text)
    return publish_sitrep(users["head"], draft)


def test_draft_is_filled_from_the_data(users: dict[str, Any], crisis: Any, first_state: Any):
    sitrep = draft_sitrep(users["duty"], crisis)
    assert sitrep.status == Sitrep.Status.DRAFT
    assert sitrep.sequence is None and sitrep.message_number is None
    assert sitrep.originator == users["duty"]
    assert sitrep.from_line.startswith("Euro-Atlantic Disaster Response")
    assert sitrep.to_line == "National points of contact: CZE, DEU, ESP, ITA, TUR"
    assert sorted(str(r.reference) for r in sitrep.rfas.all()) == sorted(
        str(first_state[n].reference) for n in ("ita", "esp")
    )
    assert (sitrep.marking_en, sitrep.marking_fr) == ("NON-CLASSIFIED", "NON CLASSIFIÉ")
    assert [e.action for e in history_of(users["duty"], sitrep)] == ["sitrep.draft"]


@override_settings(AIDBRIDGE_CENTRE_CODE="EADRCC")
def test_publication_numbers_dates_and_freezes(
    users: dict[str, Any], crisis: Any, first_state: Any, world: Any
):
    first = publish(users, crisis)
    second = publish(users, crisis)
    year = timezone.now().year
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.message_number == f"OPS(EADRCC)({year})0001"
    assert second.message_number == f"OPS(EADRCC)({year})0002"
    assert first.approved_by == users["head"]
    assert first.published_at is not None and first.snapshot is not None
    assert dtg(first.published_at) == first.published_at.strftime("%d%H%MZ %b %y").upper()
    frozen = {(r["nation"], r["item"]): r["accepted"] for r in first.snapshot["requests"]}
    assert frozen[("ITA", "MASK-SURG")] == 30000
    # The data moves on; the published figures do not.
    world.accept(first_state["tur_ita"], 10000)
    first.refresh_from_db()
    assert first.snapshot is not None
    frozen = {(r["nation"], r["item"]): r["accepted"] for r in first.snapshot["requests"]}
    assert frozen[("ITA", "MASK-SURG")] == 30000
    actions = [e.action for e in history_of(users["duty"], first)]
    assert actions == ["sitrep.draft", "sitrep.edit", "sitrep.publish"]
    entry = history_of(users["duty"], first).last()
    assert entry is not None and (entry.from_state, entry.to_state) == ("draft", "published")


def test_roles(users: dict[str, Any], crisis: Any):
    for who in ("ita", "ocha", "airlift"):
        with pytest.raises(NotAllowed):
            draft_sitrep(users[who], crisis)
    draft = draft_sitrep(users["duty"], crisis)
    update_sitrep_text(users["duty"], draft, general_situation="x")
    with pytest.raises(NotAllowed, match="head of centre"):
        publish_sitrep(users["duty"], draft)
    assert Sitrep.objects.get(pk=draft.pk).status == Sitrep.Status.DRAFT


def test_bad_input(users: dict[str, Any], crisis: Any):
    draft = draft_sitrep(users["duty"], crisis)
    with pytest.raises(ValidationFailed) as exc:
        publish_sitrep(users["head"], draft)
    assert exc.value.field == "general_situation"
    with pytest.raises(ValidationFailed) as exc:
        update_sitrep_text(users["duty"], draft, sequence=4)
    assert exc.value.field == "sequence"
    with pytest.raises(ValidationFailed) as exc:
        update_sitrep_text(users["duty"], draft, precedence="URGENT")
    assert exc.value.field == "precedence"
    with pytest.raises(ValidationFailed):
        draft_sitrep(users["duty"], crisis, corrects=draft)


def test_published_is_immutable_everywhere(users: dict[str, Any], crisis: Any):
    sitrep = publish(users, crisis)
    with pytest.raises(Conflict):
        update_sitrep_text(users["duty"], sitrep, assessment="rewritten")
    with pytest.raises(Conflict):
        publish_sitrep(users["head"], sitrep)
    sitrep.general_situation = "rewritten behind the services' back"
    with pytest.raises(Conflict):
        sitrep.save()
    with pytest.raises(Conflict):
        sitrep.delete()
    assert Sitrep.objects.get(pk=sitrep.pk).general_situation == "Situation."


def test_correction_names_the_corrected(users: dict[str, Any], crisis: Any):
    first = publish(users, crisis, "Wrong figure.")
    correction = draft_sitrep(users["duty"], crisis, corrects=first)
    assert correction.corrects == first
    assert correction.general_situation == "Wrong figure."
    update_sitrep_text(users["duty"], correction, general_situation="Right figure.")
    published = publish_sitrep(users["head"], correction)
    assert published.sequence == 2 and published.corrects == first
