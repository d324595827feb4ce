"""IdempotencyKey moves to core (filled in by the platform change)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("timeline", "0002_idempotency_key")]

    operations = []
