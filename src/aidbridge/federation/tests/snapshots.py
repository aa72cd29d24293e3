"""Snapshots as a partner centre (ERCC) would send them, for the in-process tests."""

from __future__ import annotations

import json
from typing import Any


def ercc_snapshot(version: int, *, accepted: int = 0, dispatched: int = 0) -> bytes:
    """ERCC's request 9 (Italy: 100 ventilators) with Germany's offer of 80 on it."""
    dispatches = (
        [
            {
                "gid": "ERCC:dispatch:3",
                "quantity": dispatched,
                "mode": "road",
                "dispatched_at": "2020-03-20T10:00:00+00:00",
                "expected_at": None,
                "transport_reference": "",
                "carrier": "",
                "note": "",
                "receipt": None,
            }
        ]
        if dispatched
        else []
    )
    body: dict[str, Any] = {
        "kind": "snapshot",
        "version": version,
        "refused": {},
        "request": {
            "gid": "ERCC:rfa:9",
            "reference": "RFA-2020-0012",
            "crisis": "covid-19-2020",
            "requester": "ITA",
            "title": "Ventilators",
            "situation": "",
            "status": "circulated",
            "closure": "",
            "status_reason": "",
            "entry_notes": "",
            "circulated_at": "2020-03-13T12:00:00+00:00",
            "closed_at": None,
            "lines": [
                {
                    "gid": "ERCC:line:1",
                    "position": 1,
                    "item": "VENT-ICU",
                    "quantity": 100,
                    "unit": "piece",
                    "specification": "",
                    "priority": 1,
                    "needed_by": None,
                    "delivery_airport": "LIMC",
                    "delivery_place": "",
                    "transport_needed": False,
                }
            ],
            "offers": [
                {
                    "gid": "ERCC:offer:4",
                    "reference": "OFF-2020-0004",
                    "donor": "DEU",
                    "available_from": None,
                    "origin_airport": "",
                    "origin_place": "",
                    "own_transport": False,
                    "conditions": "",
                    "lines": [
                        {
                            "gid": "ERCC:offer_line:5",
                            "request_line": "ERCC:line:1",
                            "item": "VENT-ICU",
                            "quantity": 80,
                            "accepted": accepted,
                            "declined": 0,
                            "status": "accepted" if accepted else "open",
                            "decline_reason": "",
                            "over_acceptance_reason": "",
                            "notes": "",
                            "dispatches": dispatches,
                        }
                    ],
                }
            ],
        },
    }
    return json.dumps(body).encode()
