"""Watch a reminder go through the whole pipeline.

    python manage.py demo_reminder --in 2m

Adds a clearly labelled practice milestone ("PRACTICE — ...") to the practice
storyline `practice`, starting in 2 minutes, and subscribes the demo
subscriber (demo@example.org) to that storyline with a 1-minute lead time.
With `make run` going, the worker prints the reminder email about a minute
later: change processed, due row written, fired by the minute sweep, claimed,
sent.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.durations import LEAD_TIME
from core.errors import InvalidInput
from timeline import services as timeline_services
from timeline.models import SYSTEM, Storyline
from timeline.when import When
from watch import services
from watch.demo import DEMO_EMAIL
from watch.models import Subscription

LEAD = timedelta(minutes=1)
PRACTICE_SLUG = "practice"


class Command(BaseCommand):
    help = "Add a practice milestone a few minutes ahead and a 1-minute reminder for the demo subscriber."

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="starts_in", default="2m",
                            help="How far ahead the practice milestone starts (default 2m; at least 2m).")

    def handle(self, *args, **options):
        try:
            starts_in = LEAD_TIME.parse(options["starts_in"], field="--in")
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        if starts_in < 2 * LEAD:
            raise CommandError("--in must be at least 2m: the reminder fires 1 minute before the start, "
                               "and the minute sweep needs that minute to catch it.")
        now = timezone.now()
        starts_at = now + starts_in
        with transaction.atomic():
            storyline = Storyline.objects.filter(slug=PRACTICE_SLUG).first() or timeline_services.storyline_create(
                by=SYSTEM, now=now, name="Practice", slug=PRACTICE_SLUG,
                description="Practice items made by `manage.py demo_reminder`; not news.",
            )
            services.subscription_create(
                now=now, email=DEMO_EMAIL, storyline=storyline, news=[Subscription.REMINDERS],
                lead_times=[LEAD], confirmed=True,
            )
            milestone = timeline_services.item_create(
                kind="milestone", by=SYSTEM, now=now,
                title=f"PRACTICE — reminder demo starting {starts_at:%H:%M:%S} UTC",
                summary="A practice milestone made by `manage.py demo_reminder`. Not news.",
                when=When(text=f"at {starts_at:%H:%M} UTC", start=starts_at, end=starts_at + timedelta(minutes=1),
                          precision="time", tz="UTC"),
                storylines=[storyline], editorial_state="published",
            )
            # Processing the change row writes this due row too; writing it
            # here as well means the demo works even if that happens late.
            services.reminders_ensure(item=milestone, leads=[LEAD], now=now)
        due_at = services.reminder_due_at(milestone, LEAD)
        self.stdout.write(
            f"Practice milestone {milestone.public_id} starts at {starts_at:%H:%M:%S} UTC.\n"
            f"{DEMO_EMAIL} follows the storyline '{PRACTICE_SLUG}' with a 1-minute lead: the reminder is due at "
            f"{due_at:%H:%M:%S} UTC. Watch the worker's output (console email) for "
            f"\"Reminder: in 1 minute: {milestone.title}\"."
        )
