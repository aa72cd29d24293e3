"""Consignments another app hands to the airlift, and how their sorties report back.

The airlift's own consignments are accepted cargo waiting for transport
(``airlift.consignments``). An app above the airlift in the layers (``hospitals``: an
accepted patient transfer to be flown by MEDEVAC) cannot be read from here, so it
registers a source when Django starts: the source lists its consignments (with what
they require of the aircraft) and records their departure and arrival when the sortie
carrying them departs and arrives, in the sortie's transaction. The sortie then does
not dispatch those loads itself: the source's own record (the transfer's dispatch and
receipt) is the one the picture counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # consignments imports this module to call the sources
    from aidbridge.airlift.consignments import Consignment, Skipped
    from aidbridge.crises.models import Crisis
    from aidbridge.logistics.models import Dispatch


class ConsignmentSource(Protocol):
    name: str
    """Stored on each sortie load it gave (``SortieLoad.source``), at most 30 characters."""

    def consignments(self, crisis: Crisis) -> tuple[list[Consignment], list[Skipped]]:
        """What waits to be flown (``source`` and ``source_key`` set on each), and what
        could not become a consignment, with the reason."""
        ...

    def depart(
        self, actor: Any, key: str, *, at: datetime, expected_at: datetime, reference: str
    ) -> Dispatch:
        """The sortie carrying ``key`` departed: record it, return the dispatch made."""
        ...

    def arrive(self, actor: Any, key: str, *, at: datetime) -> None:
        """The sortie carrying ``key`` arrived at its destination."""
        ...


_SOURCES: dict[str, ConsignmentSource] = {}


def register(source: ConsignmentSource) -> None:
    """Called from an ``AppConfig.ready``; registering the same name again replaces it."""
    _SOURCES[source.name] = source


def sources() -> list[ConsignmentSource]:
    return [_SOURCES[name] for name in sorted(_SOURCES)]


def source_named(name: str) -> ConsignmentSource:
    return _SOURCES[name]
