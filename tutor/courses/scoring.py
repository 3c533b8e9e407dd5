"""An assignment's score, item by item, as its rule says.

Each attempt's score is its own grade in [0, 1] (a quiz answer's credit, a
submission's score once graded, a mock exam's mark), less the late penalty
when it came in late. The item's score is the best, the last or the average
of those, times the item's points. Attempts not graded yet count for nothing
until they are, and are not "the last" either; a submission that could not be
graded (code that does not run, a grader failure) never counts."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tutor.courses.models import Assignment, AssignmentItem, Work

Scoring = Assignment.Scoring


def attempt_score(work: Work, penalty: float) -> float | None:
    raw = work.raw_score
    if raw is None:
        return None
    return raw * (1.0 - penalty) if work.late else raw


def combine(scores: list[float], rule: str) -> float | None:
    """The best, last or average of the graded attempts, in time order."""
    if not scores:
        return None
    if rule == Scoring.LAST:
        return scores[-1]
    if rule == Scoring.AVERAGE:
        # Rounding can carry a float mean just outside its scores (three
        # attempts of 0.7 average 0.6999999999999998): keep it within them.
        mean = math.fsum(scores) / len(scores)
        return min(max(mean, min(scores)), max(scores))
    return max(scores)


@dataclass(frozen=True)
class ItemScore:
    item: AssignmentItem | None  # None: the mock exam of an exam assignment
    points: float
    attempts: int
    graded: int
    share: float | None  # in [0, 1], by the rule; None before any graded attempt

    @property
    def score(self) -> float:
        return (self.share or 0.0) * self.points


@dataclass(frozen=True)
class AssignmentScore:
    assignment: Assignment
    items: list[ItemScore]

    @property
    def score(self) -> float:
        return sum(item.score for item in self.items)

    @property
    def points(self) -> float:
        return sum(item.points for item in self.items)

    @property
    def share(self) -> float:
        return self.score / self.points if self.points else 0.0

    @property
    def started(self) -> bool:
        return any(item.attempts for item in self.items)

    @property
    def complete(self) -> bool:
        return all(item.graded for item in self.items)


def work_for(assignment: Assignment, users: Iterable[Any]) -> dict[int, list[Work]]:
    """Every attempt of these users at the assignment, by user id, in time order."""
    rows = (
        Work.objects.filter(assignment=assignment, user__in=list(users))
        .select_related("quiz_attempt", "submission", "mock_exam")
        .order_by("created_at", "pk")
    )
    by_user: dict[int, list[Work]] = defaultdict(list)
    for work in rows:
        by_user[work.user_id].append(work)
    return by_user


def assignment_score(
    assignment: Assignment,
    work: list[Work],
    items: list[AssignmentItem] | None = None,
) -> AssignmentScore:
    """One student's score from their attempts (`work_for(...)[user.pk]`)."""
    if items is None:
        items = list(assignment.items.all())
    penalty = assignment.late_penalty
    rows: list[ItemScore] = []
    targets: list[tuple[AssignmentItem | None, float]] = [
        (item, item.points) for item in items
    ]
    if assignment.blueprint_id is not None:
        targets.append((None, assignment.exam_points))
    for item, points in targets:
        mine = [w for w in work if w.item_id == (item.pk if item else None)]
        scores = [s for w in mine if (s := attempt_score(w, penalty)) is not None]
        rows.append(
            ItemScore(
                item=item,
                points=points,
                attempts=len(mine),
                graded=len(scores),
                share=combine(scores, assignment.scoring),
            )
        )
    return AssignmentScore(assignment, rows)


def score_for(assignment: Assignment, user: Any) -> AssignmentScore:
    return assignment_score(assignment, work_for(assignment, [user]).get(user.pk, []))
