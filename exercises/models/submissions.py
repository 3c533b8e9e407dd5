"""Code submissions and their regrades: the rows the grading queue works on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from exercises.models.content import CodingExercise


class Submission(models.Model):
    """Student code for one coding exercise, graded by the Celery worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Graded"
        ERROR = "error", "Error"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    exercise = models.ForeignKey(
        CodingExercise, on_delete=models.CASCADE, related_name="submissions"
    )
    source = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    score = models.FloatField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    worker_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker has claimed it."
    )
    engine_version = models.CharField(max_length=40, blank=True)
    phase = models.CharField(
        max_length=20,
        blank=True,
        help_text="starting, running, comparing (while active)",
    )
    cases_done = models.PositiveIntegerField(default=0)
    cases_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exercise"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_submission_per_student_and_exercise",
            )
        ]
        indexes = [models.Index(fields=["user", "exercise", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.user} · {self.exercise.slug} · {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("submission", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class RegradeRun(models.Model):
    """Submissions graded again with the current engine: a dry run lists what
    would change; an applied run stores the new scores."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        ERROR = "error", "Error"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    exercise = models.ForeignKey(
        CodingExercise,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="regrade_runs",
        help_text="Set when every submission of one exercise is regraded.",
    )
    submission_ids = models.JSONField(default=list, help_text="The selection.")
    dry_run = models.BooleanField(default=True)
    never_lower = models.BooleanField(
        default=True, help_text="Keep the old score where the new one is lower."
    )
    applies = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applied_by",
        help_text="The dry run this run applies.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    engine_version = models.CharField(max_length=40, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error_message = models.TextField(blank=True)
    reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the scores changed, in the words the students are shown.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "regrade"
        return f"{kind} #{self.pk} ({self.total} submissions)"


class RegradeChange(models.Model):
    """One submission of a regrade run: its old and new score."""

    run = models.ForeignKey(
        RegradeRun, on_delete=models.CASCADE, related_name="changes"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="regrades"
    )
    old_score = models.FloatField(null=True, blank=True)
    new_score = models.FloatField(null=True, blank=True)
    old_verdict = models.CharField(max_length=30, blank=True)
    new_verdict = models.CharField(max_length=30, blank=True)
    old_engine_version = models.CharField(max_length=40, blank=True)
    applied = models.BooleanField(
        default=False, help_text="Whether the new score was stored."
    )
    seen_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the student dismissed the notice of the changed score.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "submission"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "submission"], name="one_change_per_submission_per_run"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id}: {self.old_score} → {self.new_score}"

    @property
    def changed(self) -> bool:
        return self.old_score != self.new_score or self.old_verdict != self.new_verdict
