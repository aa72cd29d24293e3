from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "aidbridge.offers"
    label = "offers"
