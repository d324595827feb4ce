"""IdempotencyKey moves to core: gone from timeline's state, table kept.

core's 0001 (which runs after this one) takes the model over with
db_table="timeline_idempotencykey", so the database is not touched and no
stored key is lost. No dependency on core here: databases that applied this
migration while it was still an empty placeholder stay consistent.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("timeline", "0002_idempotency_key")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
            database_operations=[],
        ),
    ]
