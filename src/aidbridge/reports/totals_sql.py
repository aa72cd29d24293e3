"""The crisis totals as two SQL statements (standard SQL: SQLite and PostgreSQL).

Why SQL and not the ORM: each total needs figures first summed per request line (to
know how far each line is over-accepted) and then grouped again. The ORM can only do
that with one correlated subquery per figure and per line, or with one query per
figure; joining derived tables does it in one pass the planner handles well (hash
aggregates on PostgreSQL, automatic indexes on SQLite). Measured by bench/api.py.

Table and column names come from the models; every value is a query parameter.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine

WITHDRAWN = OfferLine.Status.WITHDRAWN.value
OPEN = OfferLine.Status.OPEN.value
PICTURED = (RequestForAssistance.Status.CIRCULATED.value, RequestForAssistance.Status.CLOSED.value)

TABLES = {
    "line": RequestLine._meta.db_table,
    "rfa": RequestForAssistance._meta.db_table,
    "offer": Offer._meta.db_table,
    "offer_line": OfferLine._meta.db_table,
    "dispatch": Dispatch._meta.db_table,
    "receipt": Receipt._meta.db_table,
}

# Per (requesting party, item): counts and sums over the pictured request lines, each
# line joined to its own offer and movement sums.
CELLS = """
SELECT r.requester_id, rl.item_id,
       COUNT(*) AS lines,
       SUM(rl.quantity) AS requested,
       COALESCE(SUM(o.offered), 0) AS offered,
       COALESCE(SUM(o.open_q), 0) AS open,
       COALESCE(SUM(o.accepted), 0) AS accepted,
       COALESCE(SUM(m.dispatched), 0) AS dispatched,
       COALESCE(SUM(m.delivered), 0) AS delivered,
       COALESCE(SUM(CASE WHEN o.accepted > rl.quantity
                         THEN o.accepted - rl.quantity ELSE 0 END), 0) AS over_accepted
FROM {line} rl
JOIN {rfa} r ON r.id = rl.rfa_id
LEFT JOIN (
    SELECT ol.request_line_id AS line_id,
           SUM(CASE WHEN ol.status <> %(withdrawn)s
                    THEN ol.quantity - ol.declined ELSE 0 END) AS offered,
           SUM(CASE WHEN ol.status <> %(withdrawn)s
                    THEN ol.quantity - ol.accepted - ol.declined ELSE 0 END) AS open_q,
           SUM(ol.accepted) AS accepted
    FROM {offer_line} ol
    JOIN {offer} f ON f.id = ol.offer_id
    WHERE f.crisis_id = %(crisis)s AND ol.request_line_id IS NOT NULL
    GROUP BY ol.request_line_id
) o ON o.line_id = rl.id
LEFT JOIN (
    SELECT ol.request_line_id AS line_id,
           SUM(d.quantity) AS dispatched,
           SUM(rc.quantity) AS delivered
    FROM {dispatch} d
    JOIN {offer_line} ol ON ol.id = d.offer_line_id
    JOIN {offer} f ON f.id = ol.offer_id
    LEFT JOIN {receipt} rc ON rc.dispatch_id = d.id
    WHERE f.crisis_id = %(crisis)s AND ol.request_line_id IS NOT NULL
    GROUP BY ol.request_line_id
) m ON m.line_id = rl.id
WHERE r.crisis_id = %(crisis)s AND r.status IN (%(circulated)s, %(closed)s)
GROUP BY r.requester_id, rl.item_id
""".format(**TABLES)

# Per donor: what it offered against pictured requests, what of it was accepted and
# moved, and its standing (unsolicited) stock still open.
DONORS = """
SELECT f.donor_id,
       COUNT(DISTINCT ol.offer_id) AS offers,
       SUM(CASE WHEN ol.request_line_id IS NOT NULL AND ol.status <> %(withdrawn)s
                THEN ol.quantity - ol.declined ELSE 0 END) AS offered,
       SUM(CASE WHEN ol.request_line_id IS NOT NULL AND ol.status <> %(withdrawn)s
                THEN ol.quantity - ol.accepted - ol.declined ELSE 0 END) AS open,
       SUM(CASE WHEN ol.request_line_id IS NOT NULL THEN ol.accepted ELSE 0 END) AS accepted,
       COALESCE(SUM(m.dispatched), 0) AS dispatched,
       COALESCE(SUM(m.delivered), 0) AS delivered,
       SUM(CASE WHEN ol.request_line_id IS NULL AND ol.status = %(open)s
                THEN ol.quantity - ol.accepted - ol.declined ELSE 0 END) AS standing
FROM {offer_line} ol
JOIN {offer} f ON f.id = ol.offer_id
LEFT JOIN {line} rl ON rl.id = ol.request_line_id
LEFT JOIN {rfa} r ON r.id = rl.rfa_id
LEFT JOIN (
    SELECT d.offer_line_id, SUM(d.quantity) AS dispatched, SUM(rc.quantity) AS delivered
    FROM {dispatch} d
    JOIN {offer_line} ol ON ol.id = d.offer_line_id
    JOIN {offer} f ON f.id = ol.offer_id
    LEFT JOIN {receipt} rc ON rc.dispatch_id = d.id
    WHERE f.crisis_id = %(crisis)s
    GROUP BY d.offer_line_id
) m ON m.offer_line_id = ol.id
WHERE f.crisis_id = %(crisis)s
  AND (ol.request_line_id IS NULL OR r.status IN (%(circulated)s, %(closed)s))
GROUP BY f.donor_id
""".format(**TABLES)


def _rows(sql: str, crisis_id: int) -> list[dict[str, Any]]:
    params: dict[str, int | str] = {
        "crisis": crisis_id,
        "withdrawn": WITHDRAWN,
        "open": OPEN,
        "circulated": PICTURED[0],
        "closed": PICTURED[1],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [col[0] for col in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def cell_rows(crisis_id: int) -> list[dict[str, Any]]:
    """One row per (requester_id, item_id) with the figures of ``reports.Figures``."""
    return _rows(CELLS, crisis_id)


def donor_rows(crisis_id: int) -> list[dict[str, Any]]:
    """One row per donor_id with the figures of ``reports.DonorFigures``."""
    return _rows(DONORS, crisis_id)
