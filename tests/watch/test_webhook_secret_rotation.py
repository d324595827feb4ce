"""Rotating a webhook secret: the new one is returned once, and both sign
until the overlap ends."""

from datetime import timedelta

import pytest

from tests.builders import make_storyline
from watch import services
from watch.models import Endpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loopback_webhooks")]


def test_both_secrets_sign_during_the_overlap_then_only_the_new_one(now, settings):
    settings.WATCH_SECRET_ROTATION_OVERLAP = timedelta(hours=72)
    make_storyline(slug="s")
    old = services.subscription_create(now=now, email="ops@example.org", storyline="s", send_email=False,
                                       webhook_url="http://127.0.0.1:9000/hook", confirmed=True).webhook_secret
    endpoint = Endpoint.objects.get()

    new = services.webhook_rotate_secret(endpoint=endpoint, now=now)

    assert new != old and new.startswith("whsec_")
    assert endpoint.signing_secrets(now) == (new, old)
    assert endpoint.signing_secrets(now + timedelta(hours=71)) == (new, old)
    assert endpoint.signing_secrets(now + timedelta(hours=72)) == (new,)


def test_only_webhooks_have_secrets(now):
    make_storyline(slug="s")
    services.subscription_create(now=now, email="r@example.org", storyline="s", confirmed=True)
    with pytest.raises(Exception, match="Only a webhook endpoint has a secret"):
        services.webhook_rotate_secret(endpoint=Endpoint.objects.get(), now=now)
