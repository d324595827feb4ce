from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("verdicts/", views.verdicts, name="verdicts"),
    path("recent/", views.recent, name="recent"),
    path("proposed/", views.proposed, name="proposed"),
    path("items/<uuid:public_id>/assign/", views.assign_view, name="assign"),
    path("items/<uuid:public_id>/<slug:move>/", views.act, name="act"),
]
