"""What the tutoring layer records about coding practice beyond submissions:
ungraded runs on examples or the student's own input, attempts at the lower
rungs of an algorithm's ladder (faded example, Parsons problem), and the
levelled hints a student opened after a failed submission.

None of these rows is a graded attempt: runs feed analytics only; rung
attempts feed mastery and the ladder position; hint reveals feed mastery (a
first answer after a hint is not first-try right) and the instructors' view
of which hints helped."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from exercises.models.content import CodingExercise
from exercises.models.submissions import Submission


class _Job(models.Model):
    """The queue fields shared by rows a worker claims (exercises.coding.queue)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        ERROR = "error", "Error"

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    worker_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker has claimed it."
    )
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class CodeRun(_Job):
    """One "Run" of the student's code: on the exercise's worked examples (its
    visible cases) or on the student's own input. Never graded, never an
    attempt; it has its own rate limit and queue."""

    class On(models.TextChoices):
        EXAMPLES = "examples", "Worked examples"
        OWN = "own", "Own input"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="code_runs"
    )
    exercise = models.ForeignKey(
        CodingExercise, on_delete=models.CASCADE, related_name="code_runs"
    )
    on = models.CharField(max_length=10, choices=On.choices)
    source = models.TextField()
    inputs = models.JSONField(
        null=True, blank=True, help_text="The student's own arguments (own input)."
    )
    result = models.JSONField(null=True, blank=True)
    matched = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"run #{self.pk} {self.user} · {self.exercise.slug} · {self.status}"


class RungAttempt(_Job):
    """An answer to a lower rung of an exercise's ladder: the blanks of a
    faded example or the order and indents of a Parsons problem. The program
    it assembles is run by the engine like a submission; the verdict (and the
    named mistake, when a distractor was used) is stored here."""

    class Rung(models.TextChoices):
        FADED = "faded", "Faded example"
        PARSONS = "parsons", "Parsons problem"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="rung_attempts",
    )
    exercise = models.ForeignKey(
        CodingExercise, on_delete=models.CASCADE, related_name="rung_attempts"
    )
    rung = models.CharField(max_length=10, choices=Rung.choices)
    seed = models.BigIntegerField(help_text="Seed of the variant shown.")
    answer = models.JSONField(help_text="Blank texts, or block order and indents.")
    source = models.TextField(help_text="The program the answer assembles.")
    passed = models.BooleanField(null=True, blank=True)
    mistake_id = models.CharField(max_length=80, blank=True)
    report = models.JSONField(null=True, blank=True)
    is_first = models.BooleanField(
        default=False, help_text="The first answer to this variant: feeds mastery."
    )
    help_used = models.PositiveSmallIntegerField(
        default=0, help_text="Help taken on this variant before the answer."
    )
    for_review = models.BooleanField(
        default=False, help_text="Served as a spaced review of the exercise."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "exercise", "created_at"])]

    def __str__(self) -> str:
        return f"{self.rung} #{self.pk} {self.user} · {self.exercise.slug}"


class HintReveal(models.Model):
    """A levelled hint a student opened for a failed submission: keyed to the
    named mistake the engine diagnosed ("" with a failure class for the
    generic ladder). Each level is recorded once per student, exercise and
    mistake."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hint_reveals",
    )
    exercise = models.ForeignKey(
        CodingExercise, on_delete=models.CASCADE, related_name="hint_reveals"
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hint_reveals",
    )
    mistake_id = models.CharField(
        max_length=80, help_text="The named mistake, or generic:<failure class>."
    )
    level = models.PositiveSmallIntegerField(
        help_text="1 point, 2 teach, 3 bottom-out."
    )
    seconds_since_last_action = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exercise", "mistake_id", "level"],
                name="one_reveal_per_hint_level",
            )
        ]
        indexes = [models.Index(fields=["exercise", "mistake_id"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.exercise.slug} · {self.mistake_id} L{self.level}"
