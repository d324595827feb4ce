"""Routes of /api/v1/ for the record. Mounted by config/urls.py under the
namespace "api-v1"; each route sends each method to its own view class."""

from django.urls import path

from .framework.routing import route
from .views import actions, items, reference, timeline

app_name = "api-v1"

urlpatterns = [
    # Reference data
    path("storylines/", route(get=reference.StorylineList, post=reference.StorylineCreate), name="storyline-list"),
    path("storylines/<slug:slug>/", route(get=reference.StorylineDetail, patch=reference.StorylinePatch),
         name="storyline-detail"),
    path("storylines/<slug:slug>/timeline/", route(get=timeline.StorylineTimeline), name="storyline-timeline"),
    path("actors/", route(get=reference.ActorList, post=reference.ActorCreate), name="actor-list"),
    path("actors/<slug:slug>/", route(get=reference.ActorDetail, patch=reference.ActorPatch), name="actor-detail"),
    path("outlets/", route(get=reference.OutletList, post=reference.OutletCreate), name="outlet-list"),
    path("outlets/<slug:slug>/", route(get=reference.OutletDetail), name="outlet-detail"),
    path("sources/", route(get=reference.SourceList, post=reference.SourceCreate), name="source-list"),
    path("sources/<int:pk>/", route(get=reference.SourceDetail), name="source-detail"),

    # Items of each kind
    path("events/", route(get=items.EventList, post=items.EventCreate), name="event-list"),
    path("events/<uuid:public_id>/", route(get=items.EventDetail, patch=items.EventPatch), name="event-detail"),
    path("milestones/", route(get=items.MilestoneList, post=items.MilestoneCreate), name="milestone-list"),
    path("milestones/<uuid:public_id>/", route(get=items.MilestoneDetail, patch=items.MilestonePatch),
         name="milestone-detail"),
    path("milestones/<uuid:public_id>/confirm/", route(post=actions.MilestoneConfirm), name="milestone-confirm"),
    path("milestones/<uuid:public_id>/postpone/", route(post=actions.MilestonePostpone), name="milestone-postpone"),
    path("milestones/<uuid:public_id>/happened/", route(post=actions.MilestoneHappened), name="milestone-happened"),
    path("milestones/<uuid:public_id>/cancel/", route(post=actions.MilestoneCancel), name="milestone-cancel"),
    path("expectations/", route(get=items.ExpectationList, post=items.ExpectationCreate), name="expectation-list"),
    path("expectations/<uuid:public_id>/", route(get=items.ExpectationDetail, patch=items.ExpectationPatch),
         name="expectation-detail"),
    path("expectations/<uuid:public_id>/settle/", route(post=actions.ExpectationSettle), name="expectation-settle"),
    path("expectations/<uuid:public_id>/overturn/", route(post=actions.ExpectationOverturn),
         name="expectation-overturn"),
    path("expectations/<uuid:public_id>/review/", route(post=actions.ExpectationReview), name="expectation-review"),
    path("expectations/<uuid:public_id>/trigger/", route(post=actions.ExpectationTrigger),
         name="expectation-trigger"),

    # Any item
    path("items/", route(get=items.ItemList), name="item-list"),
    path("items/<uuid:public_id>/", route(get=items.ItemDetail), name="item-detail"),
    path("items/<uuid:public_id>/history/", route(get=items.ItemHistory), name="item-history"),
    path("items/<uuid:public_id>/citations/", route(post=items.CitationAdd), name="item-citations"),
    path("items/<uuid:public_id>/publish/", route(post=items.ItemPublish), name="item-publish"),
    path("items/<uuid:public_id>/retract/", route(post=items.ItemRetract), name="item-retract"),
    path("items/<uuid:public_id>/correct/", route(post=items.ItemCorrect), name="item-correct"),

    # What is due, and the When preview
    path("due/", route(get=timeline.DueReport), name="due"),
    path("when/parse/", route(post=timeline.WhenParse), name="when-parse"),
]
