"""What we owe the platforms: a score to pass back per (link, student), and
the course roster the platform last listed."""

from __future__ import annotations

from django.db import models

from tutor.lti.models.platform import LtiContext, LtiResourceLink, LtiUser


class GradePassback(models.Model):
    """The score of one student on one link, as the platform should show it.

    The row is the truth: `score` is what should be in the platform's
    gradebook (the assignment's rule: best attempt by default, late penalty
    included), `last_posted_*` what the platform last accepted. A Celery task
    posts it; the sweep sends again what is due, so nothing is lost when the
    platform or the broker is down. `timestamp` is the score's own time: a
    retry sends the same one, a new score a later one."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "In the platform's gradebook"
        FAILED = "failed", "Refused by the platform"
        SUPERSEDED = "superseded", "Superseded by a newer score"

    link = models.ForeignKey(
        LtiResourceLink, on_delete=models.CASCADE, related_name="passbacks"
    )
    lti_user = models.ForeignKey(
        LtiUser, on_delete=models.CASCADE, related_name="passbacks"
    )
    score = models.FloatField(null=True, blank=True)
    score_maximum = models.FloatField(default=1.0)
    timestamp = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    last_posted_score = models.FloatField(null=True, blank=True)
    last_posted_at = models.DateTimeField(
        null=True, blank=True, help_text="The timestamp of the score last accepted."
    )
    attempts = models.PositiveIntegerField(
        default=0, help_text="Tries at sending the current score."
    )
    last_error = models.TextField(blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "grade passback"
        ordering = ["link", "lti_user"]
        indexes = [models.Index(fields=["status", "next_try_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "lti_user"], name="one_passback_per_link_and_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lti_user} · {self.link} · {self.get_status_display()}"


class RosterMember(models.Model):
    """A member of a platform course, as its roster (NRPS) last listed them.
    `user_id` is the platform's `sub`: whether they have launched is whether
    an LtiUser with that sub exists."""

    context = models.ForeignKey(
        LtiContext, on_delete=models.CASCADE, related_name="roster"
    )
    user_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=255, blank=True)
    roles = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, blank=True, help_text="Active, Inactive…")
    listed = models.BooleanField(
        default=True, help_text="In the platform's roster at the last sync."
    )
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["context", "name", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["context", "user_id"], name="one_roster_row_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or self.user_id} ({self.context})"
