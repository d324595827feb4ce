"""A reader's way through the site, in Chromium, against the real pieces.

The reader opens `/`, goes to the Gaza ceasefire storyline and sees both
January expectations missed by the system, with the reason and the source;
opens the Davos item from the link of a real alert (the demo subscriber's
"Missed" mail); subscribes to it by email; receives the confirmation at an
aiosmtpd server run by this test, sent by a real Celery worker process from
the outbox the request wrote; confirms; changes to a daily digest on the
manage page; unsubscribes and undoes it.

Every page is looked at at a phone's (390 px) and a desktop's (1280 px)
width: a screenshot into artifacts/journey/ (not committed), axe-core with no
serious or critical violation, and no sideways scrolling.

The worker is the integration tests' (tests/integration/support.py), on the
tests' Redis database (TEST_REDIS_URL, emptied before and after) and the test
database; it needs PostgreSQL.
"""

from __future__ import annotations

import io
import os
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.browser.conftest import TIMEOUT_MS, expect
from tests.browser.test_pages import AXE_JS, BLOCKING, ROOT, WIDTHS
from tests.conftest import DEFAULT_TEST_REDIS_URL, connect_test_redis, service_unavailable
from tests.integration.support import (
    Worker, database_url, running_mailbox, text_of, wait_changes_processed, wait_for_idle_broker, wait_until,
)
from watch.demo import DEMO_EMAIL
from watch.models import Subscription

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACTS = ROOT / "artifacts" / "journey"
READER = "reader@example.org"
DAVOS_EXPECTATION = "The Board of Peace first meets in Davos on Jan. 23, with Trump in the chair"
DAVOS_MILESTONE = "The Gaza Board of Peace holds its first meeting, chaired by Trump, in Davos"


@pytest.fixture
def axe_js():
    if not AXE_JS.exists():
        service_unavailable(f"needs axe-core at {AXE_JS}: run `make install` (npm install axe-core@4 into .cache/npm)")
    return AXE_JS


@pytest.fixture
def mailbox():
    with running_mailbox() as handler:
        yield handler


@pytest.fixture
def redis_broker():
    """This process's Celery app (the live server's thread included)
    publishes to the tests' Redis database."""
    from config.celery_app import app

    url = os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    client = connect_test_redis(url)
    client.flushdb()
    previous = (app.conf.broker_url, app.conf.broker_transport_options)

    def use(broker_url, options):
        app.conf.broker_url = broker_url
        app.conf.broker_transport_options = options
        app._after_fork()  # drop pools built for the previous broker

    use(url, {"visibility_timeout": 3600})
    yield url, client
    use(*previous)
    client.flushdb()
    client.close()


