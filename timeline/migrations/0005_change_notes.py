"""Public and internal notes on a change."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("timeline", "0004_reference_history")]

    operations = []
