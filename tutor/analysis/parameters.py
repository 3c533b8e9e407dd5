"""A parameterised question's first attempts, split by each value it draws:
facility (shrunk), difficulty shift against the Rasch model, discrimination
where a bucket is large enough, and a flag in words where one value makes
the question far harder or easier than its siblings (TUTORING.md 7.2).

First attempts: each student's first answer to each variant (question, seed)
of the question, the one given before any feedback on it. Abilities come
from the student's rest score: their first attempts at every other question
in the same days (stats.rest_ability).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q

from exercises.models import Question, QuizAttempt
from tutor.analysis import stats
from tutor.analysis.facets import Value, is_parameterised, split, variant_facets
from tutor.analysis.scope import Scope
from tutor.item_analysis import point_biserial

log = logging.getLogger(__name__)

# The latest first attempts read: rebuilding a variant can take tens of
# milliseconds, so the page stays bounded however long a course runs.
MAX_FIRST_ATTEMPTS = 2_000
MIN_TO_JUDGE = 8  # fewer answers in a bucket: counts shown greyed, no flag
MIN_FOR_DISCRIMINATION = 20
FLAG_LOGITS = 1.0  # a shift this large ...
FLAG_Z = 2.0  # ... and this many standard errors from 0 ...
FALSE_DISCOVERY_RATE = 0.10  # ... among the item's buckets (Benjamini-Hochberg)
HARDER = "far harder than its siblings"
EASIER = "far easier than its siblings"


@dataclass(frozen=True)
class Answer:
    """One first attempt: right or not, the student's ability and rest score
    (None when they answered nothing else), the facets of the variant."""

    correct: bool
    ability: float
    rest: float | None
    facets: dict[str, Value]


@dataclass
class Bucket:
    label: str
    n: int
    right: int
    shrunk: float
    shift: stats.Shift | None
    discrimination: float | None  # upper-lower index, from MIN_FOR_DISCRIMINATION
    flag: str = ""

    @property
    def judged(self) -> bool:
        return self.n >= MIN_TO_JUDGE

    @property
    def share(self) -> float:
        return self.right / self.n if self.n else 0.0

    @property
    def shift_text(self) -> str:
        """The shift as a page shows it: signed, with its standard error."""
        if self.shift is None:
            return ""
        return f"{self.shift.logits:+.2f} ± {self.shift.se:.2f}"


@dataclass(frozen=True)
class Parameter:
    name: str
    by_thirds: bool
    buckets: tuple[Bucket, ...]


@dataclass(frozen=True)
class ItemParameters:
    question: Question
    answers: int  # first attempts analysed
    right: int
    capped: bool  # more first attempts exist than were read
    unbuilt: int  # first attempts whose variant could not be rebuilt
    difficulty: float | None
    discrimination: float | None  # point-biserial against the rest score
    parameters: tuple[Parameter, ...] = ()
    flagged: tuple[tuple[str, Bucket], ...] = field(default=())

    @property
    def facility(self) -> float:
        return self.right / self.answers if self.answers else 0.0


def item_parameters(
    *, question: Question, scope: Scope, limit: int = MAX_FIRST_ATTEMPTS
) -> ItemParameters:
    """The analysis of one question's latest `limit` first attempts in scope."""
    first = _first_attempts(question, scope, limit + 1)
    capped, first = len(first) > limit, first[:limit]
    rest = _rest_counts(question, scope)
    answers, unbuilt = _answers(question, first, rest)
    if not answers:
        return ItemParameters(question, 0, 0, capped, unbuilt, None, None)
    abilities = [a.ability for a in answers]
    correct = [a.correct for a in answers]
    difficulty = stats.item_difficulty(abilities, correct)
    predicted = [stats.sigmoid(theta - difficulty) for theta in abilities]
    parameters = _parameters(answers, predicted)
    with_rest = [a for a in answers if a.rest is not None]
    return ItemParameters(
        question,
        len(answers),
        sum(correct),
        capped,
        unbuilt,
        difficulty,
        point_biserial(
            [float(a.correct) for a in with_rest],
            [float(a.rest or 0) for a in with_rest],
        ),
        parameters,
        _flag(parameters),
    )


def _first_attempts(
    question: Question, scope: Scope, limit: int
) -> list[tuple[int, int, bool]]:
    """(student, seed, right) of first attempts in scope, latest first: the
    first ever at each variant, kept when it falls in the days chosen."""
    attempts = scope.students(QuizAttempt.objects.filter(question=question))
    firsts = attempts.values("user", "seed").annotate(first=Min("id")).values("first")
    return list(
        QuizAttempt.objects.filter(scope.window(), pk__in=firsts)
        .order_by("-id")
        .values_list("user_id", "seed", "is_correct")[:limit]
    )


