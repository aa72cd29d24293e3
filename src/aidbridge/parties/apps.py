from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "aidbridge.parties"
    label = "parties"
