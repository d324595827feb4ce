"""/feeds/: calendars (.ics) and news (.atom) per storyline, per actor and
for everything. Mounted by config/urls.py; the private feed of a
subscription (/feeds/s/<token>.ics) is watch's (watch/feeds.py)."""

from django.urls import path

from . import atom, views

app_name = "feeds"

urlpatterns = [
    path("storylines/<slug:slug>.ics", views.storyline_ics, name="storyline-ics"),
    path("actors/<slug:slug>.ics", views.actor_ics, name="actor-ics"),
    path("all.ics", views.all_ics, name="all-ics"),
    path("storylines/<slug:slug>.atom", atom.StorylineAtom(), name="storyline-atom"),
    path("actors/<slug:slug>.atom", atom.ActorAtom(), name="actor-atom"),
    path("all.atom", atom.AllAtom(), name="all-atom"),
]
