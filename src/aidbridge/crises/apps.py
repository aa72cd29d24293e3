from django.apps import AppConfig


class CrisesConfig(AppConfig):
    name = "aidbridge.crises"
    label = "crises"
