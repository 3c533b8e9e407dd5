"""Read paths of the instructors' gradebook: per student and per topic.

Every measure is one grouped query (GROUP BY student and topic or exercise);
Python only arranges the grouped rows into a table. Staff accounts are left
out: an instructor trying a question is not a student.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db.models import Avg, Count, FloatField, Max, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from exercises.models import (
    CodingExercise,
    Lecture,
    QuestionProgress,
    QuizAttempt,
    Submission,
    Topic,
)
from tutor.models import MockExam
from tutor.selectors import RECENT_DAYS


@dataclass(frozen=True)
class GradebookFilter:
    """Which topics, and which days of activity (both ends included)."""

    lecture: Lecture | None = None
    topic: Topic | None = None
    start: date | None = None
    end: date | None = None

    def topics(self) -> QuerySet[Topic]:
        topics = Topic.objects.select_related("lecture")
        if self.lecture is not None:
            topics = topics.filter(lecture=self.lecture)
        if self.topic is not None:
            topics = topics.filter(pk=self.topic.pk)
        return topics

    def window(self, field_name: str) -> Q:
        """`field_name` (a datetime) within the chosen days, in the site's zone."""
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field_name}__gte": _midnight(self.start)})
        if self.end is not None:
            after = _midnight(self.end + timedelta(days=1))
            condition &= Q(**{f"{field_name}__lt": after})
        return condition


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class TopicCell:
    """Quiz attempts in the window, and mastery as the student's dashboard
    shows it (questions last answered right in the last RECENT_DAYS days,
    out of the topic's published questions)."""

    attempts: int = 0
    correct: int = 0
    mastered: int = 0
    questions: int = 0

    @property
    def mastery(self) -> float:
        return self.mastered / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class ExamSummary:
    """Submitted mock exams started in the window; by topic (in the order of
    the gradebook's topics): the mean of the topic's share on the papers that
    had it, None when none had it."""

    count: int = 0
    mean: float | None = None
    best: float | None = None
    by_topic: list[float | None] = field(default_factory=list)


@dataclass(frozen=True)
class StudentRow:
    student: User
    topics: list[TopicCell]
    best: list[float | None]  # best graded score per exercise, None: no submission
    exams: ExamSummary


@dataclass(frozen=True)
class Gradebook:
    topics: list[Topic]
    exercises: list[CodingExercise]
    rows: list[StudentRow]


def student_list() -> QuerySet[User]:
    return User.objects.filter(is_staff=False, is_superuser=False).order_by("username")


def gradebook_build(
    *,
    filters: GradebookFilter,
    students: QuerySet[User] | None = None,
    now: datetime | None = None,
) -> Gradebook:
    students = student_list() if students is None else students
    topics = list(_topics_with_counts(filters))
    exercises = list(exercise_columns(filters=filters))
    cells = _topic_cells(filters, topics, students, now)
    best = _best_scores(filters, exercises, students)
    exams = _exam_summaries(filters, topics, students)
    rows = [
        StudentRow(
            student,
            [cells.get((student.pk, topic.pk), _empty(topic)) for topic in topics],
            [best.get((student.pk, exercise.pk)) for exercise in exercises],
            exams.get(student.pk, ExamSummary(by_topic=[None] * len(topics))),
        )
        for student in students
    ]
    return Gradebook(topics, exercises, rows)


def _topics_with_counts(filters: GradebookFilter) -> QuerySet[Topic]:
    return filters.topics().annotate(
        n_questions=Count("questions", filter=Q(questions__is_published=True))
    )


def _empty(topic: Topic) -> TopicCell:
    return TopicCell(questions=topic.n_questions)  # type: ignore[attr-defined]


def exercise_columns(*, filters: GradebookFilter) -> QuerySet[CodingExercise]:
    """The filtered topics' exercises: published ones, and any with submissions."""
    return (
        CodingExercise.objects.filter(topic__in=filters.topics())
        .filter(Q(is_published=True) | Q(submissions__isnull=False))
        .distinct()
        .select_related("topic")
        .order_by("topic__lecture__number", "topic__order", "order", "slug")
    )


def _topic_cells(
    filters: GradebookFilter,
    topics: list[Topic],
    students: QuerySet[User],
    now: datetime | None,
) -> dict[tuple[int, int], TopicCell]:
    attempts = (
        QuizAttempt.objects.filter(
            filters.window("created_at"),
            user__in=students,
            question__topic__in=topics,
        )
        .values_list("user", "question__topic")
        .annotate(n=Count("id"), right=Count("id", filter=Q(is_correct=True)))
    )
    mastered = _mastered(topics, students, now)
    questions = {topic.pk: topic.n_questions for topic in topics}  # type: ignore[attr-defined]
    cells: dict[tuple[int, int], TopicCell] = {}
    for user, topic, n, right in attempts:
        cells[(user, topic)] = TopicCell(
            n, right, mastered.pop((user, topic), 0), questions[topic]
        )
    for (user, topic), n in mastered.items():
        cells[(user, topic)] = TopicCell(0, 0, n, questions[topic])
    return cells


