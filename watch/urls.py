"""Subscriber pages, reached from links in emails (mounted under watch/)."""

from django.urls import path

from . import views

app_name = "watch"

urlpatterns = [
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("manage/<str:token>/", views.ManageView.as_view(), name="manage"),
]
