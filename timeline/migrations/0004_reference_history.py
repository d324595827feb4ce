"""History of storyline and actor edits."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("timeline", "0003_idempotencykey_to_core")]

    operations = []
