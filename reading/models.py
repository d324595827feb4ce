"""What reading an article leaves besides the items it proposes.

- ArticleReading: one row per article read, keyed by the hash of its text and
  its URL, so reading the same article again finds this row and proposes
  nothing twice. It keeps what the reading did (`outcome`), so the second
  call answers with the same list.
- ProposedChange: a change to an existing item that an article reports and
  an editor must accept or reject; for now a postponement (a milestone
  reported with a new date). Accepting it calls milestone_postpone; nothing
  moves before that.

Items themselves are proposed through timeline.services (editorial state
`proposed`); this app writes no item row of its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ArticleReading(models.Model):
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the text, whitespace collapsed.")
    url = models.CharField("URL", max_length=500, blank=True, help_text="Empty for pasted text without one.")
    title = models.CharField(max_length=300, blank=True)
    published = models.DateField(help_text="The date relative words were read against.")
    outlet = models.ForeignKey("timeline.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey("timeline.Source", on_delete=models.PROTECT, related_name="readings")
    storyline = models.ForeignKey("timeline.Storyline", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    zone = models.CharField(max_length=64, default="UTC")
    read_at = models.DateTimeField()
    read_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    read_by_label = models.CharField(max_length=150)
    # One entry per proposal: the sentence, what was done (created, cited,
    # postponement) and the rows it touched, for the Reading answer.
    outcome = models.JSONField(default=list, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["-read_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_hash", "url"], name="article_read_once"),
        ]

    def __str__(self):
        return self.title or self.url or f"Article of {self.published:%d %b %Y}"


class ProposedChange(models.Model):
    class Kind(models.TextChoices):
        POSTPONE = "postpone", "postponement"

    class State(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        REJECTED = "rejected"

    reading = models.ForeignKey(ArticleReading, on_delete=models.PROTECT, related_name="changes")
    item = models.ForeignKey("timeline.Item", on_delete=models.PROTECT, related_name="proposed_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.POSTPONE)
    when = models.JSONField(help_text="The new When, as When.as_dict().")
    as_of = models.DateField()
    citation = models.ForeignKey("timeline.Citation", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", help_text="The citation of the source that reports it.")
    quote = models.TextField(blank=True)
    item_revision = models.PositiveIntegerField(help_text="The item's revision when the change was proposed.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    proposed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    decided_by_label = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reading", "item", "kind"], name="proposed_change_once_per_reading"),
        ]
        indexes = [
            # The review queue: what waits for an editor.
            models.Index(fields=["proposed_at"], condition=Q(state="pending"), name="proposed_change_pending"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.item} ({self.state})"

    @property
    def new_when(self):
        from timeline.when import When

        return When.from_dict(self.when)
