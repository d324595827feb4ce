"""The desk in a real browser (Debian's Chromium through Playwright), on the
demo record: an editor opens the desk, sees the two January expectations
under "Needs a verdict", reviews one and overturns the other with evidence;
bulk-postpones the two January milestones (New York and Zurich) in the admin,
watching the When preview, and both keep their zones; assigns the Davos
milestone to a reporter on the desk, who then receives its reminder at an
aiosmtpd server. Each desk page passes axe-core (no serious or critical
violation) and has no sideways scroll on a phone.

Screenshots go to artifacts/desk/ (not committed). With
FW_DESK_SCREENSHOT=docs/img/desk.png the top of "Needs a verdict" is also
saved there, small, for docs/desk.md.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.browser.conftest import expect
from tests.browser.test_pages import AXE_JS, axe_violations
from tests.conftest import service_unavailable
from tests.factories import PASSWORD, make_editor
from timeline.models import Change, Expectation, Milestone
from watch.models import Notification, ReminderDue
from watch.services import deliver, deliveries_claim, fire_due_reminders, process_changes

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "desk"
DEMO_NOW = "2026-11-25T12:00:00Z"
DAVOS_EXPECTATION = "The Board of Peace first meets in Davos on Jan. 23, with Trump in the chair"
JANUARY_EXPECTATION = "Trump announces phase two, the Board of Peace and the technocratic government in January"
DAVOS = "The Gaza Board of Peace holds its first meeting, chaired by Trump, in Davos"
PHASE_TWO = "Trump announces phase two of the Gaza ceasefire, the Board of Peace and the technocratic government"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--now", DEMO_NOW, stdout=open(os.devnull, "w"))


@pytest.fixture
def mailbox(settings):
    """An aiosmtpd server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        service_unavailable("needs aiosmtpd (pip install -r requirements-dev.txt)")
    from tests.integration.support import Mailbox

    handler = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_page(page, name: str, failures: dict) -> None:
    """One heading, the site's banner, axe-core clean, and a screenshot."""
    expect(page.get_by_role("banner")).to_contain_text("Forecast Watch")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    shoot(page, name)
    if AXE_JS.exists():
        found = axe_violations(page, AXE_JS)
        if found:
            failures[name] = found
    else:
        service_unavailable(f"needs axe-core at {AXE_JS}: run `make install`")


def log_in(page, user, next_url: str):
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(next_url)


