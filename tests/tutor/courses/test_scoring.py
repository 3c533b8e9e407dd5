"""An assignment's score: each item's graded attempts combined by the rule
(best, last in time, average), late attempts less the penalty, times the
item's points; the mock exam of an exam assignment as one more part; a
regrade reaching the score it changed."""

from __future__ import annotations

import pytest

from exercises.models import Submission
from tests.factories import StudentFactory
from tests.factories.courses import AssignmentFactory, AssignmentItemFactory
from tests.factories.study import MockExamFactory
from tests.tutor.courses.attempts import answered, submitted
from tutor.courses.models import Assignment, Work
from tutor.courses.scoring import (
    assignment_score,
    attempt_score,
    combine,
    score_for,
    work_for,
)
from tutor.courses.work import record

pytestmark = pytest.mark.django_db

Scoring = Assignment.Scoring


@pytest.mark.parametrize(
    ("rule", "share"),
    [(Scoring.BEST, 1.0), (Scoring.LAST, 0.25), (Scoring.AVERAGE, 0.5)],
)
def test_it_combines_the_graded_attempts_by_the_rule(
    assignment, question_item, student, rule: str, share: float
) -> None:
    assignment.scoring = rule
    assignment.save()
    for minutes, score in enumerate([0.25, 1.0, 0.25]):
        answered(assignment, question_item, student, score, minutes=minutes)
    result = score_for(assignment, student)
    [item] = result.items
    assert (item.attempts, item.graded, item.share) == (3, 3, share)
    assert item.score == share * 2.0 and result.points == 2.0


def test_the_last_attempt_is_the_latest_in_time_not_the_latest_row(
    assignment, question_item, student
) -> None:
    assignment.scoring = Scoring.LAST
    assignment.save()
    # The first row made is dated after the second: the time decides.
    answered(assignment, question_item, student, 0.2, minutes=10)
    answered(assignment, question_item, student, 0.9, minutes=5)
    assert score_for(assignment, student).items[0].share == 0.2


@pytest.mark.parametrize(
    "status", [Submission.Status.QUEUED, Submission.Status.RUNNING, "error"]
)
def test_an_attempt_not_graded_counts_for_nothing_and_is_not_the_last(
    assignment, coding_item, student, status: str
) -> None:
    assignment.scoring = Scoring.LAST
    assignment.save()
    submitted(assignment, coding_item, student, 0.6, minutes=0)
    submitted(assignment, coding_item, student, None, status=status, minutes=1)
    [item] = score_for(assignment, student).items
    assert (item.attempts, item.graded, item.share) == (2, 1, 0.6)
    assert item.score == pytest.approx(1.8)


def test_an_average_ignores_the_attempts_not_graded(
    assignment, coding_item, student
) -> None:
    assignment.scoring = Scoring.AVERAGE
    assignment.save()
    submitted(assignment, coding_item, student, 0.5, minutes=0)
    submitted(assignment, coding_item, student, 1.0, minutes=1)
    submitted(assignment, coding_item, student, None, status="error", minutes=2)
    assert score_for(assignment, student).items[0].share == 0.75


def test_code_that_could_not_be_run_is_not_graded_either(
    assignment, coding_item, student
) -> None:
    assignment.scoring = Scoring.LAST
    assignment.save()
    submitted(assignment, coding_item, student, 0.8, minutes=0)
    broken = submitted(assignment, coding_item, student, 0.0, gradable=False, minutes=1)
    assert broken.raw_score is None
    assert score_for(assignment, student).items[0].share == 0.8


def test_before_any_graded_attempt_an_item_has_no_share(
    assignment, question_item, coding_item, student
) -> None:
    submitted(assignment, coding_item, student, None, status="queued")
    result = score_for(assignment, student)
    assert [(i.attempts, i.graded, i.share) for i in result.items] == [
        (0, 0, None),
        (1, 0, None),
    ]
    assert (result.score, result.points, result.share) == (0.0, 5.0, 0.0)
    assert result.started and not result.complete


