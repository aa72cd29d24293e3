from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "aidbridge.offers"
    label = "offers"

    def ready(self) -> None:
        # Who sees the audit entries about this app's rows (audit imports no app).
        from aidbridge.audit import visibility
        from aidbridge.audit.sentences import register_subject
        from aidbridge.offers import selectors, settle
        from aidbridge.offers.models import Offer, OfferLine

        visibility.register(Offer, selectors.offers_visible_to)
        visibility.register(OfferLine, selectors.offer_lines_visible_to)

        # What the audit sentences say of an offer line: its item.
        register_subject(OfferLine, "item__name_en", "item__name_fr")
        # Closing a request or a crisis (apps below this one) settles its offer lines.
        settle.connect()
