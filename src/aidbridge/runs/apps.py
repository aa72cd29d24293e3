from django.apps import AppConfig


class RunsConfig(AppConfig):
    name = "aidbridge.runs"
    label = "runs"
    verbose_name = "Planning runs"
