"""``?ordering=`` for list endpoints: a comma-separated list of public names, ``-`` for
descending (``?ordering=-priority,created``).

Each endpoint maps its public names to model expressions, so clients never order by
internal columns and an unknown name is a 422 naming ``ordering``. The primary key is
always the last tie-breaker: offset pagination needs a total order or rows repeat or
vanish between pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext

from aidbridge.core.errors import ValidationFailed

M = TypeVar("M", bound=Model)


def apply_ordering(
    queryset: QuerySet[M], value: str | None, allowed: Mapping[str, str], default: str
) -> QuerySet[M]:
    """Order ``queryset`` by ``value`` (or ``default``), translated through ``allowed``."""
    terms: list[Any] = []
    for raw in (value or default).split(","):
        name = raw.strip()
        if not name:
            continue
        descending = name.startswith("-")
        key = name.lstrip("-")
        if key not in allowed:
            choices = ", ".join(sorted(allowed))
            raise ValidationFailed(
                gettext("cannot order by %(key)s; choose from: %(choices)s")
                % {"key": repr(key), "choices": choices},
                field="ordering",
            )
        column = allowed[key]
        terms.append(f"-{column}" if descending else column)
    terms.append("-pk" if terms and str(terms[0]).startswith("-") else "pk")
    return queryset.order_by(*terms)
