"""Routes of /api/v1/ for alerts: subscriptions and deliveries. Mounted by
config/urls.py under the namespace "watch-api"; one DRF generic view per
path (core.api.views)."""

from django.urls import path

from . import views

app_name = "watch-api"

urlpatterns = [
    path("subscriptions/", views.SubscriptionListCreate.as_view(), name="subscription-list"),
    path("subscriptions/<int:pk>/", views.SubscriptionDetail.as_view(), name="subscription-detail"),
    path("subscriptions/<int:pk>/rotate-secret/", views.SubscriptionRotateSecret.as_view(),
         name="subscription-rotate-secret"),
    path("deliveries/", views.DeliveryList.as_view(), name="delivery-list"),
    path("deliveries/<int:pk>/", views.DeliveryDetail.as_view(), name="delivery-detail"),
    path("deliveries/<int:pk>/resend/", views.DeliveryResend.as_view(), name="delivery-resend"),
]
