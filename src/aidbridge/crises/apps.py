from django.apps import AppConfig


class CrisesConfig(AppConfig):
    name = "aidbridge.crises"
    label = "crises"

    def ready(self) -> None:
        # The audit entries about this reference data: every role sees them.
        from aidbridge.audit import visibility
        from aidbridge.crises.models import Crisis

        visibility.register(Crisis)