def test_an_editor_works_the_desk(demo, page, editor, mailbox):
    reporter = make_editor("reporter", email="reporter@example.org")
    failures: dict[str, list[str]] = {}
    log_in(page, editor, "/desk/verdicts/")

    # Needs a verdict: the two January expectations, each with why it is listed.
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs a verdict")
    for title in (DAVOS_EXPECTATION, JANUARY_EXPECTATION):
        row = main.locator("li.desk-row", has=page.get_by_role("heading", name=title))
        expect(row).to_contain_text("Missed, decided by the system on 25 Nov 2026, and not yet reviewed.")
    expect(page.get_by_role("navigation", name="Desk")).to_contain_text("Needs a verdict 4")
    check_page(page, "verdicts", failures)
    if os.environ.get("FW_DESK_SCREENSHOT"):
        save_docs_screenshot(page, Path(os.environ["FW_DESK_SCREENSHOT"]))

    # Review one: a single button, keyboard-reachable.
    review = page.get_by_role("button", name=f"Review (let the system's verdict stand) “{DAVOS_EXPECTATION}”")
    review.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"“{DAVOS_EXPECTATION}” was reviewed.")
    expect(page.get_by_role("heading", name=DAVOS_EXPECTATION)).to_have_count(0)

    # Overturn the other, with its citation as evidence.
    page.get_by_role("link", name=f"Overturn “{JANUARY_EXPECTATION}”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Overturn: {JANUARY_EXPECTATION}")
    page.get_by_label("Verdict").select_option("met")
    citation = page.get_by_label("Evidence: a citation")
    citation.select_option(index=1)
    page.get_by_label("Note (public: shown to subscribers and on the item's page)").fill(
        "Trump announced phase two and the Board of Peace on 15 January.")
    check_page(page, "overturn-form", failures)
    page.get_by_role("button", name="Overturn").click()
    expect(page).to_have_url("/desk/verdicts/")
    expect(page.get_by_role("status")).to_contain_text("was overturned")
    shoot(page, "verdicts-after")

    reviewed = Expectation.objects.get(title=DAVOS_EXPECTATION)
    overturned = Expectation.objects.get(title=JANUARY_EXPECTATION)
    assert (reviewed.status, reviewed.verdict_reviewed_at is not None) == ("missed", True)
    assert (overturned.status, overturned.decided_by, overturned.evidence_citation_id is not None) == (
        "met", "editor", True)
    assert Change.objects.get(item=overturned, kind="overturned").by_user == editor

    # The admin: postpone both January milestones at once; each keeps its zone.
    page.goto("/admin/timeline/milestone/")
    for title in (DAVOS, PHASE_TWO):
        page.locator("#result_list tr", has=page.get_by_role("link", name=title)).locator(
            "input.action-select").check()
    page.locator("select[name=action]").select_option("postpone")
    page.locator("button[name=index]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Postpone: 2 milestones")
    expect(page.locator("#id_when_tz")).to_have_value("")
    page.locator("#id_when_phrase").fill("on Jan. 22")
    page.locator("#id_when_as_of").fill("2026-12-02")
    page.locator("#id_when_as_of").dispatch_event("input")
    preview = page.locator(".when-preview")
    expect(preview).to_contain_text("Read as 22 Jan 2027")
    expect(preview).to_contain_text("Each item keeps its own zone.")
    expect(page.locator(".when-as-of-text")).to_have_text("(2 Dec 2026)")
    shoot(page, "admin-bulk-postpone")
    page.get_by_label("Public note (shown to subscribers and on the item's page)").fill("Moved to next year's forum.")
    page.locator("input[type=submit][value=Postpone]").click()
    expect(page.locator(".messagelist")).to_contain_text("2 milestones postponed")
    shoot(page, "admin-after-postpone")
    davos, phase_two = Milestone.objects.get(title=DAVOS), Milestone.objects.get(title=PHASE_TWO)
    assert (davos.when_tz, davos.when_start) == ("Europe/Zurich", datetime(2027, 1, 22, tzinfo=ZoneInfo("Europe/Zurich")))
    assert (phase_two.when_tz, phase_two.when_start) == (
        "America/New_York", datetime(2027, 1, 22, tzinfo=ZoneInfo("America/New_York")))

    # What the worker does on commit (no worker runs here): the change log into news and reminders.
    process_changes(now=timezone.now())

    # The agenda of that week: Davos on its Friday; assign it to the reporter.
    page.goto("/desk/?from=2027-01-18&to=2027-01-24")
    friday = page.get_by_role("region", name="Friday 22 January 2027")
    expect(friday).to_contain_text(DAVOS)
    check_page(page, "agenda", failures)
    friday.get_by_role("link", name=f"Assign “{DAVOS}”").click()
    page.get_by_label("Who watches this").select_option("reporter")
    check_page(page, "assign-form", failures)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_contain_text("is now watched by reporter")
    expect(page.get_by_role("region", name="Friday 22 January 2027")).to_contain_text("Watched by reporter")
    page.goto("/desk/?from=2027-01-18&to=2027-01-24&assignee=reporter")
    expect(page.get_by_role("main")).to_contain_text(DAVOS)

    # The phone's width: nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/desk/", "/desk/verdicts/", "/desk/recent/", "/desk/proposed/"):
        page.goto(path)
        check_page(page, "phone-" + (path.strip("/").replace("/", "-") or "agenda"), failures)
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(
            e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(
            e => e.tagName + '.' + e.className)""")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, (path, wide)

    # The reporter's reminder, a week before, through the watch pipeline to SMTP.
    now = timezone.now()
    process_changes(now=now)
    week_before = ReminderDue.objects.get(item=davos, lead=timedelta(days=7), state="pending")
    fire_due_reminders(now=week_before.due_at)
    for claim in deliveries_claim(now=week_before.due_at, batch=100, lease=timedelta(minutes=5)):
        deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token, now=week_before.due_at)
    reminder = Notification.objects.get(item=davos, kind="reminder", endpoint__address="reporter@example.org")
    assert (reminder.lead, reminder.delivery.state) == (timedelta(days=7), "sent"), reminder.withdrawn_reason
    [message] = mailbox.messages(to="reporter@example.org")
    assert message["Subject"] == f"Reminder: in 1 week: {DAVOS}"
    assert "22 Jan 2027" in message.get_body(("plain",)).get_content()
    assert not failures, failures


def save_docs_screenshot(page, path: Path) -> None:
    """The top of "Needs a verdict", small, for docs/desk.md."""
    path = path if path.is_absolute() else ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": 1100, "height": 760})


