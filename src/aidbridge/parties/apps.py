from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "aidbridge.parties"
    label = "parties"

    def ready(self) -> None:
        # The audit entries about this reference data: every role sees them.
        from aidbridge.audit import visibility
        from aidbridge.parties.models import Party

        visibility.register(Party)
