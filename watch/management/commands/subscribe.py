"""Subscribe an email address for someone: by double opt-in, as on the site.

The address is mailed a confirmation link (by the worker, through the
outbox of watch.services.confirmations) and receives nothing until it is
followed: staff cannot vouch for someone else's inbox. A webhook-only
subscription (--no-email) is no one's inbox and is confirmed at once.

    python manage.py subscribe reader@example.org --storyline gaza-ceasefire
    python manage.py subscribe desk@example.org --actor donald-trump --lead 7d --lead 1d
    python manage.py subscribe ops@example.org --all --webhook https://hooks.example.org/fw --no-email
    python manage.py subscribe night@example.org --storyline gaza-ceasefire --digest-hour 7 --tz Europe/Zurich

Each --storyline, --actor and --item (repeatable) and --all makes one
subscription; all are made, or none. A new webhook's signing secret is
printed once and never shown again.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.errors import InvalidInput
from watch import services
from watch.models import Subscription


class Command(BaseCommand):
    help = ("Subscribe an email address to storylines, actors, items or everything: the address is sent a "
            "confirmation link first (webhook-only subscriptions are confirmed at once).")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--storyline", action="append", default=[], metavar="SLUG")
        parser.add_argument("--actor", action="append", default=[], metavar="SLUG")
        parser.add_argument("--item", action="append", default=[], metavar="PUBLIC_ID")
        parser.add_argument("--all", action="store_true", help="Everything public.")
        parser.add_argument("--webhook", metavar="URL", help="Also (or, with --no-email, only) post to this webhook.")
        parser.add_argument("--no-email", action="store_true", help="Send to the webhook only.")
        parser.add_argument("--news", action="append", choices=Subscription.NEWS,
                            help="Which news (repeatable; default: all four).")
        parser.add_argument("--digest-hour", type=int, metavar="H",
                            help="A daily digest at this hour (0-23) instead of immediate alerts.")
        parser.add_argument("--tz", metavar="ZONE", help="The subscriber's time zone, e.g. Europe/Zurich.")
        parser.add_argument("--lead", action="append", metavar="LEAD",
                            help="Reminder lead time, e.g. 7d, 36h, 30m (repeatable; default 7d and 1d).")

    def handle(self, *args, **options):
        targets = (
            [{"storyline": slug} for slug in options["storyline"]]
            + [{"actor": slug} for slug in options["actor"]]
            + [{"item": public_id} for public_id in options["item"]]
            + ([{"everything": True}] if options["all"] else [])
        )
        if not targets:
            raise CommandError("Say what to follow: --storyline SLUG, --actor SLUG, --item PUBLIC_ID or --all.")
        now = timezone.now()
        common = {
            "email": options["email"],
            "send_email": not options["no_email"],
            "webhook_url": options["webhook"],
            "news": options["news"],
            "cadence": Subscription.Cadence.DIGEST if options["digest_hour"] is not None else Subscription.Cadence.IMMEDIATE,
            "digest_hour": options["digest_hour"],
            "tz": options["tz"],
            "lead_times": options["lead"],
            "confirmed": options["no_email"],
        }
        results = []
        try:
            with transaction.atomic():
                for target in targets:
                    results.append(services.subscription_create(now=now, **common, **target))
        except InvalidInput as exc:
            raise CommandError(_explain(exc)) from None

        for result in results:
            subscription = result.subscription
            verb = "Subscribed" if result.created else "Updated"
            leads = ", ".join(services.format_lead(lead) for lead in subscription.leads) or "none"
            self.stdout.write(
                f"{verb} {subscription.subscriber} to {subscription.target_label} "
                f"({' + '.join(subscription.channels)}, {subscription.get_cadence_display().lower()}, lead times: {leads})"
            )
            if subscription.confirmed_at is None:
                self.stdout.write(
                    f"  Waiting for confirmation: a link goes to {subscription.subscriber.email}; "
                    "nothing is sent until it is followed."
                )
        secret = next((r.webhook_secret for r in results if r.webhook_secret), None)
        if secret:
            self.stdout.write(
                f"Webhook signing secret (shown this once, store it now): {secret}"
            )


def _explain(exc: InvalidInput) -> str:
    lines = [exc.message]
    for field, messages in exc.fields.items():
        lines.extend(f"  {field}: {message}" for message in messages)
    return "\n".join(lines)
