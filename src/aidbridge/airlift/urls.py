"""Airlift pages (namespace ``airlift``)."""

from django.urls import path

from aidbridge.airlift import views

app_name = "airlift"

urlpatterns = [
    path("crises/<slug:code>/airlift/", views.plan_page, name="plan_page"),
    path("crises/<slug:code>/airlift/plan/", views.request_plan, name="request_plan"),
    path("airlift/plans/<int:pk>/approve/", views.approve, name="approve"),
    path("airlift/plans/<int:pk>/<slug:action>/", views.plan_move, name="plan_move"),
    path("airlift/sorties/<int:pk>/<slug:action>/", views.move, name="move"),
]
