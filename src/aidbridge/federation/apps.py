from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "aidbridge.federation"
    label = "federation"

    def ready(self) -> None:
        from aidbridge.audit.services import recorded
        from aidbridge.federation import hooks, signing
        from aidbridge.outbox import transports

        # Like webhooks: what a change sends to partner centres follows from the audit
        # entry every business action writes in its transaction; no service knows of it.
        recorded.connect(hooks.on_recorded, dispatch_uid="aidbridge.federation.hooks")
        transports.register(signing.SCHEME, signing.prepare, on_refused=signing.refused)
