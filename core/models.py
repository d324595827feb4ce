"""The platform's one table: the API's Idempotency-Keys.

Written only through core.idempotency (claim, store, prune), which the API's
idempotency module calls; nothing else saves or creates these rows.
"""

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """A POST's Idempotency-Key with the response it got.

    Written in the same transaction as the write it guards, so a retried call
    returns the first result and a crash between the two cannot leave one
    without the other. The same key with another body is refused (422).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        # The table timeline created before the model moved here: keeping its
        # name moved the model without touching a stored key.
        db_table = "timeline_idempotencykey"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_age")]

    def __str__(self):
        return f"{self.method} {self.path} ({self.key})"
