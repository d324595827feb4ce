"""The public pages in a real browser, on the demo storyline: each at a
phone's and a desktop's width, with a screenshot of each, and axe-core's
accessibility check (no serious or critical violation); then a reader's way
from the home page to the two January expectations and the Davos item.

Screenshots go to artifacts/pages/ (not committed) so that a person can look
at them after a run. With FW_README_SCREENSHOT=docs/img/storyline.png the
desktop view of the storyline is also saved there, small, for the README.

axe-core comes from the npm registry into .cache/npm (`make install`, which
`make test` runs first).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import TIMEOUT_MS, expect
from tests.conftest import service_unavailable
from timeline.models import Expectation, Item, Milestone

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / ".cache/npm/node_modules/axe-core/axe.min.js"
ARTIFACTS = ROOT / "artifacts" / "pages"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
BLOCKING = {"serious", "critical"}
DEMO_NOW = "2026-11-25T12:00:00Z"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--now", DEMO_NOW, stdout=open(os.devnull, "w"))


@pytest.fixture
def axe_js():
    if not AXE_JS.exists():
        service_unavailable(f"needs axe-core at {AXE_JS}: run `make install` (npm install axe-core@4 into .cache/npm)")
    return AXE_JS


@pytest.fixture
def tab(browser, site):
    """tab(width): a page in a fresh context at a phone's or a desktop's size."""
    contexts = []

    def open_tab(width: str):
        context = browser.new_context(base_url=site, viewport=WIDTHS[width], locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def axe_violations(page, axe_js: Path) -> list[str]:
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in BLOCKING
    ]


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def demo_pages() -> dict[str, tuple[str, int]]:
    davos = Milestone.objects.get(title__startswith="The Gaza Board of Peace")
    january = Expectation.objects.get(title__endswith="technocratic government in January")
    return {
        "home": ("/", 200),
        "storyline": ("/storylines/gaza-ceasefire/", 200),
        "item": (f"/items/{davos.public_id}/", 200),
        "expectation": (f"/items/{january.public_id}/", 200),
        "actor": ("/actors/donald-trump/", 200),
        "outlet": ("/outlets/axios/", 200),
        "search": ("/search/?q=bibi", 200),
        "not-found": ("/storylines/no-such-storyline/", 404),
    }


def test_every_page_at_phone_and_desktop_width_passes_axe(demo, tab, axe_js):
    pages = demo_pages()
    failures = {}
    for width in WIDTHS:
        page = tab(width)
        for name, (path, status) in pages.items():
            response = page.goto(path)
            assert response.status == status, (name, width, response.status)
            expect(page.get_by_role("banner")).to_contain_text("Forecast Watch")
            expect(page.get_by_role("main")).to_be_visible()
            expect(page.get_by_role("heading", level=1)).to_have_count(1)
            # Nothing wider than the screen: a phone never scrolls sideways.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} at {width} width is {overflow}px wider than the screen"
            shoot(page, f"{name}-{width}")
            found = axe_violations(page, axe_js)
            if found:
                failures[f"{name} ({width})"] = found
            if name == "storyline" and width == "desktop" and os.environ.get("FW_README_SCREENSHOT"):
                save_readme_screenshot(page, Path(os.environ["FW_README_SCREENSHOT"]))
    assert not failures, failures


def save_readme_screenshot(page, path: Path) -> None:
    """The top of the storyline page: its title, what is overdue and the
    start of the timeline, as a small PNG for the README."""
    path = path if path.is_absolute() else ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": 1280, "height": 900})


def test_a_reader_finds_the_january_verdicts_and_the_davos_item(demo, tab):
    page = tab("desktop")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forecast Watch")
    page.get_by_role("link", name="Gaza ceasefire", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gaza ceasefire")
    board = page.locator("#scoreboard")
    missed = board.locator(".scorecard--missed")
    expect(missed).to_have_count(2)
    for card in (missed.nth(0), missed.nth(1)):
        expect(card).to_contain_text("Missed")
        expect(card).to_contain_text("Decided by the system")
        expect(card).to_contain_text("Not yet reviewed by an editor.")
        expect(card).to_contain_text("grace period of 7 days has passed")
        expect(card.get_by_role("link", name="Axios")).to_be_visible()
    expect(missed.nth(0)).to_contain_text("during January 2026")
    expect(missed.nth(1)).to_contain_text("on 23 Jan 2026")
    # The meter's "Missed" total, at the top of the page, lists just those two.
    page.get_by_role("list", name="Expectations by state").get_by_role("link", name="2 Missed").click()
    expect(page.locator("#scoreboard .scorecard")).to_have_count(2)
    shoot(page, "journey-scoreboard-missed")

    # An alert's "See the item and its sources" opens the Davos milestone.
    davos = Item.objects.get(kind="milestone", title__startswith="The Gaza Board of Peace")
    page.goto(f"/items/{davos.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(davos.title)
    expect(page.locator(".item-page__state")).to_contain_text("Overdue")
    expect(page.locator(".item-page__state")).to_contain_text("23 Jan 2026")
    about = page.locator(".scorecard")
    expect(about).to_have_count(1)
    expect(about).to_contain_text("Missed")
    expect(page.get_by_role("region", name="Sources")).to_contain_text("The outlet’s own reporting")
    shoot(page, "journey-davos-item")

    # Keyboard: the skip link is the first stop and shows where it is.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
