"""IdempotencyKey, moved here from timeline with its table.

The table timeline's 0002 created stays as it is (db_table keeps its name),
so this only tells Django's state that core owns it now: no stored key is
lost and nothing is locked. timeline's 0003 drops it from timeline's state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # After timeline let go of the model; its 0002 created the table.
        ("timeline", "0003_idempotencykey_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=200)),
                        ("method", models.CharField(max_length=10)),
                        ("path", models.CharField(max_length=500)),
                        ("request_hash", models.CharField(help_text="SHA-256 of the method, path and body.", max_length=64)),
                        ("response_status", models.PositiveSmallIntegerField()),
                        ("response_body", models.JSONField(blank=True, null=True)),
                        ("response_headers", models.JSONField(blank=True, default=dict)),
                        ("created_at", models.DateTimeField()),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "timeline_idempotencykey",
                        "indexes": [models.Index(fields=["created_at"], name="idempotency_key_age")],
                        "constraints": [models.UniqueConstraint(fields=("user", "key"), name="idempotency_key_per_user")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
