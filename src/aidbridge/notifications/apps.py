from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "aidbridge.notifications"
    label = "notifications"
