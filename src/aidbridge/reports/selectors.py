"""The consolidated picture: what was asked, offered, accepted, moved and received.

The figures are the ledger's (``aidbridge.ledger``); this module only names what the
picture reads from it. The picture is of requests ever circulated (circulated or
closed since); drafts, requests still with the centre and requests withdrawn before
circulation are not part of it.
"""

from __future__ import annotations

from typing import Any

from aidbridge.crises.models import Crisis
from aidbridge.ledger.crisis import CrisisFigures, CrisisSummary, crisis_summary
from aidbridge.ledger.figures import DonorFigures, Figures
from aidbridge.ledger.readings import fingerprint
from aidbridge.ledger.sums import line_figures, pictured_lines

__all__ = [
    "PICTURE_AUDIENCE",
    "CrisisFigures",
    "CrisisSummary",
    "DonorFigures",
    "Figures",
    "crisis_totals",
    "line_figures",
    "picture_audience",
    "picture_version",
    "pictured_lines",
]

# Who reads the same picture: every role alike (README, "Who sees what"): it is of the
# requests circulated at some point (``requests.models.in_picture``), which every role
# sees, with their offers and movements, which follow them.
PICTURE_AUDIENCE = "every-role"


def crisis_totals(crisis: Crisis) -> CrisisSummary:
    """Totals per requesting nation, per item and per donor, and overall (added up in
    the database: the picture never needs every line's figures at once)."""
    return crisis_summary(crisis)


def picture_audience(profile: Any) -> str:
    """The readers who get the same picture as ``profile``'s user: a cached picture is
    shared by them and no one else. Today that is everyone (``PICTURE_AUDIENCE``); a
    picture that came to depend on the reader's party or role would say so here, and
    the cache would follow."""
    return PICTURE_AUDIENCE


def picture_version(crisis: Crisis) -> str:
    """A key that changes whenever the crisis's picture does: the maintained figures'
    ``fingerprint``. Every change the picture shows moves one of its sums (an offer
    comes with at least one line, which offers or draws; closing a request moves its
    open lines; circulated lines are never edited); names of items and parties are not
    in it (a cached picture shows an edited name within ``api.cached.DEFAULT_TTL_S``)."""
    return fingerprint(crisis)
