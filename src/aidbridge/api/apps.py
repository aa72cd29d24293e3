from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "aidbridge.api"
    label = "api"
