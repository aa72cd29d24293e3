from django.apps import AppConfig


class HospitalsConfig(AppConfig):
    name = "aidbridge.hospitals"
    label = "hospitals"
