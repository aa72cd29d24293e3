from django.apps import AppConfig


class WebConfig(AppConfig):
    """The pages people use in a crisis (HTML, htmx), on top of the services."""

    name = "aidbridge.web"
    label = "web"
