"""Failed submissions with the reports the grader writes, and the hint
levels students opened (exercises.coding.hints).

`failed_report()` is an IoU grading report: one visible case passed, one
visible case failed (touching boxes: 0.2 where 0 is right, what the "+1 pixel"
mistake returns), and one hidden case whose inputs, values and messages all
hold HIDDEN_MARK, so that a test can assert none of it reaches a page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

import engine
from engine.report import CaseResult, MistakeMatch, Report
from exercises.models import HintReveal, Submission
from tests.factories.content import CodingExerciseFactory
from tests.factories.records import SubmissionFactory
from tests.factories.users import StudentFactory

HIDDEN_MARK = "71.4285"
PASSING = CaseResult(
    name="edge 1",
    passed=True,
    score=1.0,
    message="correct",
    label="edge: identical boxes: IoU 1",
    inputs={"box_a": [0, 0, 2, 2], "box_b": [0, 0, 2, 2]},
    expected=1.0,
    got=1.0,
)
TOUCHING = CaseResult(
    name="edge 6",
    passed=False,
    score=0.0,
    message="expected 0, got 0.2 (error 0.2, tolerance 1e-05)",
    label="edge: touching along an edge: IoU 0",
    inputs={"box_a": [0, 0, 2, 2], "box_b": [2, 0, 4, 2]},
    expected=0.0,
    got=0.2,
)
HIDDEN = CaseResult(
    name="random 4",
    passed=False,
    score=0.0,
    hidden=True,
    label="random",
    message=f"expected {HIDDEN_MARK}, got 0.5",
    inputs={"box_a": [0, 0, float(HIDDEN_MARK), 2], "box_b": [1, 1, 3, 3]},
    expected=float(HIDDEN_MARK),
    got=0.5,
)


def failed_report(
    *,
    mistake: str | None = "iou-plus-one",
    cases: tuple[CaseResult, ...] = (PASSING, TOUCHING, HIDDEN),
    verdict: str = "failed",
    gradable: bool = True,
) -> dict[str, Any]:
    """An IoU report as the grader stores it; `mistake` names one of the
    spec's mistakes (None: a failure with no name)."""
    match = None
    if mistake is not None:
        found = next(m for m in engine.get_spec("iou").mistakes if m.id == mistake)
        match = MistakeMatch(found.id, found.title, found.explanation)
    passed = sum(case.passed for case in cases)
    report = Report(
        exercise="iou",
        verdict=verdict,  # type: ignore[arg-type]
        score=passed / len(cases) if cases else 0.0,
        gradable=gradable,
        message=f"{passed} of {len(cases)} cases passed.",
        cases=cases,
        mistake=match,
    )
    return report.to_dict()


class FailedSubmissionFactory(SubmissionFactory):
    """A graded IoU submission that reproduced the "+1 pixel" mistake."""

    status = Submission.Status.DONE
    score = factory.LazyAttribute(lambda s: (s.report or {}).get("score", 0.0))
    report = factory.LazyFunction(failed_report)
    exercise = factory.SubFactory(CodingExerciseFactory, iou=True)


class HintRevealFactory(DjangoModelFactory[HintReveal]):
    class Meta:
        model = HintReveal

    user = factory.SubFactory(StudentFactory)
    exercise = factory.SubFactory(CodingExerciseFactory, iou=True)
    mistake_id = "iou-plus-one"
    level = 1


def move_to(row: Submission | HintReveal, moment: datetime) -> None:
    """Set a row's created_at (auto_now_add ignores values given on create)."""
    type(row).objects.filter(pk=row.pk).update(created_at=moment)
    row.refresh_from_db()
