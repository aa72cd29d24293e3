"""The audit trail page. Its name is in the pages' one namespace ``web`` (see
``aidbridge/urls.py``)."""

from django.urls import path

from aidbridge.audit import views

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
]
