from django.apps import AppConfig


class AllocationsConfig(AppConfig):
    name = "aidbridge.allocations"
    label = "allocations"

    def ready(self) -> None:
        # Who sees the audit entries about this app's rows (audit imports no app).
        from aidbridge.allocations.models import AllocationRun
        from aidbridge.allocations.selectors import runs_visible_to
        from aidbridge.audit import visibility

        visibility.register(AllocationRun, runs_visible_to)
