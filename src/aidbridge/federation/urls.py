from django.urls import path

from aidbridge.federation import views

urlpatterns = [
    path("api/v1/federation/messages", views.messages, name="federation-messages"),
]
