"""Problems students report on a question or a coding exercise: the instructors'
queue in the admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from exercises.models.content import CodingExercise, Question
from exercises.models.submissions import Submission

NOTE_MAX_CHARS = 2000


class ProblemReport(models.Model):
    """A student's note about one item (a question or a coding exercise, never
    both), with what they were looking at: the variant's seed for a question,
    the submission for an exercise when they reported from its page, and their
    last answer or source."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="problem_reports",
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="problem_reports",
    )
    exercise = models.ForeignKey(
        CodingExercise,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="problem_reports",
    )
    seed = models.BigIntegerField(
        null=True, blank=True, help_text="Seed of the question's variant shown."
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problem_reports",
    )
    note = models.TextField(max_length=NOTE_MAX_CHARS)
    answer = models.JSONField(
        null=True, blank=True, help_text="The student's last answer to the question."
    )
    source = models.TextField(
        blank=True, help_text="The student's last code for the exercise."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["user", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, exercise__isnull=True)
                | Q(question__isnull=True, exercise__isnull=False),
                name="problem_report_one_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.item} · {self.status}"

    @property
    def item(self) -> Question | CodingExercise | None:
        return self.question or self.exercise
