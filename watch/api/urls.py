"""Routes of /api/v1/ for alerts: subscriptions and deliveries. Mounted by
config/urls.py under the namespace "watch-api"; each route sends each method
to its own view class (timeline.api.framework.routing.route)."""

from django.urls import path

from timeline.api.framework import route

from . import views

app_name = "watch-api"

urlpatterns = [
    path("subscriptions/", route(get=views.SubscriptionList, post=views.SubscriptionCreate),
         name="subscription-list"),
    path("subscriptions/<int:pk>/", route(get=views.SubscriptionDetail, patch=views.SubscriptionPatch,
                                          delete=views.SubscriptionUnsubscribe), name="subscription-detail"),
    path("subscriptions/<int:pk>/rotate-secret/", route(post=views.SubscriptionRotateSecret),
         name="subscription-rotate-secret"),
    path("deliveries/", route(get=views.DeliveryList), name="delivery-list"),
    path("deliveries/<int:pk>/", route(get=views.DeliveryDetail), name="delivery-detail"),
    path("deliveries/<int:pk>/resend/", route(post=views.DeliveryResend), name="delivery-resend"),
]
