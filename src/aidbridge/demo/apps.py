from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "aidbridge.demo"
    label = "demo"
