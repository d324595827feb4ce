"""Public and internal notes on a change: the reason an editor types is kept
in the change log; what subscribers read is a note of its own."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("timeline", "0004_reference_history")]

    operations = [
        migrations.AlterField(
            model_name="change",
            name="reason",
            field=models.TextField(blank=True, help_text="Change log only.", verbose_name="internal note"),
        ),
        migrations.AddField(
            model_name="change",
            name="public_note",
            field=models.TextField(blank=True, help_text="Shown to subscribers and on the item's public history."),
        ),
    ]
