"""Helpers of the import tests: the test messages, and posting XML through the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

from aidbridge.accounts.models import ApiToken
from aidbridge.accounts.tokens import hash_token, new_raw_token

DATA = Path(__file__).resolve().parent / "data"
# The other implementation's examples (sources in data/README.md).
EXAMPLES = Path(__file__).resolve().parent / "examples"


def message(name: str) -> bytes:
    return (DATA / name).read_bytes()


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


class XmlPoster:
    """POSTs a body to /api/v1/edxl through the real HTTP stack, with a real token."""

    def __init__(self, user: Any | None):
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            raw = new_raw_token()
            ApiToken.objects.create(
                user=user, name="edxl", prefix=raw[:12], key_hash=hash_token(raw)
            )
            self.headers["Authorization"] = f"Bearer {raw}"

    def post(self, body: bytes | str, content_type: str = "application/xml") -> Any:
        return self.client.post(
            "/api/v1/edxl", data=body, content_type=content_type, headers=self.headers
        )
