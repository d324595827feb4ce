"""Public and internal notes on a change."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("timeline", "0003_reference_history")]

    operations = []
