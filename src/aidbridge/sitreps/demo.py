"""Sitreps for the demo crisis: at least three published, so a newcomer sees numbering,
the bold changes and both languages at once.

The demo scenario calls :func:`publish_demo_sitreps` once its data is loaded, passing the
steps of the story that should happen *between* sitreps (an acceptance, a flight, a
receipt): each step runs through the real services, so its audit entries are what the
next sitrep shows in bold. Running the demo again publishes nothing new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aidbridge.crises.models import Crisis
from aidbridge.sitreps.figures import compute_figures
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.selectors import previous_published
from aidbridge.sitreps.services import draft_sitrep, publish_sitrep, update_sitrep_text

MINIMUM = 3


def _texts(crisis: Crisis, number: int) -> dict[str, str]:
    """Free text as a duty officer would write it, from the figures of the moment."""
    previous = previous_published(crisis)
    fig = compute_figures(crisis, since=previous.published_at if previous else None)
    nations = sorted({r["nation"] for r in fig["requests"]})
    donors = sorted({a["donor"] for a in fig["assistance"]})
    open_rfas = sum(1 for r in fig["rfas"] if r["status"] == "circulated")
    outstanding = sum(1 for r in fig["requests"] if r["outstanding"] > 0)
    delivered = sum(d["count"] for d in fig["deliveries_by_day"])
    en = (
        f"{crisis.name_en}: report {number}. {len(fig['rfas'])} requests for assistance "
        f"from {len(nations)} nations have been circulated ({open_rfas} still open); "
        f"{len(donors)} nations and organisations have offered assistance and "
        f"{delivered} shipments have been confirmed received."
    )
    fr = (
        f"{crisis.name_fr} : rapport {number}. {len(fig['rfas'])} demandes d'assistance "
        f"de {len(nations)} nations ont été diffusées ({open_rfas} encore ouvertes) ; "
        f"{len(donors)} nations et organisations ont offert leur assistance et "
        f"{delivered} envois ont été confirmés reçus."
    )
    assessment = (
        f"{outstanding} needs remain partly or wholly uncovered; ventilators and protective "
        "equipment remain the most pressing. Nations able to assist are invited to offer "
        "through their national point of contact."
    )
    assessment_fr = (
        f"{outstanding} besoins restent partiellement ou totalement non couverts ; les "
        "respirateurs et les équipements de protection restent les plus urgents. Les "
        "nations en mesure d'aider sont invitées à faire une offre par leur point de "
        "contact national."
    )
    return {
        "general_situation": en,
        "general_situation_fr": fr,
        "assessment": assessment,
        "assessment_fr": assessment_fr,
    }


def publish_demo_sitreps(
    crisis: Crisis,
    *,
    duty_officer: Any,
    head_of_centre: Any,
    between: Sequence[Callable[[], Any]] = (),
    releasable: bool = True,
) -> list[Sitrep]:
    """Publish sitrep 1, then after each step of ``between`` the next one.

    At least three are published: missing steps give sitreps where nothing moved (no
    bold). Idempotent: if the crisis already has published sitreps, nothing happens and
    they are returned (the steps are not replayed either).
    """
    existing = list(
        Sitrep.objects.filter(crisis=crisis, status=Sitrep.Status.PUBLISHED).order_by("sequence")
    )
    if existing:
        return existing
    steps: list[Callable[[], Any] | None] = [None, *between]
    while len(steps) < MINIMUM:
        steps.append(None)
    published: list[Sitrep] = []
    for step in steps:
        if step is not None:
            step()
        draft = draft_sitrep(duty_officer, crisis)
        fields: dict[str, Any] = _texts(crisis, len(published) + 1)
        fields["releasable"] = releasable
        update_sitrep_text(duty_officer, draft, **fields)
        published.append(publish_sitrep(head_of_centre, draft))
    return published
