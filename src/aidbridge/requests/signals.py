"""What a request's circulation and end ask of the apps above it (which ``requests`` may
not import).

``circulated`` is sent by ``services.circulate_request`` inside its transaction, with
``rfa``; the match notifications (``notifications.matching``) go out after the commit.

``ended`` is sent by ``services.close_rfa`` and ``services.withdraw_rfa`` inside their
transaction, with the request locked and already in its final state, and with
``actor``, ``rfa`` and ``reason`` (the words the settled lines keep). The offers app
settles the offer lines hanging from the request (``offers.settle``), so the close and
the settling commit or roll back together, in the lock order of ``core.locks``. It is
sent with ``send``, not ``send_robust``: a receiver that refuses undoes the close.
"""

from django.dispatch import Signal

ended = Signal()
circulated = Signal()
