"""The example storyline that `make run` loads (`manage.py load_demo`).

The facts are those of examples/seed-article.txt, an Axios report on the
Netanyahu-Trump meeting of Monday 29 December 2025, read with the publication
date 2025-12-30 (BRIEF.md, "The example article"). Titles and summaries say
them in our own words; quotes are short and taken from the article.

Everything is written through the services, by "system", with the clock set to
2025-12-30 12:00 UTC, so the record's history reads as of the article. Nothing
here decides a verdict: run today, the two January expectations are simply
past their deadlines, and the sweep (load_demo runs one with the real clock
unless told not to) or `manage.py due` says so, and why.

Running the loader again changes nothing: every row is looked up first (a
storyline, actor or outlet by slug, the source by URL, an item by kind, title
and storyline), and an item that exists is left as it is, whatever editors
have done to it since.

Zones, where the report implies a place:
- the June war and Pezeshkian's answer: Asia/Tehran (they happened in, or
  came from, Iran); the warning about the IRGC exercise: Asia/Jerusalem
  (Israeli officials gave it);
- the meeting "on Monday" and the January announcement: America/New_York
  (the U.S. side's calendar: the meeting was in the U.S., the announcement
  is the White House's);
- the Board of Peace "on Jan. 23" at the World Economic Forum: Europe/Zurich
  (Davos), as the brief asks;
- the September talks and the conditional's "2026": UTC (no one place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from django.db import transaction
from django.dispatch import Signal

from . import services
from .models import SYSTEM, Actor, Item, Outlet, Source, Storyline
from .when import When
from .whenparse import parse_when

AS_OF = date(2025, 12, 30)
# The record's own clock: its history reads as of the article.
CREATED_AT = datetime(2025, 12, 30, 12, 0, tzinfo=timezone.utc)

# Sent by `manage.py load_demo` once the demo record is in place (on every
# run, before the sweep), with `now`, the sweep's clock. Other apps add their
# own demo data from a receiver (watch: the demo subscriber), so that timeline
# need not know them.
demo_record_loaded = Signal()

GAZA = "gaza-ceasefire"
IRAN = "iran-nuclear-and-missile-programs"

STORYLINES = [
    {
        "slug": GAZA,
        "name": "Gaza ceasefire",
        "description": "The ceasefire between Israel and Hamas in Gaza, its phases, and the bodies meant to govern Gaza after the war.",
    },
    {
        "slug": IRAN,
        "name": "Iran's nuclear and missile programs",
        "description": "Iran's efforts to rebuild its nuclear and missile programs after the June 2025 war, and what Israel and the U.S. say they will do about it.",
    },
]

ACTORS = [
    {"slug": "benjamin-netanyahu", "name": "Benjamin Netanyahu", "kind": "person",
     "aliases": ["Netanyahu", "Bibi"], "description": "Prime Minister of Israel."},
    {"slug": "donald-trump", "name": "Donald Trump", "kind": "person",
     "aliases": ["Trump", "President Trump"], "description": "President of the United States."},
    {"slug": "masoud-pezeshkian", "name": "Masoud Pezeshkian", "kind": "person",
     "aliases": ["Pezeshkian"], "description": "President of Iran."},
    {"slug": "abbas-araghchi", "name": "Abbas Araghchi", "kind": "person",
     "aliases": ["Araghchi"], "description": "Foreign Minister of Iran."},
    {"slug": "steve-witkoff", "name": "Steve Witkoff", "kind": "person",
     "aliases": ["Witkoff"], "description": "U.S. special envoy."},
    {"slug": "hamas", "name": "Hamas", "kind": "organisation", "aliases": [],
     "description": "The Palestinian armed group that governed Gaza."},
    {"slug": "hezbollah", "name": "Hezbollah", "kind": "organisation", "aliases": ["Hizbullah", "Hizballah"],
     "description": "The Lebanese armed group and party allied with Iran."},
    {"slug": "irgc", "name": "IRGC", "kind": "organisation",
     "aliases": ["Iran's Revolutionary Guards", "Revolutionary Guards", "Islamic Revolutionary Guard Corps"],
     "description": "Iran's Islamic Revolutionary Guard Corps."},
    {"slug": "israel", "name": "Israel", "kind": "state", "aliases": [], "description": ""},
    {"slug": "iran", "name": "Iran", "kind": "state", "aliases": ["Tehran", "Islamic Republic of Iran"],
     "description": ""},
    {"slug": "united-states", "name": "United States", "kind": "state",
     "aliases": ["U.S.", "US", "United States of America", "Washington"], "description": ""},
]

OUTLET = {"slug": "axios", "name": "Axios", "url": "https://www.axios.com"}

SOURCE = {
    "title": "Netanyahu discussed attacking Iran again in 2026 in meeting with Trump",
    # Only an identifier: the demo never fetches it.
    "url": "https://www.axios.com/2025/12/30/netanyahu-trump-iran-strikes-2026",
    # The example gives the date only; the hour is unknown.
    "published_at": datetime(2025, 12, 30, 0, 0, tzinfo=timezone.utc),
}

# Each item: its kind and words; "when" is (phrase as reported, zone), read by
# parse_when as of AS_OF for the item's kind, or None for undated; citations
# are (role, attribution as reported, quote), an empty attribution being the
# outlet's own reporting.
EVENTS = [
    {
        "title": "Israel and Iran fight a 12-day war; the U.S. strikes Iran's nuclear facilities",
        "summary": "A 12-day war between Israel and Iran. The U.S. hit only Iran's nuclear facilities; Israel also "
                   "went after Iran's conventional forces, above all its ballistic missiles. Trump and Netanyahu "
                   "both count the war a great success.",
        "when": ("in June", "Asia/Tehran"),
        "place": "Iran",
        "storylines": [IRAN],
        "actors": ["israel", "iran", "united-states", "donald-trump", "benjamin-netanyahu"],
        "citations": [("reports_claim", "", "the 12-day war with Iran in June")],
    },
    {
        "title": "Araghchi and Witkoff discuss a possible nuclear deal",
        "summary": "Iran's foreign minister and the U.S. envoy talked about a nuclear deal; there have been no "
                   "serious talks in the months since.",
        "when": ("as recently as September", "UTC"),
        "storylines": [IRAN],
        "actors": ["abbas-araghchi", "steve-witkoff", "iran", "united-states"],
        "citations": [("reports_claim", "",
                       "Araghchi and U.S. envoy Steve Witkoff discussed a potential nuclear deal as recently as September")],
    },
    {
        "title": "Israeli officials warn that an IRGC missile exercise could hide a strike",
        "summary": "Israeli officials told the Trump administration that a missile exercise by Iran's Revolutionary "
                   "Guards might be cover for an attack.",
        "when": ("just last week", "Asia/Jerusalem"),
        "storylines": [IRAN],
        "actors": ["israel", "irgc", "iran", "united-states"],
        "citations": [("reports_claim", "",
                       "a missile exercise by Iran's Revolutionary Guards could be cover for a strike")],
    },
    {
        "title": "Netanyahu and Trump meet; Netanyahu agrees to move to phase two of the Gaza ceasefire",
        "summary": "Netanyahu raised attacking Iran again in 2026, set out Israel's worries about Iran's missile "
                   "program and Hezbollah's rearmament in Lebanon, and agreed to move to the ceasefire's second "
                   "phase. No timetable, threshold or detailed understanding on future military action was agreed.",
        "when": ("on Monday", "America/New_York"),
        "storylines": [GAZA, IRAN],
        "actors": ["benjamin-netanyahu", "donald-trump", "israel", "united-states", "iran", "hezbollah", "hamas"],
        "citations": [
            ("reports_claim", "a U.S. official and two additional U.S. sources",
             "discussed the possibility of attacking Iran again in 2026"),
            ("reports_claim", "two senior U.S. officials",
             'Netanyahu agreed in his meeting with Trump to move to "phase two" of the Gaza ceasefire agreement'),
        ],
    },
    {
        "title": 'Pezeshkian promises a "harsh" response to any aggression',
        "summary": "Iran's president answered the threats from Trump and Netanyahu: any act of aggression would be "
                   "met harshly. The report gives no date; it came in the days of the meeting.",
        "when": ("around Dec. 29-30", "Asia/Tehran"),
        "storylines": [IRAN],
        "actors": ["masoud-pezeshkian", "iran"],
        "citations": [("reports_claim", "", 'Iran would give a "harsh" response to any acts of aggression')],
    },
]

MILESTONES = [
    {
        "key": "phase-two-announcement",
        "title": "Trump announces phase two of the Gaza ceasefire, the Board of Peace and the technocratic government",
        "summary": "The move to the ceasefire's second phase, the founding of the Gaza Board of Peace and a new "
                   "Palestinian technocratic government, to be announced together.",
        "when": ("in January", "America/New_York"),
        "storylines": [GAZA],
        "actors": ["donald-trump", "united-states"],
        "citations": [("sets_date", "", "Trump is expected to announce in January the transition to phase two")],
    },
    {
        "key": "board-of-peace-first-meeting",
        "title": "The Gaza Board of Peace holds its first meeting, chaired by Trump, in Davos",
        "summary": "The first session of the Board of Peace, during the World Economic Forum, with Trump in the chair.",
        "when": ("on Jan. 23", "Europe/Zurich"),
        "place": "Davos, Switzerland (World Economic Forum)",
        "storylines": [GAZA],
        "actors": ["donald-trump"],
        "citations": [("sets_date", "",
                       "is expected to take place during the World Economic Forum in Davos on Jan. 23")],
    },
]

EXPECTATIONS = [
    {
        "title": "Trump announces phase two, the Board of Peace and the technocratic government in January",
        "expectation_type": "forecast",
        "criteria": "In January 2026 Trump announces the move to phase two of the Gaza ceasefire, the founding of "
                    "the Gaza Board of Peace and the new Palestinian technocratic government.",
        "target_kind": "during",
        "about": "phase-two-announcement",
        "when": ("in January", "America/New_York"),
        "storylines": [GAZA],
        "actors": ["donald-trump", "united-states"],
        # The outlet's own reporting ("is expected to"): no holder is named.
        "citations": [("reports_claim", "", "Trump is expected to announce in January")],
    },
    {
        "title": "The Board of Peace first meets in Davos on Jan. 23, with Trump in the chair",
        "expectation_type": "forecast",
        "criteria": "The Gaza Board of Peace holds its first meeting on 23 January 2026 at the World Economic "
                    "Forum in Davos, chaired by Trump.",
        "target_kind": "on",
        "about": "board-of-peace-first-meeting",
        "when": ("on Jan. 23", "Europe/Zurich"),
        "place": "Davos, Switzerland (World Economic Forum)",
        "storylines": [GAZA],
        "actors": ["donald-trump"],
        "citations": [("reports_claim", "", "The first meeting of the Gaza Board of Peace, chaired by Trump, is expected")],
    },
    {
        "title": 'The U.S. would back a "round two" of strikes on Iran',
        "expectation_type": "conditional",
        "criteria": "The U.S. backs new strikes on Iran's nuclear program in 2026.",
        "condition": "The U.S. sees Iran take real and verifiable steps to rebuild its nuclear program (what counts "
                     "as rebuilding is itself disputed).",
        "target_kind": "during",
        "when": ("in 2026", "UTC"),
        "storylines": [IRAN],
        "actors": ["donald-trump", "united-states", "iran", "israel"],
        "holder_attribution": "a U.S. official",
        "citations": [("reports_claim", "a U.S. official",
                       'Trump would likely back "round two" if the U.S. sees Iran taking real and verifiable steps '
                       "to reconstitute its nuclear program")],
    },
    {
        "title": "Trump will let Israel take military action against Hamas",
        "expectation_type": "conditional",
        "criteria": "Trump allows Israel to take military action against Hamas.",
        "condition": "Hamas fails to honor the ceasefire agreement and does not start disarming.",
        "target_kind": "during",
        "when": None,
        "storylines": [GAZA],
        "actors": ["donald-trump", "hamas", "israel", "benjamin-netanyahu"],
        "holder_attribution": "the officials",
        "citations": [("reports_claim", "the officials",
                       "he will allow Israel to take military action against the group")],
    },
    {
        "title": "The U.S. will destroy Iran's nuclear program again if Iran rebuilds it",
        "expectation_type": "threat",
        "criteria": "The U.S. strikes Iran's nuclear program again.",
        "condition": "Iran tries to rebuild its nuclear program.",
        "target_kind": "during",
        "when": None,
        "holder": "donald-trump",
        "storylines": [IRAN],
        "actors": ["donald-trump", "united-states", "iran"],
        "citations": [("reports_claim", "", "the U.S. will destroy it again")],
    },
    {
        "title": 'Iran will respond "harshly" to any act of aggression',
        "expectation_type": "threat",
        "criteria": "Iran answers an act of aggression against it with a harsh response.",
        "condition": "An act of aggression against Iran.",
        "target_kind": "during",
        "when": None,
        "holder": "masoud-pezeshkian",
        "storylines": [IRAN],
        "actors": ["masoud-pezeshkian", "iran"],
        "citations": [("reports_claim", "", 'Iran would give a "harsh" response to any acts of aggression')],
    },
]


@dataclass
class LoadReport:
    """What one run of the loader created, and what it found already there."""

    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, created: bool) -> None:
        tally = self.created if created else self.existing
        tally[what] = tally.get(what, 0) + 1

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())

    def summary(self) -> str:
        order = ("storylines", "actors", "outlets", "sources", "events", "milestones", "expectations")
        parts = []
        for what in order:
            new, old = self.created.get(what, 0), self.existing.get(what, 0)
            parts.append(f"{what} {new} new" + (f", {old} already there" if old else ""))
        return "; ".join(parts)


def load_demo(*, now: datetime = CREATED_AT) -> LoadReport:
    """Write the example record, or find it already there. One transaction:
    a failure leaves nothing half-loaded, so a second run starts clean."""
    report = LoadReport()
    with transaction.atomic():
        storylines = {spec["slug"]: _storyline(spec, report, now=now) for spec in STORYLINES}
        actors = {spec["slug"]: _actor(spec, report, now=now) for spec in ACTORS}
        source = _source(_outlet(report), report)
        loader = _ItemLoader(now=now, source=source, storylines=storylines, actors=actors, report=report)
        for spec in EVENTS:
            loader.item("event", spec)
        milestones = {spec["key"]: loader.item("milestone", spec) for spec in MILESTONES}
        for spec in EXPECTATIONS:
            about = milestones[spec["about"]] if spec.get("about") else None
            loader.item("expectation", spec, about_milestone=about)
    return report


def _storyline(spec: dict, report: LoadReport, *, now: datetime) -> Storyline:
    found = Storyline.objects.filter(slug=spec["slug"]).first()
    report.count("storylines", found is None)
    return found or services.storyline_create(by=SYSTEM, now=now, **spec)


def _actor(spec: dict, report: LoadReport, *, now: datetime) -> Actor:
    found = Actor.objects.filter(slug=spec["slug"]).first()
    report.count("actors", found is None)
    return found or services.actor_create(by=SYSTEM, now=now, **spec)


def _outlet(report: LoadReport) -> Outlet:
    found = Outlet.objects.filter(slug=OUTLET["slug"]).first()
    report.count("outlets", found is None)
    return found or services.outlet_create(**OUTLET)


def _source(outlet: Outlet, report: LoadReport) -> Source:
    found = Source.objects.filter(url=SOURCE["url"]).first()
    report.count("sources", found is None)
    return found or services.source_create(outlet=outlet, **SOURCE)


@dataclass
class _ItemLoader:
    now: datetime
    source: Source
    storylines: dict[str, Storyline]
    actors: dict[str, Actor]
    report: LoadReport

    def item(self, kind: str, spec: dict, **extra):
        """The item of `spec`, created (drafted, cited, published) if missing."""
        storylines = [self.storylines[slug] for slug in spec["storylines"]]
        found = Item.objects.filter(kind=kind, title=spec["title"], storylines=storylines[0]).first()
        self.report.count(f"{kind}s", found is None)
        if found is not None:
            return found.specific()

        fields = {name: spec[name] for name in ("summary", "place", "expectation_type", "criteria", "condition",
                                                "target_kind") if name in spec}
        if spec.get("holder"):
            fields["holder"] = self.actors[spec["holder"]]
        item = services.item_create(
            kind=kind, by=SYSTEM, now=self.now, title=spec["title"], when=self._when(kind, spec["when"]),
            as_of=AS_OF, storylines=storylines, actors=[self.actors[slug] for slug in spec["actors"]],
            reason=f"From {self.source.outlet.name}, {self.source.published_at:%d %b %Y}.",
            **fields, **{k: v for k, v in extra.items() if v is not None},
        )
        citations = {}
        for role, attribution, quote in spec["citations"]:
            citations[attribution] = services.citation_add(
                item=item, source=self.source, by=SYSTEM, now=self.now, role=role, attribution=attribution,
                quote=quote,
            )
        if spec.get("holder_attribution"):
            # An anonymous holder is the attribution of the citation that reported the claim.
            item = services.item_edit(
                item=item, by=SYSTEM, now=self.now, holder_citation=citations[spec["holder_attribution"]],
                reason="The holder is the source's anonymous attribution.",
            )
        services.item_publish(item=item, by=SYSTEM, now=self.now, reason="Demo record.")
        return item

    @staticmethod
    def _when(kind: str, when: tuple[str, str] | None) -> When:
        if when is None:
            return When.undated("no deadline")
        phrase, tz = when
        return parse_when(phrase, as_of=AS_OF, tz=tz, kind=kind)

