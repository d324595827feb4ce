"""The public pages, mounted at the site's root by config/urls.py. Alerts
link to an item as settings.WATCH_ITEM_URL, which must agree with the
"item" route here (tests/pages/test_item_page.py checks it)."""

from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("storylines/<slug:slug>/", views.storyline, name="storyline"),
    path("items/<uuid:public_id>/", views.item, name="item"),
    path("actors/<slug:slug>/", views.actor, name="actor"),
    path("outlets/<slug:slug>/", views.outlet, name="outlet"),
    path("search/", views.search, name="search"),
]
