"""Double opt-in in a real browser: the link in the confirmation mail opens a
page that says what is being confirmed; opening it (what a mail scanner does)
confirms nothing; pressing its button does."""

import re

import pytest
from django.utils import timezone

from tests.browser.conftest import expect
from tests.builders import make_storyline
from watch import services
from watch.models import Subscription

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_confirmation_link_shows_a_page_and_its_button_confirms(page, screenshot, mailoutbox):
    make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    made = services.subscription_create(now=timezone.now(), email="reader@example.org", storyline="gaza-ceasefire")
    assert made.needs_confirmation
    services.subscription_send_confirmation(subscription=made.subscription)
    [mail] = mailoutbox
    link = re.search(r"https?://\S+/watch/confirm/\S+/", mail.body).group(0)

    response = page.goto(link)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your alerts")
    expect(page.locator("main")).to_contain_text("Send alerts about storyline Gaza ceasefire to reader@example.org?")
    button = page.get_by_role("button", name="Confirm")
    expect(button).to_be_visible()
    screenshot(page, "confirm-asks")
    # Loading the page (as a mail scanner would) changed nothing.
    assert Subscription.objects.get().confirmed_at is None

    button.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your alerts are on")
    expect(page.locator("main")).to_contain_text(
        "reader@example.org will receive alerts about storyline Gaza ceasefire."
    )
    screenshot(page, "confirm-done")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None and subscription.is_active
