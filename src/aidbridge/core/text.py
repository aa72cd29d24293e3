"""The one rule for text given by a user: no NUL character, and a documented length.

PostgreSQL cannot store a NUL (``\\x00``) in text at all, so one would fail at the
database; a text field (``TextField``) takes at most ``MAX_TEXT`` characters and a
``CharField`` its own ``max_length``. The API schemas (``api.schemas.Text``), the
pages' forms, the imports and the request guard (``core.middleware``) all apply it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext

from aidbridge.core.errors import ValidationFailed

MAX_TEXT = 10_000
NUL = "\x00"


def text_problem(value: str, max_length: int = MAX_TEXT) -> str | None:
    """Why ``value`` cannot be stored, or None."""
    if NUL in value:
        return "must not contain NUL characters"
    if len(value) > max_length:
        return f"must be at most {max_length:,} characters (got {len(value):,})"
    return None


def clean_text(value: Any, field: str, max_length: int = MAX_TEXT) -> str:
    """``value`` stripped, or ValidationFailed naming ``field``."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(gettext("must be text"), field=field)
    problem = text_problem(value, max_length)
    if problem:
        raise ValidationFailed(problem, field=field)
    return value.strip()


def max_length_of(model: type[models.Model], name: str) -> int:
    """A column's documented length: its ``max_length``, or ``MAX_TEXT`` for a text field."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    return int(length) if length else MAX_TEXT
