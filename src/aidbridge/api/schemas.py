"""Base schemas shared by the routers."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class InputSchema(Schema):
    """A request body. Unknown fields are refused by name (a misspelt ``quantiy`` must
    not be silently ignored while the client believes it was applied)."""

    model_config = ConfigDict(extra="forbid")


class ReasonIn(InputSchema):
    reason: str = ""
