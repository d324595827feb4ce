"""An editor in a real browser (headless Chromium): pastes the example
article on "Read an article", sees what each sentence became, opens the
review queue of that reading and publishes the Davos milestone; a retract
without a reason is refused with a message. Screenshots go to the test's
tmp_path."""

import pytest

from tests.browser.conftest import browser, expect, page, screenshot, site  # noqa: F401  (fixtures)
from tests.factories import PASSWORD
from timeline.models import Milestone

from .reader_helpers import article_text, make_reference

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_reads_an_article_and_publishes_a_proposal(page, screenshot, editor):  # noqa: F811
    make_reference()
    page.goto("/admin/login/?next=/admin/reading/articlereading/read/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Read an article")

    page.get_by_label("Text").fill(article_text())
    page.get_by_label("Published").fill("2025-12-30")
    page.get_by_label("Outlet").select_option(label="Axios")
    page.get_by_label("URL").fill("https://www.axios.com/example")
    page.get_by_role("button", name="Read").click()
    result = page.locator("#reading-result")
    expect(result).to_contain_text("Axios, 30 Dec 2025: 13 proposed")
    expect(result).to_contain_text("23 Jan 2026")
    screenshot(page, "read-an-article")

    page.get_by_role("link", name="Review these proposals").click()
    expect(page.locator("#proposed-items")).to_have_text("Proposed items (13)")
    davos = Milestone.objects.get(title__contains="Davos")
    row = page.locator(f"#proposal-{davos.pk}")
    row.get_by_role("button", name="Retract").click()
    expect(page.locator(".messagelist")).to_contain_text("Retracting needs a reason.")
    page.locator(f"#proposal-{davos.pk}").get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("Published")
    expect(page.locator("#proposed-items")).to_have_text("Proposed items (12)")
    screenshot(page, "review-queue")
    davos.refresh_from_db()
    assert davos.editorial_state == "published"
