"""Row locks on the parents an action depends on, always taken in one order.

An action checks the status of the rows it hangs from (the crisis of a new request, the
request of an offer or an acceptance, the standing line of a proposal) *under a row
lock* on them, and the action that closes such a row takes the same lock. Whichever
commits first, the other then reads the committed state: the audit trail can never show
an acceptance, an offer or a new request after the close that should have stopped it.

Every service takes its locks in this one order, so no two services can wait for each
other in a cycle (a deadlock):

    sitrep → crisis → allocation run / airlift plan run → sortie
      → request (RFA, ascending id) → request line → offer line (ascending id) → dispatch
      → reference sequence

A service may skip levels, never go back up one. Offer lines are always locked in
ascending id, in one query where it can: a standing (unsolicited) line is older than
every line drawn from it, so "standing line before the lines drawn from it" follows.
Offer rows themselves are never locked (their lines are). The reference sequence
(``core.references``) is a leaf: nothing is locked after it.

The locks are ``FOR NO KEY UPDATE`` (``no_key=True``): they conflict with each other
but not with the ``FOR KEY SHARE`` lock PostgreSQL takes on a parent when a child row
(an audit entry, a notification, an offer) is inserted with a foreign key to it. So
closing a crisis never waits for, or deadlocks with, an audit entry being written in
it. SQLite ignores row locks (it serialises writers anyway).

Each lock lives beside its model (``crises.locks.lock_crisis``,
``requests.locks.lock_rfa``/``lock_rfas``), so this module, below every app, imports
none of them; the offer lines' lock takes the queryset it is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

if TYPE_CHECKING:
    from aidbridge.offers.models import OfferLine


def lock_offer_lines(lines: QuerySet[OfferLine]) -> list[OfferLine]:
    """The offer lines of ``lines``, locked in ascending id, with what the audit needs.

    After waiting for a lock PostgreSQL re-checks the query's conditions on the row as
    committed, so a line another transaction just moved out of ``lines`` is left out.
    """
    return list(
        lines.select_for_update(no_key=True, of=("self",))
        .select_related(
            "offer__crisis", "offer__donor", "offer__rfa", "item", "request_line__rfa__requester"
        )
        .order_by("pk")
    )
