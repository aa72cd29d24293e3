"""The intake page's URL (namespace ``intake``)."""

from django.urls import path

from aidbridge.intake import views

app_name = "intake"

urlpatterns = [
    path("crises/<slug:code>/intake/", views.intake_page, name="page"),
]
