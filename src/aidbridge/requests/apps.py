from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "aidbridge.requests"
    label = "requests"
