"""Who sees the audit entries about each audited model, declared by the model's own app.

An entry is visible exactly when its target is. Each app registers, in its
``AppConfig.ready()``, the rows of its audited models a user may see
(``register(Model, rows)``; no ``rows``: every role sees every row of that reference
data) and, where an entry outlives its target's row, one more rule
(``register_extra``: the lines removed from a request). So the audit app imports no
app: each app depends on audit, as the layer order requires (README "Layers"), and a
model nobody registered stays the centre's alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

Rows = Callable[[Any], QuerySet[Any]]
Extra = Callable[[Any], Q]

_ROWS: dict[type[models.Model], Rows | None] = {}
_EXTRA: list[Extra] = []
_ABOUT: dict[Extra, type[models.Model] | None] = {}


def register(model: type[models.Model], rows: Rows | None = None) -> None:
    """Entries about ``model`` are seen by whoever sees the row (``rows(actor)``)."""
    _ROWS[model] = rows


def register_extra(rule: Extra, about: type[models.Model] | None = None) -> None:
    """More entries ``actor`` may see, as a condition on ``AuditEntry``; ``about``: the
    model whose entries alone the condition can match (so a reader of a few entries
    asks it only of those), or None for any."""
    if rule not in _EXTRA:
        _EXTRA.append(rule)
    _ABOUT[rule] = about


def registered() -> dict[type[models.Model], Rows | None]:
    return dict(_ROWS)


def extras() -> list[Extra]:
    return list(_EXTRA)


def extra_about(rule: Extra) -> type[models.Model] | None:
    """The model ``rule`` is about (``register_extra``), None if any."""
    return _ABOUT.get(rule)
