from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "aidbridge.interop"
    label = "interop"
    verbose_name = "Data exchange (import, export, backup)"
