"""Named mistakes per coding exercise: how often each diagnoses a failing
first submission, and whether the mistake was gone at the next submission
with and without each hint level (the timeline worked by hand below)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from exercises.models import Submission
from tests.factories import CodingExerciseFactory, InstructorFactory, StudentFactory
from tests.factories.analysis import NO_CLAMP, PLUS_ONE, graded, reveal
from tutor.analysis.hint_effects import Graded, Reveal, effects
from tutor.analysis.mistakes import exercise_mistakes
from tutor.analysis.scope import Scope

T0 = timezone.make_aware(datetime(2026, 3, 2, 12, 0))
DAY = date(2026, 3, 2)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def timeline() -> tuple[list[Graded], list[Reveal]]:
    """u1: a1 +1 ✗ · L1 at 60 s · L2 at 65 s (a click-through) · a2 passes.
    u2: b1 +1 ✗ · b2 +1 ✗ · L1 at 150 s · L2 at 161 s · b3 +1 ✗ · b4 passes.
    u3: c1 +1 ✗, no next submission yet.
    u4: d1 fails unnamed · generic L1 on d1 · d2 passes."""
    plus = "iou-plus-one"
    graded_rows = [
        Graded(1, 1, at(0), False, plus),
        Graded(2, 1, at(120), True, ""),
        Graded(3, 2, at(0), False, plus),
        Graded(4, 2, at(100), False, plus),
        Graded(5, 2, at(200), False, plus),
        Graded(6, 2, at(300), True, ""),
        Graded(7, 3, at(0), False, plus),
        Graded(8, 4, at(0), False, ""),
        Graded(9, 4, at(60), True, ""),
    ]
    reveals = [
        Reveal(1, plus, 1, at(60), 1),
        Reveal(1, plus, 2, at(65), 1),
        Reveal(2, plus, 1, at(150), 4),
        Reveal(2, plus, 2, at(161), 4),
        Reveal(4, "generic:exception", 1, at(30), 8),
    ]
    return graded_rows, reveals


def test_it_compares_next_submissions_with_and_without_each_level() -> None:
    """Episodes of +1: a1→a2 (gone), b1→b2, b2→b3 (kept), b3→b4 (gone).
    L1: opened in the gap of a1 (gone) and b2 (kept); not yet by b2 after b1
    (kept); already read before b3, so b3→b4 counts on neither side.
    L3: never opened: gone after a1 and b3 of four."""
    rows, reveals = timeline()
    found = effects(rows, reveals)["iou-plus-one"]
    assert (found.episodes, found.pending) == (4, 1)
    one, two, three = (found.levels[k] for k in (1, 2, 3))
    assert (one.with_level.gone, one.with_level.n) == (1, 2)
    assert (one.without_level.gone, one.without_level.n) == (0, 1)
    assert (two.with_level.gone, two.with_level.n) == (1, 2)
    assert (two.without_level.gone, two.without_level.n) == (0, 1)
    assert (three.with_level.n, three.without_level.gone, three.without_level.n) == (
        0,
        2,
        4,
    )
    assert one.with_level.share == pytest.approx(0.5)
    assert three.with_level.share is None


def test_it_counts_openings_and_click_throughs_within_ten_seconds() -> None:
    rows, reveals = timeline()
    found = effects(rows, reveals)["iou-plus-one"]
    assert [found.levels[k].opened for k in (1, 2, 3)] == [2, 2, 0]
    # 5 s after level 1 is a click-through; 11 s is not.
    assert [found.levels[k].click_throughs for k in (1, 2, 3)] == [0, 1, 0]


def test_a_generic_ladder_counts_a_pass_at_the_next_submission() -> None:
    rows, reveals = timeline()
    generic = effects(rows, reveals)["generic:exception"]
    level = generic.levels[1]
    assert (level.opened, level.with_level.gone, level.with_level.n) == (1, 1, 1)
    assert level.without_level.n == 0


@pytest.mark.django_db
def test_it_shares_out_failing_first_submissions_by_mistake() -> None:
    """Five students' first counted submissions: +1 twice, no clamp once,
    one unnamed failure, one pass. s1's syntax error is no attempt, staff
    and an errored grading are not read."""
    exercise = CodingExerciseFactory(iou=True)
    s1, s2, s3, s4, s5, s6 = (StudentFactory() for _ in range(6))
    graded(s1, exercise, at=at(0), verdict="syntax_error", gradable=False)
    graded(s1, exercise, at=at(10), mistake=PLUS_ONE)
    graded(s2, exercise, at=at(0), mistake=PLUS_ONE)
    reveal(s2, exercise, level=1, at=at(20))
    graded(s2, exercise, at=at(60))
    graded(s3, exercise, at=at(0), mistake=NO_CLAMP)
    graded(s4, exercise, at=at(0), verdict="failed")
    graded(s5, exercise, at=at(0))
    graded(InstructorFactory(), exercise, at=at(0), mistake=PLUS_ONE)
    errored = graded(s6, exercise, at=at(0), mistake=PLUS_ONE)
    Submission.objects.filter(pk=errored.pk).update(status=Submission.Status.ERROR)

    result = exercise_mistakes(exercise=exercise, scope=Scope(start=DAY, end=DAY))
    assert (result.first_passed, result.first_failed, result.first_unnamed) == (1, 4, 1)
    assert [(row.id, row.first, row.share) for row in result.mistakes] == [
        ("iou-plus-one", 2, 0.5),
        ("iou-no-clamp", 1, 0.25),
        ("iou-over-smaller-area", 0, 0.0),
    ]
    assert all(row.declared for row in result.mistakes)
    assert result.mistakes[0].title == "+1 pixel convention"
    plus = result.mistakes[0].effects
    assert (plus.episodes, plus.pending) == (1, 1)  # s2 fixed it, s1 not back yet
    assert (plus.levels[1].with_level.gone, plus.levels[1].with_level.n) == (1, 1)
    assert (result.graded, result.capped) == (6, False)


@pytest.mark.django_db
def test_the_days_and_the_cap_bound_what_is_read() -> None:
    exercise = CodingExerciseFactory(iou=True)
    student = StudentFactory()
    graded(student, exercise, at=at(0), mistake=PLUS_ONE)
    graded(student, exercise, at=at(60))
    reveal(student, exercise, level=1, at=at(30))
    before = exercise_mistakes(
        exercise=exercise, scope=Scope(end=DAY - timedelta(days=1))
    )
    assert (before.students, before.graded) == (0, 0)
    rows = {row.id: row for row in before.mistakes}
    assert rows["iou-plus-one"].levels[0].opened == 0  # opened on DAY
    every_day = exercise_mistakes(exercise=exercise, scope=Scope())
    rows = {row.id: row for row in every_day.mistakes}
    assert rows["iou-plus-one"].levels[0].opened == 1
    capped = exercise_mistakes(exercise=exercise, scope=Scope(), limit=1)
    assert capped.capped and capped.graded == 1
    assert capped.first_failed == 1  # the first submission is read in full


@pytest.mark.django_db
def test_a_mistake_outside_the_spec_is_listed_and_marked() -> None:
    exercise = CodingExerciseFactory(own=True)
    graded(StudentFactory(), exercise, at=at(0), mistake=PLUS_ONE)
    (row,) = exercise_mistakes(exercise=exercise, scope=Scope()).mistakes
    assert (row.id, row.declared, row.first, row.share) == (
        "iou-plus-one",
        False,
        1,
        1.0,
    )
