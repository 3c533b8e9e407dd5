"""What a mock exam is before it starts and after it is marked: the exams
page's description of each paper's draw (what services._draw_questions does,
in words), and a marked paper's summary: time used, answered, unanswered and
flagged questions, and the weak topics to practise next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import ngettext

from exercises.models import Question, Topic
from tutor import services
from tutor.exams import answer_is_blank
from tutor.models import ExamBlueprint, MockExam

# Weak topics named on a marked paper, at most.
WEAK_TOPICS = 3


def _questions(count: int) -> str:
    return ngettext("%d question", "%d questions", count) % count


# ---------------------------------------------------------------- the draw


def topics_to_draw_from() -> int:
    """How many topics a random paper draws from: those with a published question."""
    published = Question.objects.filter(is_published=True)
    return published.values("topic").distinct().count()


def random_plan(count: int, topics: int) -> str:
    """A random paper's draw in words (services.balanced_draw)."""
    if topics == 0:
        return "There are no published questions to draw from yet."
    if count < topics:
        return (
            f"{_questions(count)}, each from a different topic: "
            f"{count} of the {topics} topics, chosen at random."
        )
    low, extra = divmod(count, topics)
    if extra == 0:
        each = _questions(low)
        return f"{_questions(count)}: {each} from each of the {topics} topics."
    return (
        f"{_questions(count)} spread over all {topics} topics: {low} or {low + 1} "
        f"from each, the topics that get {low + 1} chosen at random."
    )


def paper_plan(blueprint: ExamBlueprint | None, topics: int) -> str:
    """What a paper holds (by its blueprint's rules, or drawn at random) and
    how long it takes, as the exams page says it."""
    minutes = blueprint.duration_minutes if blueprint else services.RANDOM_MINUTES
    if blueprint is None or not blueprint.rules:
        count = blueprint.random_count if blueprint else services.RANDOM_PAPER_SIZE
        return f"{random_plan(count, topics)} {minutes} minutes."
    names = dict(Topic.objects.values_list("code", "title"))
    parts = [
        f"{int(rule['count'])} from {rule['topic']} "
        f"{names.get(str(rule['topic']), '')}".rstrip()
        for rule in blueprint.rules
    ]
    total = sum(int(rule["count"]) for rule in blueprint.rules)
    return f"{_questions(total)}: {', '.join(parts)}. {minutes} minutes."


# ---------------------------------------------------------------- the result


def duration_text(span: timedelta) -> str:
    """A length of time as the result page shows it: "12 min 05 s", "45 s"."""
    seconds = max(0, round(span.total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    if minutes == 0:
        return f"{seconds} s"
    if seconds == 0:
        return f"{minutes} min"
    return f"{minutes} min {seconds:02d} s"


@dataclass(frozen=True)
class WeakTopic:
    code: str
    title: str
    slug: str
    score: float


@dataclass(frozen=True)
class ResultSummary:
    used: timedelta
    allowed: timedelta
    answered: int
    unanswered: int
    flagged: int
    weak: list[WeakTopic]

    @property
    def used_text(self) -> str:
        return duration_text(self.used)

    @property
    def allowed_text(self) -> str:
        return duration_text(self.allowed)


def weak_topics(exam: MockExam) -> list[WeakTopic]:
    """The paper's topics that scored under full marks, lowest score first
    (ties in the course's order), at most WEAK_TOPICS of them."""
    scores = {
        code: float(row["score"])
        for code, row in (exam.by_topic or {}).items()
        if float(row["score"]) < 1
    }
    topics = Topic.objects.filter(code__in=scores)
    ranked = sorted(topics, key=lambda t: (scores[t.code], t.order, t.code))
    return [
        WeakTopic(topic.code, topic.title, topic.slug, scores[topic.code])
        for topic in ranked[:WEAK_TOPICS]
    ]


def exam_result_summary(*, exam: MockExam) -> ResultSummary:
    """A marked paper in numbers: the time it took of the time it had (the
    deadline's time when it ran out), what was answered and flagged, and
    where it went worst."""
    allowed = exam.deadline - exam.started_at
    ended = min(exam.submitted_at or exam.deadline, exam.deadline)
    items = list(exam.items.all())
    answered = sum(
        item.answer is not None and not answer_is_blank(item.answer) for item in items
    )
    return ResultSummary(
        used=min(max(ended - exam.started_at, timedelta(0)), allowed),
        allowed=allowed,
        answered=answered,
        unanswered=len(items) - answered,
        flagged=sum(item.flagged for item in items),
        weak=weak_topics(exam),
    )
