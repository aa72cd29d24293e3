"""``{% patient_figure crisis %}``: the dashboard's "patients transferred" figure, from
the ledger (the delivered figure of the crisis's patient-transfer lines); nothing for a
crisis without patient transfers."""

from __future__ import annotations

from typing import Any

from django import template

from aidbridge.hospitals.matching_selectors import patient_figures

register = template.Library()


@register.inclusion_tag("hospitals/_patient_figure.html")
def patient_figure(crisis: Any) -> dict[str, Any]:
    return {"patients": patient_figures(crisis)}
