"""Shared by the reading tests: the record's reference data of the example
article (its storylines, actors and outlet, as the demo has them, written
through the services), the article itself, and a way to give times by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from django.conf import settings

from timeline import services
from timeline.demo import ACTORS, OUTLET, STORYLINES
from timeline.models import SYSTEM, Actor, Outlet, Storyline
from timeline.when import When

ARTICLE_PATH = settings.BASE_DIR.parent / "shared" / "examples" / "seed-article.txt"
PUBLISHED = date(2025, 12, 30)
NOW = datetime(2025, 12, 30, 12, 0, tzinfo=timezone.utc)
AXIOS_URL = "https://www.axios.com/2025/12/30/netanyahu-trump-iran-strikes-2026"


def article_text() -> str:
    return ARTICLE_PATH.read_text()


def make_reference() -> dict:
    """The storylines, actors and outlet of the example, by slug."""
    made = {"storylines": {}, "actors": {}}
    for spec in STORYLINES:
        made["storylines"][spec["slug"]] = (Storyline.objects.filter(slug=spec["slug"]).first()
                                            or services.storyline_create(by=SYSTEM, now=NOW, **spec))
    for spec in ACTORS:
        made["actors"][spec["slug"]] = (Actor.objects.filter(slug=spec["slug"]).first()
                                        or services.actor_create(by=SYSTEM, now=NOW, **spec))
    made["axios"] = Outlet.objects.filter(slug="axios").first() or services.outlet_create(**OUTLET)
    made["reuters"] = (Outlet.objects.filter(slug="reuters").first()
                       or services.outlet_create(name="Reuters", slug="reuters", url="https://www.reuters.com"))
    return made


@dataclass(frozen=True)
class GivenTime:
    """A time expression given by hand, in the shape the tagger returns."""

    start: int
    end: int
    text: str
    type: str = "DATE"
    value: str = ""
    when: When | None = None


def given(text: str, *phrases: str) -> list[GivenTime]:
    """Each phrase found in text, as a DATE for the record's parser to read."""
    found = []
    for phrase in phrases:
        start = text.index(phrase)
        found.append(GivenTime(start, start + len(phrase), phrase))
    return found


def local_dates(item) -> tuple[date, date]:
    """The item's window as local dates in its zone: [first day, day after the last)."""
    z = ZoneInfo(item.when_tz)
    return item.when_start.astimezone(z).date(), item.when_end.astimezone(z).date()
