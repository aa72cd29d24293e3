from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aidbridge.core"
    label = "core"
