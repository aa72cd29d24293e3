"""EDXL pages (namespace ``edxl``): public CAP alerts beside the sitreps' Atom feed."""

from django.urls import path

from aidbridge.edxl import views

app_name = "edxl"

urlpatterns = [
    path("public/sitreps/<int:pk>/cap/", views.public_cap, name="public_cap"),
]
