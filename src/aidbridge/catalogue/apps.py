from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "aidbridge.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        # The audit entries about this reference data: every role sees them.
        from aidbridge.audit import visibility
        from aidbridge.catalogue.models import Category, Item, Substitute

        visibility.register(Category)
        visibility.register(Item)
        visibility.register(Substitute)
