"""Hospital pages (namespace ``hospitals``)."""

from django.urls import path

from aidbridge.hospitals import transfer_views, views

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
]
