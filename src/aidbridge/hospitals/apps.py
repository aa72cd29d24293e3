from django.apps import AppConfig


class HospitalsConfig(AppConfig):
    name = "aidbridge.hospitals"
    label = "hospitals"

    def ready(self) -> None:
        # Accepted MEDEVAC transfers become airlift consignments (airlift.sources).
        from aidbridge.airlift.sources import register
        from aidbridge.hospitals.airlift_source import MedevacTransfers

        register(MedevacTransfers())