def test_the_penalty_is_taken_off_late_attempts_only(
    assignment, question_item, student
) -> None:
    assignment.late_penalty = 0.25
    assignment.save()
    on_time = answered(assignment, question_item, student, 0.6, minutes=0)
    late = answered(assignment, question_item, student, 1.0, late=True, minutes=1)
    assert attempt_score(on_time, 0.25) == 0.6
    assert attempt_score(late, 0.25) == 0.75
    # The best is the late full answer, less its penalty.
    assert score_for(assignment, student).items[0].share == 0.75
    answered(assignment, question_item, student, 0.6, late=True, minutes=2)
    assignment.scoring = Scoring.LAST
    assert score_for(assignment, student).items[0].share == pytest.approx(0.45)


def test_points_weigh_each_item(
    assignment, question_item, coding_item, student
) -> None:
    answered(assignment, question_item, student, 0.5)
    submitted(assignment, coding_item, student, 1.0)
    result = score_for(assignment, student)
    assert [item.score for item in result.items] == [1.0, 3.0]
    assert (result.score, result.points, result.share) == (4.0, 5.0, 0.8)
    assert result.complete


def test_the_mock_exam_is_one_part_of_an_exam_assignment(student) -> None:
    assignment = AssignmentFactory(published=True, exam=True, exam_points=10.0)
    item = AssignmentItemFactory(assignment=assignment, points=1.0)
    answered(assignment, item, student, 1.0)
    paper = MockExamFactory(user=student, blueprint=assignment.blueprint)
    record(assignment=assignment, item=None, user=student, mock_exam=paper, late=False)
    result = score_for(assignment, student)
    assert [(i.item, i.points, i.share) for i in result.items] == [
        (item, 1.0, 1.0),
        (None, 10.0, None),  # the paper is still open
    ]
    paper.submitted_at, paper.score = paper.deadline, 0.8
    paper.save()
    result = score_for(assignment, student)
    assert result.items[1].score == 8.0
    assert (result.score, result.points) == (9.0, 11.0)


def test_an_assignment_without_a_blueprint_has_no_exam_part(
    assignment, question_item, student
) -> None:
    assert [item.item for item in score_for(assignment, student).items] == [
        question_item
    ]


def test_a_regrade_that_changes_a_score_changes_the_assignments(
    assignment, coding_item, student
) -> None:
    work = submitted(assignment, coding_item, student, 0.4)
    assert score_for(assignment, student).score == pytest.approx(1.2)
    # What an applied regrade stores (exercises.coding.regrade.runs._apply).
    Submission.objects.filter(work=work).update(
        score=0.9, report={"verdict": "failed", "score": 0.9}
    )
    assert score_for(assignment, student).score == pytest.approx(2.7)


def test_each_student_is_scored_on_their_own_work(
    assignment, question_item, student, other_student
) -> None:
    answered(assignment, question_item, student, 1.0)
    answered(assignment, question_item, other_student, 0.5)
    by_user = work_for(assignment, [student, other_student])
    assert set(by_user) == {student.pk, other_student.pk}
    assert assignment_score(assignment, by_user[student.pk]).score == 2.0
    assert assignment_score(assignment, by_user[other_student.pk]).score == 1.0
    assert score_for(assignment, StudentFactory()).score == 0.0


def test_work_at_another_assignment_does_not_count(
    assignment, question_item, student
) -> None:
    other = AssignmentItemFactory()
    answered(other.assignment, other, student, 1.0)
    assert score_for(assignment, student).started is False
    assert Work.objects.count() == 1


@pytest.mark.parametrize("rule", list(Scoring))
def test_no_graded_attempt_combines_to_nothing(rule: str) -> None:
    assert combine([], rule) is None


def test_an_average_of_equal_attempts_is_that_attempt() -> None:
    # A float mean of three 0.7s is 0.6999999999999998; of three 0.1s it
    # is 0.10000000000000002, above every attempt.
    assert combine([0.7, 0.7, 0.7], Scoring.AVERAGE) == 0.7
    assert combine([0.1, 0.1, 0.1], Scoring.AVERAGE) == 0.1