def _rest_counts(question: Question, scope: Scope) -> dict[int, tuple[int, int]]:
    """{student: (answered, right)} over first attempts at other questions."""
    students = scope.students(QuizAttempt.objects.filter(question=question))
    others = scope.students(
        QuizAttempt.objects.exclude(question=question).filter(
            user__in=students.values("user")
        )
    )
    firsts = (
        others.values("user", "question", "seed")
        .annotate(first=Min("id"))
        .values("first")
    )
    grouped = (
        QuizAttempt.objects.filter(scope.window(), pk__in=firsts)
        .values("user")
        .annotate(n=Count("id"), right=Count("id", filter=Q(is_correct=True)))
        .values_list("user", "n", "right")
    )
    return {user: (n, right) for user, n, right in grouped}


def _answers(
    question: Question,
    first: list[tuple[int, int, bool]],
    rest: dict[int, tuple[int, int]],
) -> tuple[list[Answer], int]:
    answers, unbuilt = [], 0
    for user, seed, correct in first:
        try:
            facets = (
                variant_facets(question, seed) if is_parameterised(question) else {}
            )
        # The generator is course content: a variant it can no longer build
        # is counted and left out, never a failed page.
        except Exception:  # noqa: BLE001
            if not unbuilt:
                log.warning("variant %s of %s cannot be rebuilt", seed, question.slug)
            unbuilt += 1
            continue
        answered, right = rest.get(user, (0, 0))
        answers.append(
            Answer(
                correct=bool(correct),
                ability=stats.rest_ability(right, answered),
                rest=right / answered if answered else None,
                facets=facets,
            )
        )
    return answers, unbuilt


def _parameters(answers: list[Answer], predicted: list[float]) -> tuple[Parameter, ...]:
    overall = sum(a.correct for a in answers) / len(answers)
    names = dict.fromkeys(name for a in answers for name in a.facets)
    found = []
    for name in names:
        having = [i for i, a in enumerate(answers) if name in a.facets]
        buckets = split([answers[i].facets[name] for i in having])
        if buckets is None:
            continue
        groups: dict[str, list[int]] = defaultdict(list)
        for i in having:
            groups[buckets.of(answers[i].facets[name])].append(i)
        found.append(
            Parameter(
                name,
                buckets.by_thirds,
                tuple(
                    _bucket(label, groups[label], answers, predicted, overall)
                    for label in buckets.labels
                    if groups[label]
                ),
            )
        )
    return tuple(found)


def _bucket(
    label: str,
    members: list[int],
    answers: list[Answer],
    predicted: list[float],
    overall: float,
) -> Bucket:
    correct = [answers[i].correct for i in members]
    n, right = len(members), sum(correct)
    discrimination = None
    if n >= MIN_FOR_DISCRIMINATION:
        discrimination = stats.upper_lower_index(
            [answers[i].ability for i in members], correct
        )
    return Bucket(
        label=label,
        n=n,
        right=right,
        shrunk=stats.shrunk_facility(right, n, overall),
        shift=stats.difficulty_shift([predicted[i] for i in members], correct),
        discrimination=discrimination,
    )


def _flag(parameters: tuple[Parameter, ...]) -> tuple[tuple[str, Bucket], ...]:
    """Mark the buckets far off their siblings: at least MIN_TO_JUDGE
    answers, a shift of at least FLAG_LOGITS and FLAG_Z standard errors,
    significant among all the item's judged buckets at FALSE_DISCOVERY_RATE.
    Returns the flagged (parameter, bucket) pairs, largest shift first."""
    judged = [
        (parameter.name, bucket)
        for parameter in parameters
        for bucket in parameter.buckets
        if bucket.judged and bucket.shift is not None
    ]
    significant = stats.benjamini_hochberg(
        [bucket.shift.p_value for _, bucket in judged if bucket.shift is not None],
        FALSE_DISCOVERY_RATE,
    )
    flagged = []
    for (name, bucket), kept in zip(judged, significant, strict=True):
        shift = bucket.shift
        if (
            kept
            and shift
            and abs(shift.logits) >= FLAG_LOGITS
            and abs(shift.z) >= FLAG_Z
        ):
            bucket.flag = HARDER if shift.logits > 0 else EASIER
            flagged.append((name, bucket))
    return tuple(
        sorted(
            flagged, key=lambda pair: -abs(pair[1].shift.logits if pair[1].shift else 0)
        )
    )
