from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aidbridge.accounts"
    label = "accounts"

    def ready(self) -> None:
        from aidbridge.accounts import throttle

        throttle.connect()

        # Who sees the audit entries about accounts (audit imports no app).
        from django.contrib.auth import get_user_model

        from aidbridge.accounts.selectors import users_visible_to
        from aidbridge.audit import visibility

        visibility.register(get_user_model(), users_visible_to)
