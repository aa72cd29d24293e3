from django.apps import AppConfig


class AirliftConfig(AppConfig):
    name = "aidbridge.airlift"
    label = "airlift"
    verbose_name = "Airlift"

    def ready(self) -> None:
        # Who sees the audit entries about this app's rows (audit imports no app).
        from aidbridge.airlift import selectors
        from aidbridge.airlift.models import (
            Aircraft,
            AircraftType,
            AirfieldLimit,
            AirliftPlanRun,
            Sortie,
        )
        from aidbridge.audit import visibility

        visibility.register(AirliftPlanRun, selectors.plan_runs_visible_to)
        visibility.register(Sortie, selectors.sorties_visible_to)
        for reference in (AircraftType, Aircraft, AirfieldLimit):
            visibility.register(reference)  # the fleet: every role
