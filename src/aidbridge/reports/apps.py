from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "aidbridge.reports"
    label = "reports"
