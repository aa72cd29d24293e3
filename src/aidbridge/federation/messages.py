"""The bodies of federation messages: compact JSON, and their kinds."""

from __future__ import annotations

import json
from typing import Any

SNAPSHOT = "snapshot"
COMMAND = "command"


def dumps(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"), sort_keys=True)
