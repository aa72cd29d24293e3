from django.apps import AppConfig


class SitrepsConfig(AppConfig):
    name = "aidbridge.sitreps"
    label = "sitreps"
    verbose_name = "Situation reports"

    def ready(self) -> None:
        # Who sees the audit entries about this app's rows (audit imports no app).
        from aidbridge.audit import visibility
        from aidbridge.sitreps.models import Sitrep
        from aidbridge.sitreps.selectors import visible_sitreps

        visibility.register(Sitrep, visible_sitreps)
