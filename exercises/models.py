"""The course's content (lectures, topics, questions, coding exercises) and what
students do with it (quiz attempts, code submissions, progress)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Lecture(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Lecture {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("lecture", args=[self.slug])


class Topic(models.Model):
    lecture = models.ForeignKey(
        Lecture, on_delete=models.CASCADE, related_name="topics"
    )
    code = models.CharField(max_length=10, help_text="Section number, e.g. 6.10")
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(
        blank=True, help_text="A short lesson in Markdown; $...$ and $$...$$ for maths."
    )
    cheat_sheet = models.JSONField(
        default=list,
        blank=True,
        help_text="Formula entries: a list of {formula (LaTeX), meaning, example}.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["lecture__number", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("topic", args=[self.slug])


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        NUMERIC = "numeric", "Numeric"
        SYMBOLIC = "symbolic", "Symbolic expression"
        MATRIX = "matrix", "Vector / matrix"
        ORDERING = "ordering", "Ordering / trace"
        MULTISTEP = "multistep", "Multi-step"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="questions")
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="A short name for lists; Markdown with $…$ maths.",
    )
    prompt = models.TextField(help_text="Markdown with $...$ maths.")
    spec = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the checker needs for this kind: options, answer, tolerance…",
    )
    explanation = models.TextField(blank=True)
    hints = models.JSONField(default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(default=1)
    tags = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic", "order", "slug"]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("question", args=[self.slug])

    @property
    def label(self) -> str:
        """The title, or the prompt's first sentence without its placeholders."""
        if self.title:
            return self.title
        first = re.split(r"(?<=[.?!])\s|\n\n", self.prompt.strip(), maxsplit=1)[0]
        first = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "…", first)
        return first if len(first) <= 120 else first[:117] + "…"


class CodingExercise(models.Model):
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="coding_exercises"
    )
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    prompt = models.TextField(help_text="The statement in Markdown, with conventions.")
    starter_code = models.TextField(blank=True)
    engine_spec = models.CharField(
        max_length=64,
        blank=True,
        help_text=(
            "Id of the engine's exercise spec (`python -m engine list`). Leave it "
            "blank to write your own reference solution and case generator."
        ),
    )
    # An instructor's own exercise: a reference and a case generator, both run
    # in the sandbox (never in the web or worker process) when it is validated.
    entry_point = models.CharField(
        max_length=100,
        blank=True,
        help_text="The function students write, e.g. `softmax` (own exercises only).",
    )
    reference_solution = models.TextField(
        blank=True,
        help_text="Python defining the entry point: the correct solution. Never shown.",
    )
    case_generator = models.TextField(
        blank=True,
        help_text=(
            "Python defining `cases(seed)`, returning a list of cases; each case is "
            '{"inputs": {argument: value}, "label": "edge: empty", "hidden": false}.'
        ),
    )
    tolerance = models.JSONField(
        default=dict,
        blank=True,
        help_text='How close a float must be to the reference: {"abs": 1e-6, "rel": 1e-6}.',
    )

    class Validation(models.TextChoices):
        UNVALIDATED = "unvalidated", "Not validated"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"

    validation_status = models.CharField(
        max_length=12, choices=Validation.choices, default=Validation.UNVALIDATED
    )
    validation_report = models.JSONField(default=dict, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_source_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="Hash of what the validation covered; an edit after it invalidates it.",
    )
    generated_cases = models.JSONField(
        default=list,
        blank=True,
        help_text="The cases and the reference's outputs, computed in the sandbox.",
    )
    hints = models.JSONField(default=list, blank=True)

    class Feedback(models.TextChoices):
        EVERYTHING = "all", "Everything: inputs, expected and actual values, message"
        MESSAGE = "message", "The message only"
        AFTER_DUE = "after_due", "Nothing until the due date"

    case_feedback = models.CharField(
        max_length=12,
        choices=Feedback.choices,
        default=Feedback.EVERYTHING,
        help_text="What a student sees of each visible case.",
    )
    hidden_case_feedback = models.CharField(
        max_length=12,
        choices=Feedback.choices,
        default=Feedback.AFTER_DUE,
        help_text=(
            "What a student sees of each hidden case. Whatever the setting, a hidden "
            "case says whether it passed and which named mistake it matches."
        ),
    )
    case_overrides = models.JSONField(
        default=dict,
        blank=True,
        help_text='Per case, by name: {"random 3": "message"}.',
    )
    due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            'The due date of the "nothing until the due date" setting: after it, '
            "those cases show their message."
        ),
    )
    limits = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "Sandbox limits for this exercise, overriding the site's defaults: "
            '{"cpu_seconds": 5, "wall_seconds": 11, "memory_mb": 1024}.'
        ),
    )
    difficulty = models.PositiveSmallIntegerField(default=2)
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic", "order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exercise", args=[self.slug])

    def clean(self) -> None:
        # Students must never meet an own exercise whose reference and cases
        # were not checked in the sandbox, for the code it has now.
        from exercises.services.authoring import publish_problem

        problem = publish_problem(self) if self.is_published else None
        if problem:
            raise ValidationError({"is_published": problem})


class QuizAttempt(models.Model):
    """One checked answer to one question. Unreadable input is never stored as an
    attempt: the student is told what could not be read instead."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="attempts"
    )
    seed = models.BigIntegerField(help_text="Seed of the variant the student saw.")
    answer = models.JSONField()
    is_correct = models.BooleanField()
    score = models.FloatField(help_text="Credit in [0, 1].")
    feedback = models.JSONField(default=dict, blank=True)
    hints_used = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "question", "created_at"])]

    def __str__(self) -> str:
        verdict = "right" if self.is_correct else "wrong"
        return f"{self.user} · {self.question} · {verdict}"


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


class QuestionProgress(models.Model):
    """A student's running record on one question, moved by the first answer of
    each practice session only (exercises.services.attempts.session_start)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="progress"
    )
    attempts = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    last_correct = models.BooleanField(default=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    variant = models.PositiveIntegerField(
        default=0,
        help_text="The number of the variant the student works on; it moves on "
        "only when they ask for another after answering it.",
    )

    class Meta:
        verbose_name_plural = "question progress"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="one_progress_row_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question}: {self.correct}/{self.attempts}"


class HintUse(models.Model):
    """A hint a student revealed, on one variant of one question."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hint_uses"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="hint_uses"
    )
    seed = models.BigIntegerField()
    index = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question", "seed", "index"], name="one_use_per_hint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} · hint {self.index + 1}"


class AuditEntry(models.Model):
    """One instructor action that changed content or scores: who, when, what."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor_name = models.CharField(
        max_length=150, help_text="Kept when the account is deleted."
    )
    action = models.CharField(max_length=50, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.target_label}".strip()


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
