"""What closing a crisis asks of the apps above it (which ``crises`` may not import).

``closed`` is sent by ``services.close_crisis`` inside its transaction, with the crisis
locked and already closed, and with ``actor``, ``crisis`` and ``reason`` (the words the
settled lines keep). The offers app withdraws the standing stock and settles what is
still pending (``offers.settle``), so both commit or roll back together, in the lock
order of ``core.locks``. Sent with ``send``: a receiver that refuses undoes the close.
"""

from django.dispatch import Signal

closed = Signal()
