from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "aidbridge.outbox"
    label = "outbox"
    verbose_name = "Outbox"
