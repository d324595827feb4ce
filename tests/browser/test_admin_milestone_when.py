"""An editor in the admin, in a real browser: adds a milestone from the words
of the source (the zone found from its city), sees the window they resolve
to, postpones it from the milestone's page with a public and an internal
note, and finds both changes in its change log. A phrase the parser cannot
read comes back as a form error that names it."""

import pytest

from tests.browser.conftest import expect
from tests.factories import PASSWORD
from timeline.models import Change, Milestone

pytestmark = pytest.mark.django_db(transaction=True)

UNREADABLE = "sometime after the thaw"


def log_in(page, user):
    page.goto("/admin/")
    expect(page).to_have_url("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def fill_when(page, phrase: str, *, as_of: str, tz: str | None = None):
    page.locator("#id_when_phrase").fill(phrase)
    page.locator("#id_when_as_of").fill(as_of)
    if tz is not None:
        page.locator("#id_when_tz").fill(tz)


def test_editor_adds_a_milestone_then_postpones_it(page, screenshot, editor):
    log_in(page, editor)
    screenshot(page, "admin-index")
    page.locator("tr.model-milestone a.addlink").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add milestone")

    # A phrase the parser cannot read: the form comes back naming it, and nothing is made.
    page.locator("#id_title").fill("Board of Peace meets in Davos")
    # The city is enough: the form finds Europe/Zurich from it.
    fill_when(page, UNREADABLE, as_of="2025-12-30", tz="zurich")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-when .errorlist")).to_contain_text(
        f"Cannot read the date phrase '{UNREADABLE}'"
    )
    expect(page.get_by_label("Time zone")).to_have_value("zurich")  # what was typed, kept
    screenshot(page, "add-unreadable-phrase")
    assert not Milestone.objects.exists()

    page.locator("#id_when_phrase").fill("on Jan. 23")
    page.get_by_role("button", name="Save and continue editing").click()

    # The change page shows the window the words resolved to, in Zurich.
    window = page.locator(".field-resolved_window .readonly")
    expect(window).to_contain_text("23 Jan 2026")
    expect(window).to_contain_text("start 2026-01-23 00:00 CET (2026-01-22 23:00 UTC)")
    expect(window).to_contain_text("end 2026-01-24 00:00 CET (2026-01-23 23:00 UTC), exclusive")
    expect(window).to_contain_text("zone Europe/Zurich · read as of 30 Dec 2025")
    expect(page.locator("#change-log tbody tr")).to_have_count(1)
    screenshot(page, "change-page-created")
    milestone = Milestone.objects.get()
    assert (milestone.when_edtf, milestone.when_tz, milestone.status) == ("2026-01-23", "Europe/Zurich", "scheduled")

    page.locator("a.transition-postpone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Postpone: Board of Peace meets in Davos")
    expect(page.locator("#id_when_tz")).to_have_value("Europe/Zurich")  # the milestone's zone, carried over
    fill_when(page, UNREADABLE, as_of="2025-12-30")
    page.get_by_label("Public note (shown to subscribers and on the item's page)").fill(
        "The Davos session moved to the Monday."
    )
    page.get_by_label("Internal note (change log only)").fill("Per the WEF programme, v3.")
    screenshot(page, "postpone-form")
    page.get_by_role("button", name="Postpone").click()
    expect(page.locator(".field-when .errorlist")).to_contain_text(
        f"Cannot read the date phrase '{UNREADABLE}'"
    )
    screenshot(page, "postpone-unreadable-phrase")
    milestone.refresh_from_db()
    assert (milestone.when_edtf, milestone.postponed_count) == ("2026-01-23", 0)

    page.locator("#id_when_phrase").fill("on Jan. 26")
    page.get_by_role("button", name="Postpone").click()

    # Back on the milestone's page: the new window, and both changes in the log.
    expect(page.locator("ul.messagelist")).to_contain_text("was postponed. When: 26 Jan 2026")
    expect(page.locator(".field-resolved_window .readonly")).to_contain_text(
        "start 2026-01-26 00:00 CET (2026-01-25 23:00 UTC)"
    )
    log = page.locator("#change-log tbody tr")
    expect(log).to_have_count(2)
    created, postponed = page.locator("#change-log tr.change-created"), page.locator("#change-log tr.change-postponed")
    expect(created).to_contain_text("23 Jan 2026 (“on Jan. 23”)")
    expect(postponed).to_contain_text("Postponed")
    expect(postponed.locator("td.public-note")).to_have_text("The Davos session moved to the Monday.")
    expect(postponed.locator("td.internal-note")).to_have_text("Per the WEF programme, v3.")
    expect(postponed).to_contain_text("23 Jan 2026 (“on Jan. 23”) → 26 Jan 2026 (“on Jan. 26”)")
    expect(postponed).to_contain_text(editor.username)
    screenshot(page, "change-page-postponed")

    milestone.refresh_from_db()
    assert (milestone.when_edtf, milestone.when_tz, milestone.postponed_count) == ("2026-01-26", "Europe/Zurich", 1)
    assert list(Change.objects.filter(item=milestone).order_by("id").values_list("kind", flat=True)) == [
        "created", "postponed",
    ]
