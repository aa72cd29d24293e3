"""The outbox page (namespace ``outbox``)."""

from django.urls import path

from aidbridge.outbox import views

app_name = "outbox"

urlpatterns = [
    path("outbox/", views.outbox_page, name="page"),
    path("outbox/<int:pk>/retry/", views.retry, name="retry"),
]
