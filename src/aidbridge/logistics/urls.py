"""The dispatches list. Its name is in the pages' one namespace ``web`` (see
``aidbridge/urls.py``)."""

from django.urls import path

from aidbridge.logistics import views

urlpatterns = [
    path("dispatches/", views.dispatch_list, name="dispatch_list"),
]
