"""Sitrep pages (namespace ``sitreps``); the ``public/`` ones need no login."""

from django.urls import path

from aidbridge.sitreps import views

app_name = "sitreps"

urlpatterns = [
    path("crises/<slug:code>/sitreps/", views.crisis_list, name="crisis_list"),
    path("crises/<slug:code>/sitreps/draft/", views.draft, name="draft"),
    path("sitreps/<int:pk>/", views.document, name="document"),
    path("sitreps/<int:pk>/pdf/", views.pdf, name="pdf"),
    path("sitreps/<int:pk>/edit/", views.edit, name="edit"),
    path("sitreps/<int:pk>/publish/", views.publish, name="publish"),
    path("public/sitreps/", views.public_list, name="public_list"),
    path("public/sitreps/feed/", views.PublicSitrepFeed(), name="public_feed"),
    path("public/sitreps/<int:pk>/", views.public_document, name="public_document"),
    path("public/sitreps/<int:pk>/pdf/", views.public_pdf, name="public_pdf"),
]
