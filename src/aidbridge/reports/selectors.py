"""The consolidated picture: what was asked, offered, accepted, moved and received.

The figures are the ledger's (``aidbridge.ledger``); this module only names what the
picture reads from it. The picture is of requests ever circulated (circulated or
closed since); drafts, requests still with the centre and requests withdrawn before
circulation are not part of it.
"""

from __future__ import annotations

from aidbridge.crises.models import Crisis
from aidbridge.ledger.crisis import CrisisFigures, CrisisSummary, crisis_summary
from aidbridge.ledger.figures import DonorFigures, Figures
from aidbridge.ledger.sums import line_figures, pictured_lines

__all__ = [
    "CrisisFigures",
    "CrisisSummary",
    "DonorFigures",
    "Figures",
    "crisis_totals",
    "line_figures",
    "pictured_lines",
]


def crisis_totals(crisis: Crisis) -> CrisisSummary:
    """Totals per requesting nation, per item and per donor, and overall (added up in
    the database: the picture never needs every line's figures at once)."""
    return crisis_summary(crisis)
