"""Subscriber pages: the subscribe form's, and those reached from links in emails (mounted under watch/)."""

from django.urls import path

from . import views

app_name = "watch"

urlpatterns = [
    path("subscribe/", views.SubscribeView.as_view(), name="subscribe"),
    path("subscribe/sent/", views.subscribe_sent, name="subscribe-sent"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("manage/<str:token>/", views.ManageView.as_view(), name="manage"),
]
