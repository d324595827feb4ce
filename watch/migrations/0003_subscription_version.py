"""A version on each subscription, so changing one is an UPDATE conditioned
on the version the writer read (watch.services.subscriptions)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("watch", "0002_subscription_one_live_per_target")]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
    ]
