from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aidbridge.accounts"
    label = "accounts"

    def ready(self) -> None:
        from aidbridge.accounts import throttle

        throttle.connect()