def _mastered(
    topics: list[Topic], students: QuerySet[User], now: datetime | None
) -> dict[tuple[int, int], int]:
    """tutor.selectors.mastery_by_topic's count, for every student at once."""
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    rows = (
        QuestionProgress.objects.filter(
            user__in=students,
            question__topic__in=topics,
            last_attempt_at__gte=since,
            last_correct=True,
        )
        .values("user", "question__topic")
        .annotate(n=Count("id"))
        .values_list("user", "question__topic", "n")
    )
    return {(user, topic): n for user, topic, n in rows}


def _best_scores(
    filters: GradebookFilter,
    exercises: list[CodingExercise],
    students: QuerySet[User],
) -> dict[tuple[int, int], float | None]:
    rows = (
        Submission.objects.filter(
            filters.window("created_at"),
            user__in=students,
            exercise__in=exercises,
            status=Submission.Status.DONE,
        )
        .values_list("user", "exercise")
        .annotate(best=Max("score"))
    )
    return {(user, exercise): best for user, exercise, best in rows}


def _exam_summaries(
    filters: GradebookFilter, topics: list[Topic], students: QuerySet[User]
) -> dict[int, ExamSummary]:
    per_topic = {
        f"topic_{topic.pk}": Avg(
            Cast(KT(f"by_topic__{topic.code}__score"), FloatField())
        )
        for topic in topics
    }
    rows = (
        MockExam.objects.filter(
            filters.window("started_at"),
            user__in=students,
            submitted_at__isnull=False,
        )
        .values("user")
        .annotate(n=Count("id"), mean=Avg("score"), best=Max("score"), **per_topic)
    )
    return {
        row["user"]: ExamSummary(
            row["n"],
            row["mean"],
            row["best"],
            [row[f"topic_{topic.pk}"] for topic in topics],
        )
        for row in rows
    }


# --- One student -------------------------------------------------------------


def student_attempts(
    *, student: User, filters: GradebookFilter
) -> QuerySet[QuizAttempt]:
    return (
        QuizAttempt.objects.filter(
            filters.window("created_at"),
            user=student,
            question__topic__in=filters.topics(),
        )
        .select_related("question__topic")
        .order_by("-created_at", "-id")
    )


def student_submissions(
    *, student: User, filters: GradebookFilter
) -> QuerySet[Submission]:
    """Without source and report (large); the verdict and mistake come from the
    report in the database."""
    return (
        Submission.objects.filter(
            filters.window("created_at"),
            user=student,
            exercise__topic__in=filters.topics(),
        )
        .defer("source", "report")
        .annotate(
            verdict=KT("report__verdict"),
            mistake=KT("report__mistake__title"),
            passed=KT("report__passed"),
            total=KT("report__total"),
        )
        .select_related("exercise")
        .order_by("-created_at", "-id")
    )


def student_exams(*, student: User, filters: GradebookFilter) -> QuerySet[MockExam]:
    return MockExam.objects.filter(filters.window("started_at"), user=student)


# --- CSV ---------------------------------------------------------------------

# A cell a spreadsheet would read as a formula (OWASP's list: = + - @, tab, CR).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that starts like a formula gets a leading apostrophe; numbers and
    empty cells pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_header(book: Gradebook) -> list[str]:
    header = ["username", "first name", "last name", "email"]
    for topic in book.topics:
        header += [
            f"{topic.code} attempts",
            f"{topic.code} correct",
            f"{topic.code} mastery",
        ]
    header += [f"{exercise.slug} best score" for exercise in book.exercises]
    header += ["mock exams", "mock exam mean", "mock exam best"]
    header += [f"{topic.code} mock exam mean" for topic in book.topics]
    return header


def csv_rows(book: Gradebook) -> Iterator[list[object]]:
    """One row per student, in the order of `csv_header`; scores in [0, 1]."""
    yield [spreadsheet_safe(cell) for cell in csv_header(book)]
    for row in book.rows:
        student = row.student
        cells: list[object] = [
            student.get_username(),
            student.first_name,
            student.last_name,
            student.email,
        ]
        for cell in row.topics:
            cells += [cell.attempts, cell.correct, _rounded(cell.mastery)]
        cells += [_rounded(best) for best in row.best]
        exams = row.exams
        cells += [exams.count, _rounded(exams.mean), _rounded(exams.best)]
        cells += [_rounded(share) for share in exams.by_topic]
        yield [spreadsheet_safe(cell) for cell in cells]


def _rounded(value: float | None) -> object:
    return "" if value is None else round(value, 4)


def filter_label(filters: GradebookFilter) -> Iterable[str]:
    """Words for a file name: what the export was filtered by."""
    if filters.topic is not None:
        yield f"topic-{filters.topic.code}"
    elif filters.lecture is not None:
        yield f"lecture-{filters.lecture.number}"
    if filters.start is not None:
        yield f"from-{filters.start.isoformat()}"
    if filters.end is not None:
        yield f"to-{filters.end.isoformat()}"
