"""A crisis with two transfer requests and bed offers against them, through the
services a nation uses: Italy asks for 6 ventilated AdultICU patients from Lombardy
(Bergamo), France for 4 from Grand Est (Strasbourg); Germany offers 3 beds at Dresden
and 2 at Leipzig to Italy, and 2 at Leipzig to France."""

from __future__ import annotations

from datetime import date
from typing import Any

from aidbridge.hospitals import transfers
from aidbridge.requests import services as rfa_services


def circulated_transfers(users: Any, crisis: Any, who: str, title: str, **spec: Any) -> Any:
    rfa = transfers.request_transfers(
        users[who],
        crisis=crisis,
        title=title,
        transfers=[{"bed_type": "AdultICU", "needed_by": date(2020, 4, 1), **spec}],
    )
    rfa_services.submit_rfa(users[who], rfa)
    rfa_services.circulate_request(users["duty"], rfa)
    rfa.refresh_from_db()
    return rfa


def scene(users: Any, crisis: Any, hospitals: Any) -> dict[str, Any]:
    ita = circulated_transfers(
        users,
        crisis,
        "ita",
        "ICU patients from Lombardy",
        count=6,
        origin_region="Lombardy",
        origin_airport="LIME",
        ventilated=True,
    )
    fra = circulated_transfers(
        users,
        crisis,
        "esp",  # any requesting nation: the fixture has no French POC
        "ICU patients from Grand Est",
        count=4,
        origin_region="Grand Est",
        origin_airport="LFST",
    )
    ita_line, fra_line = ita.lines.get(), fra.lines.get()
    to_ita = transfers.offer_beds(
        users["deu"],
        rfa=ita,
        request_line=ita_line,
        bed_type="AdultICU",
        hospitals=[
            {"hospital": hospitals["dresden"].pk, "beds": 3},
            {"hospital": hospitals["leipzig"].pk, "beds": 2},
        ],
    )
    to_fra = transfers.offer_beds(
        users["deu"],
        rfa=fra,
        request_line=fra_line,
        bed_type="AdultICU",
        hospitals=[{"hospital": hospitals["leipzig"].pk, "beds": 2}],
    )
    return {
        "ita": ita,
        "fra": fra,
        "ita_line": ita_line,
        "fra_line": fra_line,
        "to_ita": to_ita,
        "to_fra": to_fra,
    }
