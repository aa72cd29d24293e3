from django.apps import AppConfig


class AirliftConfig(AppConfig):
    name = "aidbridge.airlift"
    label = "airlift"
    verbose_name = "Airlift"
