"""Routes of /api/v1/ for the record. Mounted by config/urls.py under the
namespace "api-v1"; one DRF generic view per path (core.api.views), so GET
on a collection is its list(), POST its create(), PATCH on a detail its
partial_update(), POST on an action path the action."""

from django.urls import path

from .views import actions, export, index, items, reference, timeline, timelinejs

app_name = "api-v1"

urlpatterns = [
    path("", index.ApiIndex.as_view(), name="index"),
    # Reference data
    path("storylines/", reference.StorylineListCreate.as_view(), name="storyline-list"),
    path("storylines/<slug:slug>/", reference.StorylineDetail.as_view(), name="storyline-detail"),
    path("storylines/<slug:slug>/timeline/", timeline.StorylineTimeline.as_view(), name="storyline-timeline"),
    path("storylines/<slug:slug>/timelinejs/", timelinejs.StorylineTimelineJS.as_view(), name="storyline-timelinejs"),
    path("storylines/<slug:slug>/export/", export.StorylineExport.as_view(), name="storyline-export"),
    path("actors/", reference.ActorListCreate.as_view(), name="actor-list"),
    path("actors/<slug:slug>/", reference.ActorDetail.as_view(), name="actor-detail"),
    path("outlets/", reference.OutletListCreate.as_view(), name="outlet-list"),
    path("outlets/<slug:slug>/", reference.OutletDetail.as_view(), name="outlet-detail"),
    path("sources/", reference.SourceListCreate.as_view(), name="source-list"),
    path("sources/<int:pk>/", reference.SourceDetail.as_view(), name="source-detail"),

    # Items of each kind
    path("events/", items.EventListCreate.as_view(), name="event-list"),
    path("events/<uuid:public_id>/", items.EventDetail.as_view(), name="event-detail"),
    path("milestones/", items.MilestoneListCreate.as_view(), name="milestone-list"),
    path("milestones/<uuid:public_id>/", items.MilestoneDetail.as_view(), name="milestone-detail"),
    path("milestones/<uuid:public_id>/confirm/", actions.MilestoneConfirm.as_view(), name="milestone-confirm"),
    path("milestones/<uuid:public_id>/postpone/", actions.MilestonePostpone.as_view(), name="milestone-postpone"),
    path("milestones/<uuid:public_id>/happened/", actions.MilestoneHappened.as_view(), name="milestone-happened"),
    path("milestones/<uuid:public_id>/cancel/", actions.MilestoneCancel.as_view(), name="milestone-cancel"),
    path("expectations/", items.ExpectationListCreate.as_view(), name="expectation-list"),
    path("expectations/<uuid:public_id>/", items.ExpectationDetail.as_view(), name="expectation-detail"),
    path("expectations/<uuid:public_id>/settle/", actions.ExpectationSettle.as_view(), name="expectation-settle"),
    path("expectations/<uuid:public_id>/overturn/", actions.ExpectationOverturn.as_view(),
         name="expectation-overturn"),
    path("expectations/<uuid:public_id>/review/", actions.ExpectationReview.as_view(), name="expectation-review"),
    path("expectations/<uuid:public_id>/trigger/", actions.ExpectationTrigger.as_view(),
         name="expectation-trigger"),

    # Any item
    path("items/", items.ItemList.as_view(), name="item-list"),
    path("items/<uuid:public_id>/", items.ItemDetail.as_view(), name="item-detail"),
    path("items/<uuid:public_id>/history/", items.ItemHistory.as_view(), name="item-history"),
    path("items/<uuid:public_id>/citations/", items.CitationAdd.as_view(), name="item-citations"),
    path("items/<uuid:public_id>/publish/", items.ItemPublish.as_view(), name="item-publish"),
    path("items/<uuid:public_id>/retract/", items.ItemRetract.as_view(), name="item-retract"),
    path("items/<uuid:public_id>/correct/", items.ItemCorrect.as_view(), name="item-correct"),

    # What is due, and the When preview
    path("due/", timeline.DueReport.as_view(), name="due"),
    path("when/parse/", timeline.WhenParse.as_view(), name="when-parse"),
]
