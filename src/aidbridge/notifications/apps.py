from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "aidbridge.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Match notifications read needs and stock (apps above the inbox's layer): the
        # services that circulate a request or post stock signal, matching listens.
        from aidbridge.notifications import matching

        matching.connect()