@pytest.fixture
def worker(site, redis_broker, mailbox, tmp_path, settings):
    if connection.vendor != "postgresql":
        service_unavailable(f"the reader's journey needs PostgreSQL for its worker, not {connection.vendor}")
    url, client = redis_broker
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("DJANGO_", "CELERY_", "FW_", "EMAIL_", "DATABASE_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{mailbox.port}",
        # Links in its mails (confirm, item, manage) point at this test's server.
        "FW_SITE_URL": site,
        "FW_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    })
    process = Worker(env=env, log_path=tmp_path / "worker.log", name="journey@%h")
    process.start()
    try:
        yield process
    finally:
        try:
            wait_for_idle_broker(client, timeout=60, what="the worker to finish the journey's tasks")
        finally:
            process.stop()


@pytest.fixture
def look(page, axe_js):
    """look(name): the page at phone and desktop width: screenshot, axe, no
    sideways scroll. Problems are gathered and asserted at the end."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}

    def at_both_widths(name: str) -> None:
        for width, size in WIDTHS.items():
            page.set_viewport_size(size)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.setdefault(f"{name} ({width})", []).append(f"{overflow}px wider than the screen")
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            page.add_script_tag(path=str(axe_js))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            found = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                     for v in result["violations"] if v["impact"] in BLOCKING]
            if found:
                problems.setdefault(f"{name} ({width})", []).extend(found)
        page.set_viewport_size(WIDTHS["desktop"])

    yield at_both_widths
    assert not problems, problems


@pytest.fixture
def page(browser, site):
    # The reader is in Zurich: the form's few lines of script put that zone in for them.
    context = browser.new_context(base_url=site, viewport=WIDTHS["desktop"], locale="en-GB",
                                  timezone_id="Europe/Zurich")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def link_in(message, pattern: str) -> str:
    found = re.search(pattern, text_of(message))
    assert found, f"no link matching {pattern!r} in:\n{text_of(message)}"
    return found.group(0)


def test_a_reader_finds_the_verdicts_subscribes_confirms_switches_to_a_digest_and_undoes_leaving(
    worker, mailbox, page, look
):
    # The demo record, its subscriber, and the overdue sweep, as `make run` loads them; the worker
    # processes the change rows and mails the demo subscriber its two "Missed" notices.
    call_command("load_demo", now=timezone.now().isoformat(), stdout=io.StringIO())

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forecast Watch")
    look("home")
    page.get_by_role("link", name="Gaza ceasefire", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gaza ceasefire")
    missed = page.locator("#scoreboard .scorecard--missed")
    expect(missed).to_have_count(2)
    for card in (missed.nth(0), missed.nth(1)):
        expect(card).to_contain_text("Decided by the system")
        expect(card).to_contain_text("grace period of 7 days has passed")
        expect(card.get_by_role("link", name="Axios")).to_be_visible()
    expect(missed.nth(0)).to_contain_text("during January 2026")
    expect(missed.nth(1)).to_contain_text("on 23 Jan 2026")
    look("storyline")

    # An alert's link: the demo subscriber's "Missed" mail about the Davos expectation.
    def davos_alert():
        return next((m for m in mailbox.messages(to=DEMO_EMAIL) if DAVOS_EXPECTATION in text_of(m)), None)

    alert = wait_until(davos_alert, timeout=60, what="the demo subscriber's Missed notice about Davos",
                       seen=lambda: [m["Subject"] for m in mailbox.messages()])
    page.goto(link_in(alert, r"https?://\S+/items/[0-9a-f-]+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(DAVOS_EXPECTATION)
    page.get_by_role("link", name=DAVOS_MILESTONE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DAVOS_MILESTONE)
    expect(page.locator(".item-page__state")).to_contain_text("23 Jan 2026")
    look("davos-item")

    # Subscribe to it by email.
    form = page.locator("#follow form")
    expect(form.get_by_label("Your time zone")).to_have_value("Europe/Zurich")
    form.get_by_label("Your email address").fill(READER)
    form.get_by_role("button", name="Get alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    look("check-your-inbox")
    subscription = Subscription.objects.select_related("subscriber").get(subscriber__email=READER)
    assert (subscription.target, subscription.item.title, subscription.subscriber.tz) == (
        "item", DAVOS_MILESTONE, "Europe/Zurich")
    assert subscription.confirmed_at is None

    # The worker sends the confirmation from the outbox; the reader opens it and confirms.
    mail = wait_until(lambda: mailbox.messages(to=READER), timeout=60, what="the confirmation mail",
                      seen=lambda: [m["Subject"] for m in mailbox.messages()])[0]
    assert mail["Subject"] == f"Confirm your Forecast Watch alerts: item {DAVOS_MILESTONE}"
    page.goto(link_in(mail, r"https?://\S+/watch/confirm/\S+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your alerts")
    look("confirm")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alerts are on")
    look("confirmed")
    assert Subscription.objects.get(pk=subscription.pk).is_active

    # The manage page: a daily digest at 07:00 in Zurich.
    page.get_by_role("link", name="Choose which news and when").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Alerts for {READER}")
    row = page.locator("ul.subscriptions > li")
    expect(row).to_have_count(1)
    row.get_by_text("Change which news and when").click()
    row.get_by_label("A daily digest").check()
    row.get_by_label("Hour of the digest").select_option("7")
    look("manage")
    row.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(row).to_contain_text("daily digest at 07:00 Europe/Zurich")
    changed = Subscription.objects.select_related("subscriber").get(pk=subscription.pk)
    assert (changed.cadence, changed.subscriber.digest_hour) == ("digest", 7)
    look("manage-saved")

    # Unsubscribe, then think better of it.
    row.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_have_text("Done: that subscription has ended.")
    expect(page.locator("ul.subscriptions > li")).to_have_count(0)
    assert not Subscription.objects.get(pk=subscription.pk).is_active
    look("unsubscribed")
    page.get_by_role("button", name=re.compile("^Undo")).click()
    expect(page.get_by_role("status")).to_have_text("Undone: the subscription is back.")
    expect(page.locator("ul.subscriptions > li")).to_contain_text(f"item {DAVOS_MILESTONE}")
    look("undone")
    back = Subscription.objects.get(pk=subscription.pk)
    assert back.is_active and back.cadence == "digest"
    wait_changes_processed()


def test_the_form_again_with_its_errors_and_the_too_many_requests_page(page, look, settings):
    """Bad input: the form again with a message at each field, nothing
    written; past the limit: the 429 page in the site's look."""
    from django.core.cache import cache

    from tests.builders import make_storyline

    make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    cache.clear()
    settings.WATCH_SUBSCRIBE_RATE_PER_IP = "1/hour"
    page.goto("/storylines/gaza-ceasefire/")
    form = page.locator("#follow form")
    form.get_by_label("Your email address").fill("reader@")
    form.get_by_label("Your time zone").fill("Mars/Olympus")
    form.get_by_label("30 days before").check()
    form.get_by_role("button", name="Get alerts").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Get alerts about Gaza ceasefire")
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was saved")
    expect(page.get_by_label("Your email address")).to_have_value("reader@")
    expect(page.locator("main")).to_contain_text("Enter an email address like name@example.com.")
    expect(page.locator("main")).to_contain_text("'Mars/Olympus' is not one.")
    look("form-errors")
    assert not Subscription.objects.exists()

    page.get_by_label("Your email address").fill("reader@example.org")
    page.get_by_label("Your time zone").fill("Europe/Zurich")
    response_status = []
    page.on("response", lambda r: response_status.append(r.status) if "/watch/subscribe/" in r.url else None)
    page.get_by_role("button", name="Get alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many requests")
    assert 429 in response_status
    look("too-many-requests")
    assert not Subscription.objects.exists()
    cache.clear()
