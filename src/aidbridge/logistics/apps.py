from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "aidbridge.logistics"
    label = "logistics"

    def ready(self) -> None:
        # Who sees the audit entries about this app's rows (audit imports no app).
        from aidbridge.audit import visibility
        from aidbridge.logistics import selectors
        from aidbridge.logistics.models import Dispatch, Receipt

        visibility.register(Dispatch, selectors.dispatches_visible_to)
        visibility.register(Receipt, selectors.receipts_visible_to)
