from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "aidbridge.offers"
    label = "offers"

    def ready(self) -> None:
        # Who sees the audit entries about this app's rows (audit imports no app).
        from aidbridge.audit import visibility
        from aidbridge.offers import selectors
        from aidbridge.offers.models import Offer, OfferLine

        visibility.register(Offer, selectors.offers_visible_to)
        visibility.register(OfferLine, selectors.offer_lines_visible_to)
