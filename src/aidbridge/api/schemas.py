"""Base schemas and field types shared by the routers: one validation of input.

- Every request body derives from ``InputSchema``: unknown fields are refused by name,
  no string may hold a NUL character, and a string is at most ``MAX_TEXT`` characters
  unless its field says less (``Field(max_length=max_length_of(Model, "name"))`` for a
  ``CharField``).
- Quantities are ``core.quantities.Quantity``; ids are ``Id`` (in a body, strictly an
  integer) or ``PathId`` (in a path or a query string, where every value is text).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db import models
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from aidbridge.core.text import MAX_TEXT, NUL, max_length_of

# Every table's primary key is a BigAutoField (a signed 64-bit integer).
MAX_ID = 2**63 - 1

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, description="An object's id")]
PathId = Annotated[int, Field(ge=1, le=MAX_ID)]
# A figure that is not a quantity of aid (an aircraft's payload, pallets, speed): what a
# 32-bit integer column stores.
MAX_INT = 2**31 - 1
Number = Annotated[int, Field(strict=True, ge=1, le=MAX_INT)]
NumberOrZero = Annotated[int, Field(strict=True, ge=0, le=MAX_INT)]


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, (list, tuple, set)):
        return any(_holds_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    return False


class InputSchema(Schema):
    """A request body. Unknown fields are refused by name (a misspelt ``quantiy`` must
    not be silently ignored while the client believes it was applied)."""

    model_config = ConfigDict(extra="forbid", str_max_length=MAX_TEXT)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL cannot store NUL in text; refused here, under the field's own name.
        if _holds_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


def chars(model: type[models.Model], name: str, default: Any = ..., **kwargs: Any) -> Any:
    """A body field stored in the ``CharField`` ``model.name``: at most its ``max_length``
    (a ``TextField`` takes the ``MAX_TEXT`` every body string has anyway)."""
    return Field(default, max_length=max_length_of(model, name), **kwargs)


class ReasonIn(InputSchema):
    reason: str = ""


class FieldErrorOut(Schema):
    field: str = Field(description="Dotted path of the offending field ('' for the whole)")
    message: str


class ErrorOut(Schema):
    """Every error answer of the API, 4xx and 5xx alike (``api/errors.py``)."""

    detail: str
    code: str
    errors: list[FieldErrorOut] = Field(default_factory=list)
    request_id: str | None = Field(
        None, description="Given on server errors; the same id is in the server's log"
    )
