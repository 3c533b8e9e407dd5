"""The forms of the course pages. Choices of rows (topics, blueprints,
students, questions) are checked against ids offered, in Python: a model
choice field would send any posted number to the database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.text import slugify

from exercises.models import CodingExercise, Question, Topic
from tutor.courses.authoring import RESERVED_CODES
from tutor.courses.models import Assignment, Course, Membership
from tutor.models import ExamBlueprint

LOCAL = "%Y-%m-%dT%H:%M"
MULTIPLIERS = [(1.0, "×1"), (1.25, "×1.25"), (1.5, "×1.5"), (2.0, "×2")]


def when(label: str, *, required: bool = True, help_text: str = "") -> forms.Field:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
    )


def _choices(rows: Iterable[Any]) -> list[tuple[str, str]]:
    return [(str(row.pk), str(row)) for row in rows]


class DescribedForm(forms.Form):
    """A form whose fields, once they have errors, name them (and their help
    text) in aria-describedby, so a screen reader reads why a field is
    invalid; Django itself marks the field aria-invalid. The template gives
    the errors the id `<field id>_error` (courses/includes/fields.html)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}_error"]
            if bound.help_text:
                ids.insert(0, f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


class JoinForm(DescribedForm):
    invite_code = forms.CharField(
        max_length=40,
        label="Invite code",
        help_text="Ten letters and digits, from your instructor.",
    )


class CourseForm(DescribedForm):
    code = forms.SlugField(
        max_length=60,
        label="Code",
        help_text="In the course's address, e.g. dl-2026-autumn.",
    )
    title = forms.CharField(max_length=200)
    term = forms.CharField(max_length=60, required=False, help_text="e.g. Autumn 2026")
    topics = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The topics it uses; none: every topic.",
    )

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        self.topic_rows = list(Topic.objects.select_related("lecture"))
        self.fields["topics"].choices = [  # type: ignore[attr-defined]
            (str(t.pk), f"{t.code} {t.title}") for t in self.topic_rows
        ]
        if course is not None:
            del self.fields["code"]
            self.fields["is_active"] = forms.BooleanField(
                required=False,
                label="Active",
                help_text="An inactive course takes no new members by invite.",
            )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).lower()
        if code in RESERVED_CODES:
            raise forms.ValidationError(
                f"“{code}” is a word the site uses; choose another."
            )
        if Course.objects.filter(code=code).exists():
            raise forms.ValidationError(f"A course with the code “{code}” exists.")
        return code

    def chosen_topics(self) -> list[Topic]:
        chosen = set(self.cleaned_data.get("topics") or [])
        return [topic for topic in self.topic_rows if str(topic.pk) in chosen]


class MemberForm(DescribedForm):
    role = forms.ChoiceField(choices=Membership.Role.choices)
    time_multiplier = forms.TypedChoiceField(
        coerce=float,
        choices=MULTIPLIERS,
        label="Time for timed work",
    )


