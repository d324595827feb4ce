"""The operators' list of deliveries: what was sent, what is stuck, what died.

    python manage.py deliveries                 # the latest 50
    python manage.py deliveries --state dead    # what needs an admin (resend from the admin)
    python manage.py deliveries --json          # one JSON object per line
"""

import json

from django.core.management.base import BaseCommand

from watch.models import Delivery, Endpoint
from watch.selectors import deliveries_for_operators


class Command(BaseCommand):
    help = "List deliveries, newest first, with their state, attempts and last error."

    def add_arguments(self, parser):
        parser.add_argument("--state", choices=Delivery.State.values)
        parser.add_argument("--channel", choices=Endpoint.Kind.values)
        parser.add_argument("--limit", type=int, default=50, help="At most this many (default 50).")
        parser.add_argument("--json", action="store_true", help="One JSON object per line.")

    def handle(self, *args, **options):
        deliveries = deliveries_for_operators(state=options["state"], channel=options["channel"])[: max(options["limit"], 0)]
        rows = [
            {
                "id": d.public_id,
                "state": d.state,
                "channel": d.channel,
                "address": d.endpoint.address,
                "digest": d.is_digest,
                "attempts": d.attempts,
                "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
                "created_at": d.created_at.isoformat(),
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                "last_error": d.last_error or d.withdrawn_reason,
            }
            for d in deliveries
        ]
        if options["json"]:
            for row in rows:
                self.stdout.write(json.dumps(row))
            return
        if not rows:
            self.stdout.write("No deliveries" + (f" in state {options['state']}." if options["state"] else "."))
            return
        for row in rows:
            when = row["sent_at"] or row["next_attempt_at"] or row["created_at"]
            line = f"{row['id']}  {row['state']:<9} {row['channel']:<7} {row['attempts']:>2} tries  {when[:16]}  {row['address']}"
            if row["last_error"] and row["state"] != Delivery.State.SENT:
                line += f"\n    {row['last_error'][:200]}"
            self.stdout.write(line)
