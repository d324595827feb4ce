"""A small record for the feed tests, written through the services.

Feeds read the real clock (request_now), so every date here is relative to
the moment the test runs. Internal notes carry INTERNAL, so a test can show
that none reaches a feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.builders import day_when, make_actor, make_event, make_expectation, make_milestone, make_storyline, time_when
from timeline import services
from timeline.models import SYSTEM, Actor, Event, Expectation, Milestone, Storyline
from timeline.when import When

INTERNAL = "INTERNAL-do-not-publish"


def month_when(year: int, month: int, *, tz: str, text: str = "", approximate: bool = False) -> When:
    z = ZoneInfo(tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=z)
    return When(text=text or f"{year}-{month:02d}", start=datetime(year, month, 1, tzinfo=z), end=end,
                precision="month", tz=tz, approximate=approximate, edtf=f"{year}-{month:02d}")


@dataclass
class Record:
    now: datetime
    storyline: Storyline
    other: Storyline
    actor: Actor
    month: Milestone  # a month, in New York
    davos: Milestone  # a day, in Zurich, cited with an attribution
    meeting: Milestone  # an exact time, in Zurich
    deadline: Expectation  # `by` the end of next year
    cancelled: Milestone
    retracted: Milestone  # published, then retracted
    draft: Milestone
    undated: Milestone
    event: Event


def build_record(editor) -> Record:
    now = timezone.now()
    year = now.year + 1
    storyline = make_storyline("Gaza ceasefire", slug="gaza")
    other = make_storyline("Iran's nuclear and missile programs", slug="iran")
    actor = make_actor("Donald Trump", slug="trump")
    outlet = services.outlet_create(name="Axios", slug="axios", url="https://axios.example.org")
    source = services.source_create(outlet=outlet, title="Netanyahu and Trump meet",
                                    url="https://axios.example.org/meeting", published_at=now - timedelta(days=3))
    past = now - timedelta(days=2)

    month = make_milestone(now=past, title="Trump announces phase two", storylines=[storyline], actors=[actor],
                           when=month_when(year, 1, tz="America/New_York", text="in January"))
    davos = make_milestone(now=past, title="Board of Peace meets at Davos", storylines=[storyline, other],
                           actors=[actor], place="Davos",
                           when=day_when(datetime(year, 1, 23).date(), tz="Europe/Zurich", text="on Jan. 23"))
    services.citation_add(item=davos, source=source, by=SYSTEM, now=past, role="sets_date",
                          attribution="a U.S. official and two additional U.S. sources")
    davos.refresh_from_db()
    meeting = make_milestone(now=past, title="Envoys meet", storylines=[storyline],
                             when=time_when(datetime(year, 3, 30, 14, 30, tzinfo=ZoneInfo("Europe/Zurich")),
                                            tz="Europe/Zurich", text="March 30 at 2:30 p.m."))
    z = ZoneInfo("UTC")
    deadline = make_expectation(
        now=past, title="Hamas disarms", storylines=[storyline], target_kind="by",
        when=When(text="by the end of next year", start=past, end=datetime(year + 1, 1, 1, tzinfo=z),
                  precision="range", tz="UTC"),
    )
    cancelled = make_milestone(now=past, title="Signing ceremony", storylines=[storyline],
                               when=day_when(datetime(year, 2, 2).date()))
    services.milestone_cancel(milestone=cancelled, by=editor, now=past + timedelta(hours=1),
                              reason="The ceremony was called off.", internal_note=INTERNAL)
    retracted = make_milestone(now=past, title="A summit that was never planned", storylines=[storyline],
                               when=day_when(datetime(year, 2, 3).date()))
    services.item_retract(item=retracted, by=editor, now=past + timedelta(hours=1),
                          reason="The report was wrong.", internal_note=INTERNAL)
    draft = make_milestone(now=past, title="Draft milestone", storylines=[storyline], published=False,
                           when=day_when(datetime(year, 2, 4).date()))
    undated = make_milestone(now=past, title="Some day", storylines=[storyline], when=When.undated("some day"))
    event = make_event(now=past, title="Netanyahu and Trump meet", storylines=[storyline],
                       when=day_when((now - timedelta(days=3)).date()))
    for item in (month, davos, meeting, deadline, cancelled, retracted, draft, undated, event):
        item.refresh_from_db()
    return Record(now=now, storyline=storyline, other=other, actor=actor, month=month, davos=davos,
                  meeting=meeting, deadline=deadline, cancelled=cancelled, retracted=retracted, draft=draft,
                  undated=undated, event=event)
