from django.apps import AppConfig


class SitrepsConfig(AppConfig):
    name = "aidbridge.sitreps"
    label = "sitreps"
    verbose_name = "Situation reports"
