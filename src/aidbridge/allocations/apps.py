from django.apps import AppConfig


class AllocationsConfig(AppConfig):
    name = "aidbridge.allocations"
    label = "allocations"
