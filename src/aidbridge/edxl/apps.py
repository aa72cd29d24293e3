from django.apps import AppConfig


class EdxlConfig(AppConfig):
    name = "aidbridge.edxl"
    label = "edxl"
    verbose_name = "EDXL interchange (EDXL-DE 1.0, EDXL-RM 1.0, CAP 1.2)"
