"""The military date-time group of a publication, apart from the renderer so the model
(``Sitrep.dtg``) can show it without importing the renderer that imports the model."""

from __future__ import annotations

from datetime import UTC, datetime

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def dtg(moment: datetime) -> str:
    """The military date-time group in UTC: ``231530Z NOV 26``."""
    utc = moment.astimezone(UTC)
    return f"{utc:%d%H%M}Z {MONTHS[utc.month - 1]} {utc:%y}"
