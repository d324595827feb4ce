"""Assigning an item: a logged, revision-guarded edit of the record, and a
watch subscription kept in step, so the assignee gets the item's reminders
and, alone, its "due now, needs a verdict" notice."""

from datetime import date, timedelta

import pytest

from desk.services import assign
from tests.builders import day_when, make_milestone, make_storyline
from tests.factories import make_editor, make_user
from tests.watch.support import subscribe
from timeline import services as timeline_services
from timeline.exceptions import InvalidInput, StaleRevision
from timeline.models import Change
from watch.models import Notification, ReminderDue, Subscription
from watch.services import process_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(db):
    return make_editor("reporter", email="reporter@example.org")


@pytest.fixture
def davos(now):
    return make_milestone(now=now, when=day_when(date(2026, 12, 23), tz="Europe/Zurich"), title="Davos")


def live_subscriptions(user):
    return Subscription.objects.filter(subscriber__user=user, unsubscribed_at__isnull=True)


def test_assigning_logs_the_change_and_subscribes_the_assignee(davos, editor, reporter, now):
    assign(item=davos, assignee=reporter, by=editor, now=now, expected_revision=davos.revision)

    davos.refresh_from_db()
    assert davos.assignee == reporter
    change = Change.objects.filter(item=davos).order_by("id").last()
    assert (change.kind, change.by_user, change.public) == ("edited", editor, False)
    assert (change.before, change.after) == ({"assignee": None}, {"assignee": reporter.pk})
    assert change.reason == "Assigned to reporter."
    [subscription] = live_subscriptions(reporter)
    assert (subscription.target, subscription.item_id) == ("item", davos.pk)
    assert subscription.via_assignment and subscription.made_by_assignment and subscription.is_active
    assert subscription.email_endpoint.address == "reporter@example.org"
    # The assignee's default lead times are in the item's reminder schedule.
    leads = set(ReminderDue.objects.filter(item=davos, state="pending").values_list("lead", flat=True))
    assert leads == {timedelta(days=7), timedelta(days=1)}


def test_reassigning_ends_the_old_subscription_and_unassigning_the_new(davos, editor, reporter, now):
    other = make_editor("other", email="other@example.org")
    assign(item=davos, assignee=reporter, by=editor, now=now)
    assign(item=davos, assignee=other, by=editor, now=now)
    assert not live_subscriptions(reporter).exists()
    assert live_subscriptions(other).get().via_assignment

    assign(item=davos, assignee=None, by=editor, now=now)
    davos.refresh_from_db()
    assert davos.assignee is None
    assert not live_subscriptions(other).exists()
    assert [c.reason for c in Change.objects.filter(item=davos, kind="edited").order_by("id")] == [
        "Assigned to reporter.", "Assigned to other.", "Unassigned."]


def test_a_subscription_of_their_own_is_flagged_and_kept(davos, editor, reporter, now):
    own = subscribe(now=now, user=reporter, item=davos, lead_times=["3d"])
    assign(item=davos, assignee=reporter, by=editor, now=now)
    own.refresh_from_db()
    assert own.via_assignment and not own.made_by_assignment
    assert own.lead_times == [3 * 86400], "the person's own choices stay"

    assign(item=davos, assignee=None, by=editor, now=now)
    own.refresh_from_db()
    assert own.unsubscribed_at is None and not own.via_assignment


def test_a_stale_page_writes_nothing(davos, editor, reporter, now):
    seen = davos.revision
    timeline_services.item_edit(item=davos, by=editor, now=now, title="Davos, first meeting")
    with pytest.raises(StaleRevision):
        assign(item=davos, assignee=reporter, by=editor, now=now, expected_revision=seen)
    davos.refresh_from_db()
    assert davos.assignee is None
    assert not live_subscriptions(reporter).exists()


def test_only_staff_can_be_assigned(davos, editor, now):
    reader = make_user("reader")
    with pytest.raises(InvalidInput) as refused:
        assign(item=davos, assignee=reader, by=editor, now=now)
    assert "assignee" in refused.value.fields
    assert not Subscription.objects.exists()


def test_only_the_assignee_hears_that_it_is_due_now(editor, reporter, now):
    gaza = make_storyline("Gaza ceasefire")
    past = make_milestone(now=now - timedelta(days=30), when=day_when(date(2026, 11, 1)), title="Phase two",
                          storylines=[gaza])
    follower = subscribe("follower@example.org", now=now, storyline=gaza)
    assign(item=past, assignee=reporter, by=editor, now=now)
    process_changes(now=now)

    assert timeline_services.items_notice_overdue(now=now) == 1
    process_changes(now=now)

    due_now = Notification.objects.filter(item=past, kind="due_now")
    assert [n.endpoint.address for n in due_now] == ["reporter@example.org"]
    [notice] = due_now
    assert notice.headline == "Due now, needs a verdict: Phase two"
    assert "needs a verdict" in notice.detail
    assert notice.delivery is not None, "an immediate alert, not a digest line"
    assert not Notification.objects.filter(endpoint=follower.email_endpoint, kind="due_now").exists()


def test_the_due_now_notice_arrives_as_an_email_to_the_assignee(editor, reporter, now, mailoutbox):
    from tests.watch.support import send_due

    past = make_milestone(now=now - timedelta(days=30), when=day_when(date(2026, 11, 1)), title="Phase two")
    process_changes(now=now)  # its creation, before anyone watched it
    assign(item=past, assignee=reporter, by=editor, now=now)
    process_changes(now=now)
    timeline_services.items_notice_overdue(now=now)
    process_changes(now=now)
    assert send_due(now) == ["sent"]
    [message] = mailoutbox
    assert message.to == ["reporter@example.org"]
    assert message.subject == "Due now, needs a verdict: Phase two"
    assert "needs a verdict" in message.body


def test_staff_without_an_email_cannot_be_assigned_and_nothing_is_written(davos, editor, now):
    mute = make_editor("mute", email="")
    with pytest.raises(InvalidInput) as refused:
        assign(item=davos, assignee=mute, by=editor, now=now, expected_revision=davos.revision)
    assert "no email address" in refused.value.message
    davos.refresh_from_db()
    assert davos.assignee is None
    assert not Change.objects.filter(item=davos, kind="edited").exists(), "the assignment rolled back with it"
