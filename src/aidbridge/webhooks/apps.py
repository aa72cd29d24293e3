from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "aidbridge.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from aidbridge.audit.services import recorded
        from aidbridge.outbox import transports
        from aidbridge.webhooks import events, signing

        # Events are made in one place: from the audit entry every business action
        # writes, in its transaction (see ``events``); no service knows of webhooks.
        recorded.connect(events.on_recorded, dispatch_uid="aidbridge.webhooks.events")
        transports.register(signing.SCHEME, signing.prepare)
