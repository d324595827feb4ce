"""`manage.py follow_feed URL --outlet SLUG [--storyline SLUG ...] [--keyword WORD ...]
[--actor SLUG ...] [--interval 15m]`

Follows an outlet's RSS or Atom feed: the next sweep of the worker (or
`manage.py poll_feeds --once`) reads it. Nothing is fetched here.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import InvalidInput
from follow import services
from timeline.models import Actor, Outlet, Storyline


class Command(BaseCommand):
    help = "Follow an outlet's RSS or Atom feed: its new articles are read into proposals."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The feed's http(s) URL.")
        parser.add_argument("--outlet", required=True, metavar="SLUG", help="The outlet that publishes it.")
        parser.add_argument("--storyline", action="append", default=[], metavar="SLUG",
                            help="A storyline its proposals go to (repeat for more).")
        parser.add_argument("--keyword", action="append", default=[], metavar="WORD",
                            help="Read only articles mentioning a keyword or an actor given (repeatable).")
        parser.add_argument("--actor", action="append", default=[], metavar="SLUG",
                            help="Read only articles mentioning an actor or a keyword given (repeatable).")
        parser.add_argument("--interval", default="15m", help="How often it may be asked, e.g. 15m, 1h (default 15m).")

    def handle(self, *args, **options):
        outlet = Outlet.objects.filter(slug=options["outlet"]).first()
        if outlet is None:
            raise CommandError(f"No outlet with slug {options['outlet']!r}.")
        storylines = _by_slug(Storyline, options["storyline"], "storyline")
        actors = _by_slug(Actor, options["actor"], "actor")
        try:
            feed = services.feed_follow(url=options["url"], outlet=outlet, storylines=storylines, actors=actors,
                                        keywords=options["keyword"], interval=options["interval"],
                                        now=timezone.now())
        except InvalidInput as exc:
            details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.fields.items())
            raise CommandError(details or exc.message) from None
        names = ", ".join(s.slug for s in storylines) or "no storyline"
        self.stdout.write(f"Following {feed.url} ({outlet.name}; {names}), every {options['interval']}; "
                          "the next sweep reads it.")


def _by_slug(model, slugs, what):
    found = {row.slug: row for row in model.objects.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise CommandError(f"No {what} with slug {', '.join(map(repr, missing))}.")
    return [found[slug] for slug in dict.fromkeys(slugs)]
