from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "aidbridge.intake"
    label = "intake"
