"""What new standing stock asks of the apps above it (which ``offers`` may not import).

``standing_posted`` is sent by ``services.offer_standing_stock`` inside its transaction,
with ``offer``; the match notifications (``notifications.matching``) go out after the
commit, so a failure there cannot undo the offer.
"""

from django.dispatch import Signal

standing_posted = Signal()
