"""The unsubscribe link of an email, in a real browser: opening it (what a
mail scanner does) only asks; the button unsubscribes and says so. A link
altered on the way gets a clear 400 page, not a server error."""

import pytest
from django.utils import timezone

from tests.browser.conftest import expect
from tests.builders import make_actor, make_storyline
from tests.watch.support import subscribe
from watch import services
from watch.models import Endpoint, Subscription

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def subscriptions():
    """A reader following a storyline and an actor, both confirmed."""
    now = timezone.now()
    make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    make_actor("Hamas", slug="hamas")
    return (
        subscribe("reader@example.org", now=now, storyline="gaza-ceasefire"),
        subscribe("reader@example.org", now=now, actor="hamas"),
    )


def test_the_link_asks_first_and_the_button_unsubscribes(page, screenshot, subscriptions):
    storyline_sub, actor_sub = subscriptions
    endpoint = Endpoint.objects.get(kind="email", address="reader@example.org")
    link = services.unsubscribe_link(endpoint, [storyline_sub.pk])

    response = page.goto(link)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe reader@example.org?")
    expect(page.get_by_role("listitem")).to_have_text(["storyline Gaza ceasefire"])
    screenshot(page, "unsubscribe-asks")
    assert Subscription.objects.get(pk=storyline_sub.pk).unsubscribed_at is None  # the GET changed nothing

    page.get_by_role("button", name="Unsubscribe").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    expect(page.locator("main")).to_contain_text("reader@example.org will receive no more of these alerts.")
    expect(page.get_by_role("link", name="See what else this address follows")).to_be_visible()
    screenshot(page, "unsubscribe-done")
    stopped = Subscription.objects.get(pk=storyline_sub.pk)
    assert stopped.unsubscribed_at is not None and not stopped.is_active
    # The link named one subscription: the other one goes on.
    assert Subscription.objects.get(pk=actor_sub.pk).is_active


def test_an_altered_link_gets_a_clear_400_page(page, screenshot, subscriptions):
    storyline_sub, _ = subscriptions
    endpoint = Endpoint.objects.get(kind="email", address="reader@example.org")
    link = services.unsubscribe_link(endpoint, [storyline_sub.pk])
    last = link.rstrip("/")[-1]
    altered = link.rstrip("/")[:-1] + ("B" if last == "A" else "A") + "/"

    response = page.goto(altered)

    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    expect(page.locator(".error")).to_have_text("The link is not valid: it was altered, or was made for something else.")
    expect(page.get_by_role("button")).to_have_count(0)
    screenshot(page, "unsubscribe-bad-link")
    assert Subscription.objects.get(pk=storyline_sub.pk).is_active
