from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "aidbridge.audit"
    label = "audit"
