from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "aidbridge.logistics"
    label = "logistics"

    def ready(self) -> None:
        # Who sees the audit entries about this app's rows (audit imports no app).
        from aidbridge.audit import visibility
        from aidbridge.audit.sentences import register_subject
        from aidbridge.logistics import selectors
        from aidbridge.logistics.models import Dispatch, Receipt
        from aidbridge.notifications import links

        visibility.register(Dispatch, selectors.dispatches_visible_to)
        visibility.register(Receipt, selectors.receipts_visible_to)
        # A notification about a dispatch leads to its offer's page.
        links.register_via("dispatches", "web:offer_detail", selectors.offers_of_dispatches)

        # What the audit sentences say of a dispatch or a receipt: its item (and quantity).
        register_subject(
            Dispatch, "offer_line__item__name_en", "offer_line__item__name_fr", "quantity"
        )
        register_subject(
            Receipt, "dispatch__offer_line__item__name_en", "dispatch__offer_line__item__name_fr"
        )