class AssignmentForm(DescribedForm):
    title = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=80,
        required=False,
        help_text="In the assignment's address; empty: made from the title.",
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown, $…$ for maths.",
        max_length=20_000,
    )
    opens_at = when("Opens")
    due_at = when("Due")
    late_until = when(
        "Late work until",
        required=False,
        help_text="Empty: nothing is accepted after the due date.",
    )
    late_penalty = forms.FloatField(
        label="Late penalty (%)",
        min_value=0,
        max_value=100,
        initial=0,
        help_text="Taken off each late attempt's score.",
    )
    max_attempts = forms.IntegerField(
        label="Attempts per item",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Empty: no limit.",
    )
    scoring = forms.ChoiceField(
        choices=Assignment.Scoring.choices, label="Score of an item"
    )
    fresh_variants = forms.BooleanField(
        required=False,
        initial=True,
        label="Fresh variants: each student gets their own numbers",
    )
    hidden_feedback = forms.ChoiceField(
        choices=Assignment.HiddenFeedback.choices,
        label="Details of hidden test cases shown",
    )
    blueprint = forms.ChoiceField(
        required=False,
        label="Mock exam",
        help_text="An exam blueprint: the assignment is a timed paper "
        "(accommodations apply).",
    )
    exam_points = forms.FloatField(
        min_value=0.01, max_value=10_000, initial=10.0, label="Points of the mock exam"
    )

    def __init__(
        self,
        *args: Any,
        course: Course,
        assignment: Assignment | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.course, self.assignment = course, assignment
        # The active blueprints, and the one the assignment has (kept even
        # when it was retired since).
        keep = Q(is_active=True)
        if assignment is not None and assignment.blueprint_id:
            keep |= Q(pk=assignment.blueprint_id)
        blueprints = ExamBlueprint.objects.filter(keep)
        self.blueprint_rows = list(blueprints.distinct())
        self.fields["blueprint"].choices = [  # type: ignore[attr-defined]
            ("", "None: questions and coding exercises"),
            *_choices(self.blueprint_rows),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, due, late = (
            data.get("opens_at"),
            data.get("due_at"),
            data.get("late_until"),
        )
        if isinstance(opens, datetime) and isinstance(due, datetime) and due <= opens:
            self.add_error("due_at", "The due date must come after the opening.")
        if isinstance(due, datetime) and isinstance(late, datetime) and late < due:
            self.add_error("late_until", "Late work cannot end before the due date.")
        slug = data.get("slug") or slugify(str(data.get("title", "")))[:80]
        if not slug:
            self.add_error(
                "slug", "Give the assignment a slug (letters, digits, dashes)."
            )
        clash = self.course.assignments.filter(slug=slug)
        if self.assignment is not None:
            clash = clash.exclude(pk=self.assignment.pk)
        if slug and clash.exists():
            self.add_error("slug", f"This course already has an assignment “{slug}”.")
        data["slug"] = slug
        return data

    def apply(self, assignment: Assignment) -> Assignment:
        data = self.cleaned_data
        for name in (
            "title", "slug", "description", "opens_at", "due_at", "late_until",
            "max_attempts", "scoring", "fresh_variants", "hidden_feedback", "exam_points",
        ):  # fmt: skip
            setattr(assignment, name, data[name])
        assignment.late_penalty = float(data["late_penalty"]) / 100
        chosen = data.get("blueprint") or ""
        assignment.blueprint = next(
            (b for b in self.blueprint_rows if str(b.pk) == chosen), None
        )
        return assignment

    @staticmethod
    def initial_from(assignment: Assignment) -> dict[str, Any]:
        return {
            "title": assignment.title,
            "slug": assignment.slug,
            "description": assignment.description,
            "opens_at": assignment.opens_at,
            "due_at": assignment.due_at,
            "late_until": assignment.late_until,
            "late_penalty": round(assignment.late_penalty * 100, 4),
            "max_attempts": assignment.max_attempts,
            "scoring": assignment.scoring,
            "fresh_variants": assignment.fresh_variants,
            "hidden_feedback": assignment.hidden_feedback,
            "blueprint": str(assignment.blueprint_id or ""),
            "exam_points": assignment.exam_points,
        }


class AddItemsForm(forms.Form):
    question = forms.MultipleChoiceField(required=False)
    exercise = forms.MultipleChoiceField(required=False)
    points = forms.FloatField(min_value=0.01, max_value=10_000, initial=1.0)

    def __init__(
        self,
        *args: Any,
        questions: Iterable[Question],
        exercises: Iterable[CodingExercise],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.question_rows = {str(q.pk): q for q in questions}
        self.exercise_rows = {str(x.pk): x for x in exercises}
        self.fields["question"].choices = [(k, k) for k in self.question_rows]  # type: ignore[attr-defined]
        self.fields["exercise"].choices = [(k, k) for k in self.exercise_rows]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("question") and not data.get("exercise") and not self.errors:
            raise forms.ValidationError(
                "Tick at least one question or coding exercise."
            )
        return data

    def chosen(self) -> tuple[list[Question], list[CodingExercise]]:
        data = self.cleaned_data
        return (
            [self.question_rows[k] for k in data.get("question", [])],
            [self.exercise_rows[k] for k in data.get("exercise", [])],
        )


class ItemRowForm(forms.Form):
    """One item's points, place and removal (prefix item-<id>)."""

    points = forms.FloatField(min_value=0.01, max_value=10_000)
    order = forms.IntegerField(min_value=0, max_value=10_000)
    remove = forms.BooleanField(required=False)

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, words in (
            ("points", "Points"),
            ("order", "Place"),
            ("remove", "Remove"),
        ):
            self.fields[name].widget.attrs["aria-label"] = f"{words} of item {number}"


class ExtensionForm(DescribedForm):
    student = forms.ChoiceField()
    due_at = when("New due date")
    late_until = when(
        "Late work until",
        required=False,
        help_text="Empty: the assignment's late window, moved with the due date.",
    )
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, students: Iterable[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.student_rows = {str(s.pk): s for s in students}
        self.fields["student"].choices = [  # type: ignore[attr-defined]
            (k, s.get_full_name() or s.get_username())
            for k, s in self.student_rows.items()
        ]

    def chosen_student(self) -> User:
        return self.student_rows[self.cleaned_data["student"]]


class RegradeFilterForm(forms.Form):
    exercise = forms.ChoiceField(required=False)
    student = forms.CharField(required=False, max_length=150)

    def __init__(
        self, *args: Any, exercises: Iterable[CodingExercise], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.exercise_rows = {str(x.pk): x for x in exercises}
        self.fields["exercise"].choices = [  # type: ignore[attr-defined]
            ("", "All exercises"),
            *[(k, x.title) for k, x in self.exercise_rows.items()],
        ]

    def chosen_exercise(self) -> CodingExercise | None:
        if not self.is_valid():
            return None
        return self.exercise_rows.get(self.cleaned_data.get("exercise") or "")
