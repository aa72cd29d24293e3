"""The offer pages (an offer, its lines' decisions, dispatches and receipts from its page).
Their names are in the pages' one namespace ``web`` (see ``aidbridge/urls.py``)."""

from django.urls import path

from aidbridge.offers import views

urlpatterns = [
    path("crises/<slug:code>/standing-offer/", views.unsolicited_new, name="unsolicited_new"),
    path("rfas/<int:pk>/offer/", views.offer_new, name="offer_new"),
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offer-lines/<int:pk>/accept/", views.offer_line_accept, name="offer_line_accept"),
    path("offer-lines/<int:pk>/decline/", views.offer_line_decline, name="offer_line_decline"),
    path("offer-lines/<int:pk>/withdraw/", views.offer_line_withdraw, name="offer_line_withdraw"),
    path("offer-lines/<int:pk>/dispatch/", views.offer_line_dispatch, name="offer_line_dispatch"),
    path("dispatches/<int:pk>/receipt/", views.dispatch_receipt, name="dispatch_receipt"),
]
