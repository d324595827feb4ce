"""Reference data of the record: storylines, actors, outlets, their sources,
and the citations that tie a source to an item."""

from __future__ import annotations

from django.db import models

class Storyline(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    grace_period = models.DurationField(
        null=True, blank=True,
        help_text="How long an open expectation may stay overdue before the system calls it missed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Actor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person"
        ORGANISATION = "organisation"
        STATE = "state"

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names the sources use.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Outlet(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Source(models.Model):
    """One article or statement of an outlet."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="sources")
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, unique=True)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.outlet}: {self.title}"


class Citation(models.Model):
    class Role(models.TextChoices):
        REPORTS_CLAIM = "reports_claim", "reports the claim"
        EVIDENCE = "evidence", "is evidence"
        SETS_DATE = "sets_date", "sets the date"

    item = models.ForeignKey("timeline.Item", on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REPORTS_CLAIM)
    attribution = models.CharField(
        max_length=300, blank=True, help_text="As reported, e.g. 'two senior U.S. officials'; empty for the outlet's own reporting."
    )
    quote = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "source", "role", "attribution"], name="citation_unique_per_item"),
        ]

    def __str__(self):
        return f"{self.source} ({self.get_role_display()})"
