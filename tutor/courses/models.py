"""A course, who is in it and with which role, and the work assigned in it."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from exercises.models import CodingExercise, Question, QuizAttempt, Submission, Topic
from tutor.models import ExamBlueprint, MockExam


def invite_code() -> str:
    """Ten unambiguous characters: easy to read out in a lecture hall."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Course(models.Model):
    """One run of the course for one cohort (e.g. "DL 2026, autumn")."""

    code = models.SlugField(max_length=60, unique=True, help_text="e.g. dl-2026-autumn")
    title = models.CharField(max_length=200)
    term = models.CharField(max_length=60, blank=True, help_text="e.g. Autumn 2026")
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="courses",
        help_text="The topics this course uses; none: every topic.",
    )
    invite_code = models.CharField(max_length=20, unique=True, default=invite_code)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.term})" if self.term else self.title

    def get_absolute_url(self) -> str:
        return reverse("course", args=[self.code])


class Membership(models.Model):
    """A user's place in one course. Roles are per course: an instructor of
    one course can be a student in another."""

    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        TA = "ta", "Teaching assistant"
        INSTRUCTOR = "instructor", "Instructor"

    class Source(models.TextChoices):
        INVITE = "invite", "Invite code"
        LTI = "lti", "LMS launch"
        STAFF = "staff", "Added by staff"
        MIGRATION = "migration", "Existing account"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.STUDENT)
    time_multiplier = models.FloatField(
        default=1.0,
        choices=[(1.0, "×1"), (1.25, "×1.25"), (1.5, "×1.5"), (2.0, "×2")],
        help_text="Accommodation: timed work (mock exams) lasts this much longer.",
    )
    source = models.CharField(
        max_length=12, choices=Source.choices, default=Source.STAFF
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "user"], name="one_membership_per_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.course.code} · {self.get_role_display()}"

    @property
    def is_staff_role(self) -> bool:
        """Teaching assistants and instructors see the course's records."""
        return self.role in (self.Role.TA, self.Role.INSTRUCTOR)


def window_problems(
    opens_at: datetime | None, due_at: datetime | None, late_until: datetime | None
) -> None:
    """Raise ValidationError for a window that ends before it starts: a due
    date before the opening, a late window that ends before the due date."""
    errors = {}
    if opens_at and due_at and due_at < opens_at:
        errors["due_at"] = "The due date is before the assignment opens."
    if due_at and late_until and late_until < due_at:
        errors["late_until"] = "The late window ends before the due date."
    if errors:
        raise ValidationError(errors)


class Assignment(models.Model):
    """Work due in a course: questions and coding exercises with points, or a
    mock exam drawn by a blueprint."""

    class Scoring(models.TextChoices):
        BEST = "best", "Best attempt"
        LAST = "last", "Last attempt"
        AVERAGE = "average", "Average of the attempts"

    class HiddenFeedback(models.TextChoices):
        AFTER_DUE = "after_due", "After the due date"
        ALWAYS = "always", "At once"

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="assignments"
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown, $…$ for maths.")
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    late_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Work after the due date and before this is accepted, with the penalty.",
    )
    late_penalty = models.FloatField(
        default=0.0, help_text="Share of a late attempt's score taken off (0 to 1)."
    )
    max_attempts = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Attempts per item; empty: no limit."
    )
    scoring = models.CharField(
        max_length=10, choices=Scoring.choices, default=Scoring.BEST
    )
    fresh_variants = models.BooleanField(
        default=True,
        help_text="Each student gets their own numbers in parameterised questions.",
    )
    hidden_feedback = models.CharField(
        max_length=10,
        choices=HiddenFeedback.choices,
        default=HiddenFeedback.AFTER_DUE,
        help_text="When students see the details of hidden test cases.",
    )
    blueprint = models.ForeignKey(
        ExamBlueprint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text="A mock exam drawn by this blueprint (timed; accommodations apply).",
    )
    exam_points = models.FloatField(default=10.0, help_text="Points of the mock exam.")
    is_published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "due_at", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "slug"], name="one_assignment_slug_per_course"
            ),
            models.CheckConstraint(
                condition=Q(late_penalty__gte=0) & Q(late_penalty__lte=1),
                name="late_penalty_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("assignment", args=[self.course.code, self.slug])

    def clean(self) -> None:
        window_problems(self.opens_at, self.due_at, self.late_until)


class AssignmentItem(models.Model):
    """One question or coding exercise of an assignment, with its points."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="items"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exercise = models.ForeignKey(
        CodingExercise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.FloatField(default=1.0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assignment", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(question__isnull=False) & Q(exercise__isnull=True))
                | (Q(question__isnull=True) & Q(exercise__isnull=False)),
                name="item_is_a_question_or_an_exercise",
            ),
            models.CheckConstraint(
                condition=Q(points__gt=0), name="item_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.question or self.exercise)

    @property
    def content(self) -> Question | CodingExercise:
        return self.question or self.exercise  # type: ignore[return-value]


class Extension(models.Model):
    """A later due date (and late window) for one student on one assignment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extensions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions"
    )
    due_at = models.DateTimeField()
    late_until = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user"], name="one_extension_per_student"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.assignment} · until {self.due_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        window_problems(None, self.due_at, self.late_until)


class Work(models.Model):
    """One attempt a student made at an item of an assignment: the quiz
    attempt, the code submission or the mock exam it made, and whether it
    came in late. Its score is read from that row (a submission's arrives
    when it is graded, and changes when it is regraded)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="work"
    )
    item = models.ForeignKey(
        AssignmentItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="work",
        help_text="Empty for the mock exam of an exam assignment.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_work"
    )
    quiz_attempt = models.OneToOneField(
        QuizAttempt,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="work",
    )
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="work"
    )
    mock_exam = models.OneToOneField(
        MockExam, null=True, blank=True, on_delete=models.CASCADE, related_name="work"
    )
    late = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["assignment", "user", "item"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(quiz_attempt__isnull=False)
                    & Q(submission__isnull=True)
                    & Q(mock_exam__isnull=True)
                )
                | (
                    Q(quiz_attempt__isnull=True)
                    & Q(submission__isnull=False)
                    & Q(mock_exam__isnull=True)
                )
                | (
                    Q(quiz_attempt__isnull=True)
                    & Q(submission__isnull=True)
                    & Q(mock_exam__isnull=False)
                ),
                name="work_is_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.assignment} · {self.item or 'exam'}"

    @property
    def raw_score(self) -> float | None:
        """The attempt's own score in [0, 1], None while it is not graded (and
        for ever for a submission that could not be graded: see `counts`)."""
        if self.quiz_attempt_id is not None:
            return self.quiz_attempt.score  # type: ignore[union-attr]
        if self.submission_id is not None:
            submission = self.submission
            if submission is None or submission.status != Submission.Status.DONE:
                return None
            if not _gradable(submission):
                return None
            return submission.score
        exam = self.mock_exam
        return None if exam is None or exam.submitted_at is None else exam.score

    @property
    def counts(self) -> bool:
        """Whether this attempt uses up one of the item's attempts. A
        submission that could not be run (a syntax error, a missing function,
        a forbidden call: the report says `gradable: false`) or that the
        grader failed on (status "error") costs no attempt, as the engine's
        result contract promises; one still queued or running does."""
        submission = self.submission if self.submission_id is not None else None
        if submission is None:
            return True
        if submission.status == Submission.Status.ERROR:
            return False
        return submission.status != Submission.Status.DONE or _gradable(submission)


def _gradable(submission: Submission) -> bool:
    report = submission.report if isinstance(submission.report, dict) else {}
    return report.get("gradable", True) is not False
