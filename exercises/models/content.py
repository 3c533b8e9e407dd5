"""The course's content: lectures, their topics, quiz questions and coding
exercises, as instructors author them."""

from __future__ import annotations

import hashlib
import json
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from exercises import difficulty as levels


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
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        help_text="Topics to master first: 'what next' opens this topic once "
        "each of them is well on the way (tutor.next_item).",
    )

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
    # New questions start as drafts; loading the bank publishes its own.
    is_published = models.BooleanField(default=False)
    from_bank = models.BooleanField(
        default=False,
        db_default=False,  # for rows written without it (older migrations' models)
        editable=False,
        help_text="Loaded from the bank files: unpublished when gone from them.",
    )
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

    @property
    def level_name(self) -> str:
        return levels.level_name(self.difficulty)

    @property
    def minutes(self) -> int:
        """About how long the question takes (exercises/difficulty.py)."""
        return levels.question_minutes(self.kind, self.difficulty, self.spec or {})


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
    is_published = models.BooleanField(default=False)  # a draft, as questions
    from_bank = models.BooleanField(
        default=False,
        db_default=False,  # for rows written without it (older migrations' models)
        editable=False,
        help_text="Loaded from the bank files: unpublished when gone from them.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic", "order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exercise", args=[self.slug])

    @property
    def level_name(self) -> str:
        return levels.level_name(self.difficulty)

    @property
    def minutes(self) -> int:
        return levels.exercise_minutes(self.difficulty)

    @property
    def is_own(self) -> bool:
        """An instructor's own exercise: a reference and a case generator of
        its own, no engine spec."""
        return not self.engine_spec

    def source_hash(self) -> str:
        """What a validation covers: an edit to any of it needs a new one."""
        covered = [
            self.entry_point,
            self.reference_solution,
            self.case_generator,
            self.starter_code,
            self.tolerance or {},
        ]
        text = json.dumps(covered, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def publish_problem(self) -> str | None:
        """Why the exercise may not be published now, or None: an own exercise
        needs a passed validation of the code it has now."""
        if not self.is_own:
            return None
        if self.validation_status != self.Validation.PASSED:
            return (
                "An own exercise can be published once its validation in the "
                "sandbox has passed (it is "
                f"{self.get_validation_status_display().lower()})."
            )
        if self.validated_source_hash != self.source_hash():
            return (
                "The code changed since the last validation: publish it once the "
                "new validation has passed."
            )
        return None

    def clean(self) -> None:
        # Students must never meet an own exercise whose reference and cases
        # were not checked in the sandbox, for the code it has now.
        problem = self.publish_problem() if self.is_published else None
        if problem:
            raise ValidationError({"is_published": problem})
