"""History of storyline and actor edits: who changed one, when, the fields
before and after, and why (timeline.models.ReferenceChange)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0003_idempotencykey_to_core"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("created", "Created"), ("edited", "Edited")], max_length=20)),
                ("by_label", models.CharField(help_text="The user's name, or 'system'.", max_length=150)),
                ("at", models.DateTimeField()),
                ("before", models.JSONField(blank=True, default=dict)),
                ("after", models.JSONField(blank=True, default=dict)),
                ("reason", models.TextField(blank=True)),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="history", to="timeline.actor")),
                ("by_user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                              related_name="+", to=settings.AUTH_USER_MODEL)),
                ("storyline", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                                related_name="history", to="timeline.storyline")),
            ],
            options={
                "ordering": ["at", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("actor__isnull", True), ("storyline__isnull", False)),
                            models.Q(("actor__isnull", False), ("storyline__isnull", True)),
                            _connector="OR",
                        ),
                        name="reference_change_one_subject",
                    ),
                ],
            },
        ),
    ]
