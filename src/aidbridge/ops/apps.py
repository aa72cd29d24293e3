from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "aidbridge.ops"
    label = "ops"
