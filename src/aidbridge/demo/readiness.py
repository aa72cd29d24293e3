"""Which services the scenario plays through, and whether they exist in this build."""

from __future__ import annotations

from importlib.util import find_spec

SCENARIO_SERVICES = (
    "aidbridge.accounts.services",
    "aidbridge.crises.services",
    "aidbridge.requests.services",
    "aidbridge.offers.services",
    "aidbridge.logistics.services",
)


def missing_services() -> list[str]:
    return [name for name in SCENARIO_SERVICES if find_spec(name) is None]
