"""Hospital pages (namespace ``hospitals``)."""

from django.urls import path

from aidbridge.hospitals import matching_views, transfer_views, views

app_name = "hospitals"

urlpatterns = [
    path("hospitals/", views.hospital_list, name="list"),
    path("hospitals/new/", views.hospital_new, name="new"),
    path("hospitals/have.xml", views.have_export, name="have_export"),
    path("hospitals/<int:pk>/", views.hospital_detail, name="detail"),
    path(
        "rfas/<int:pk>/lines/<int:line_pk>/transfer/",
        transfer_views.transfer_need,
        name="transfer_need",
    ),
    path("rfas/<int:pk>/bed-offer/", transfer_views.bed_offer, name="bed_offer"),
    path("crises/<slug:code>/transfers/", matching_views.transfers_page, name="transfers"),
    path(
        "proposed-transfers/<int:pk>/depart/",
        matching_views.transfer_depart,
        name="transfer_depart",
    ),
    path(
        "transfer-matching-runs/<int:pk>/<slug:action>/",
        matching_views.transfer_run_move,
        name="transfer_run_move",
    ),
]
