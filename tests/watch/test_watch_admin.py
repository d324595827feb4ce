"""Watch in the admin: editors read every delivery; only admins resend (the
same delivery id, back to pending); nobody edits rows, and a webhook secret is
never shown there."""

from datetime import date

import pytest
from django.urls import reverse

from tests.builders import day_when, make_milestone, make_storyline
from tests.factories import PASSWORD
from tests.watch.support import send_due, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.channels.base import DeliveryError
from watch.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_delivery(now, email_channel, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    storyline = make_storyline(slug="admin")
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    subscribe(now=now, storyline="admin", news=["moves"])
    subscribe("ops@example.org", now=now, storyline="admin", news=["verdicts"], send_email=False,
              webhook_url="http://127.0.0.1:9/hook")
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)
    email_channel.failures = [DeliveryError("550 no such user", retryable=False)]
    send_due(now)
    return Delivery.objects.get()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_editors_read_deliveries_but_cannot_resend_or_change_them(client, editor, dead_delivery):
    login(client, editor)
    listing = client.get(reverse("admin:watch_delivery_changelist") + "?state__exact=dead")
    assert listing.status_code == 200
    assert dead_delivery.public_id.encode() in listing.content
    assert b"Resend the selected" not in listing.content

    detail = client.get(reverse("admin:watch_delivery_change", args=[dead_delivery.pk]))
    assert detail.status_code == 200 and b"550 no such user" in detail.content
    client.post(reverse("admin:watch_delivery_changelist"),
                {"action": "resend", "_selected_action": [dead_delivery.pk]})
    assert Delivery.objects.get().state == "dead"


def test_admins_resend_a_dead_delivery_with_the_same_id(client, admin_user, dead_delivery):
    login(client, admin_user)
    listing = client.get(reverse("admin:watch_delivery_changelist"))
    assert b"Resend the selected" in listing.content

    response = client.post(reverse("admin:watch_delivery_changelist"),
                           {"action": "resend", "_selected_action": [dead_delivery.pk]}, follow=True)
    assert response.status_code == 200
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.public_id, delivery.attempts) == ("pending", dead_delivery.public_id, 1)


def test_nobody_adds_or_edits_watch_rows_in_the_admin(client, admin_user, dead_delivery):
    login(client, admin_user)
    assert client.get(reverse("admin:watch_subscription_add")).status_code == 403
    response = client.post(reverse("admin:watch_delivery_change", args=[dead_delivery.pk]), {"state": "sent"})
    assert response.status_code == 403
    assert Delivery.objects.get().state == "dead"


def test_a_webhook_secret_is_never_shown(client, admin_user, dead_delivery):
    login(client, admin_user)
    endpoint = Endpoint.objects.get(kind="webhook")
    for url in (reverse("admin:watch_endpoint_change", args=[endpoint.pk]), reverse("admin:watch_endpoint_changelist"),
                reverse("admin:watch_subscriber_change", args=[endpoint.subscriber_id])):
        page = client.get(url)
        assert page.status_code == 200
        assert endpoint.secret.encode() not in page.content


def test_every_watch_list_opens_for_an_editor(client, editor, dead_delivery):
    login(client, editor)
    for model in ("subscriber", "endpoint", "subscription", "reminderdue", "notification", "delivery",
                  "deliveryattempt"):
        assert client.get(reverse(f"admin:watch_{model}_changelist")).status_code == 200, model
