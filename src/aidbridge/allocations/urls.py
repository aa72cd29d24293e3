"""The allocation pages (runs, and the proposals donors confirm or decline). Their names
are in the pages' one namespace ``web`` (see ``aidbridge/urls.py``)."""

from django.urls import path

from aidbridge.allocations import views

urlpatterns = [
    path("crises/<slug:code>/allocation/", views.allocation, name="allocation"),
    path("allocation-runs/<int:pk>/", views.allocation_run, name="allocation_run"),
    path("allocation-runs/<int:pk>/offers/", views.allocation_offers, name="allocation_offers"),
    path(
        "allocation-runs/<int:pk>/<slug:action>/",
        views.allocation_run_move,
        name="allocation_run_move",
    ),
    path("offers/<int:pk>/confirm/", views.offer_confirm, name="offer_confirm"),
    path(
        "offers/<int:pk>/decline-proposal/",
        views.offer_decline_proposal,
        name="offer_decline_proposal",
    ),
]
