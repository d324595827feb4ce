"""The manage page of a signed link, in a real browser: every subscription of
the address with its own unsubscribe button; leaving one keeps the others."""

import pytest
from django.utils import timezone

from tests.browser.conftest import expect
from tests.builders import make_actor, make_storyline
from tests.watch.support import subscribe
from watch import services
from watch.models import Subscription

pytestmark = pytest.mark.django_db(transaction=True)


def test_unsubscribing_one_from_the_manage_page_leaves_the_others(page, screenshot):
    now = timezone.now()
    make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    make_storyline("Iran's nuclear and missile programs", slug="iran-nuclear")
    make_actor("Hamas", slug="hamas")
    gaza = subscribe("reader@example.org", now=now, storyline="gaza-ceasefire")
    hamas = subscribe("reader@example.org", now=now, actor="hamas")
    iran = subscribe("reader@example.org", now=now, storyline="iran-nuclear")

    response = page.goto(services.manage_link(gaza.subscriber_id))

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts for reader@example.org")
    rows = page.locator("ul.subscriptions > li")
    expect(rows.locator("strong")).to_have_text(
        ["storyline Gaza ceasefire", "actor Hamas", "storyline Iran's nuclear and missile programs"]
    )
    for index in range(3):
        expect(rows.nth(index).get_by_role("button", name="Unsubscribe")).to_be_visible()
    screenshot(page, "manage-all")

    rows.filter(has_text="actor Hamas").get_by_role("button", name="Unsubscribe").click()

    expect(page.get_by_text("Done: that subscription has ended.")).to_be_visible()
    expect(rows.locator("strong")).to_have_text(
        ["storyline Gaza ceasefire", "storyline Iran's nuclear and missile programs"]
    )
    assert page.url.endswith("?left=1")
    screenshot(page, "manage-after-leaving-one")
    assert Subscription.objects.get(pk=hamas.pk).unsubscribed_at is not None
    assert Subscription.objects.get(pk=gaza.pk).is_active and Subscription.objects.get(pk=iran.pk).is_active
