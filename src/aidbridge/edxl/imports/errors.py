"""Refusals of an incoming EDXL message, each pinned to a place in the XML.

A refusal is a 4xx in the API's one error shape: ``detail`` says what is wrong,
``code`` the kind of refusal, and ``errors`` lists every problem with its ``field`` set
to the XML path (``/EDXLDistribution/contentObject[1]/...``), so the sending system
can point at the element to fix. Nothing is ever written for a refused message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aidbridge.core.errors import ValidationFailed


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a message; ``path`` is where in the document (or "")."""

    message: str
    path: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.path or "body", "message": self.message}


class MessageRefused(ValidationFailed):
    """The message cannot be imported; ``code`` names the kind of refusal.

    Kinds: ``not_xml`` and ``xml_dtd`` (400: not a document aidbridge parses),
    ``wrong_namespace`` and ``not_imported`` (422: XML, but not a message aidbridge
    reads), ``schema_invalid`` (422, with the schema's own error paths),
    ``unknown_crisis``, ``unknown_party``, ``unknown_item``, ``unknown_request`` and
    ``invalid_content`` (422: a valid message aidbridge cannot map), ``too_large`` (413).
    """

    def __init__(self, code: str, problems: list[Problem], *, status: int = 422):
        self.problems = problems
        first = str(problems[0]) if problems else "the message was refused"
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first + more, field=problems[0].path if problems else None, code=code)
        self.status = status

    @classmethod
    def one(cls, code: str, message: str, path: str = "", *, status: int = 422) -> MessageRefused:
        return cls(code, [Problem(message, path)], status=status)

    def body(self) -> dict[str, Any]:
        return {
            "detail": self.message,
            "code": self.code,
            "errors": [p.as_dict() for p in self.problems],
        }
