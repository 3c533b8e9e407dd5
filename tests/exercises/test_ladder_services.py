"""The ladder's services: which exercises have one, variants and their seeds,
rung states, help unlocking, and building an answer's program."""

from __future__ import annotations

import pytest

from engine.ladder import get_ladder
from exercises.coding import ladder as rungs
from exercises.models import CodingExercise, RungAttempt
from tests.factories import CodingExerciseFactory, SubmissionFactory
from tests.factories.ladder import RungAttemptFactory, model_blanks, solution_blocks

pytestmark = pytest.mark.django_db
LADDER = get_ladder("iou")


@pytest.fixture
def exercise() -> CodingExercise:
    return CodingExerciseFactory(iou=True)


def test_only_engine_specs_with_a_ladder_have_one() -> None:
    assert rungs.ladder_for(CodingExerciseFactory(engine_spec="iou")) is LADDER
    assert rungs.ladder_for(CodingExerciseFactory(own=True)) is None
    assert rungs.ladder_for(CodingExerciseFactory(engine_spec="no-such")) is None


def test_a_pass_brings_a_new_variant_and_a_failure_keeps_it(student, exercise) -> None:
    first = rungs.rung_seed(user=student, exercise=exercise, rung="parsons")
    RungAttemptFactory(
        user=student, exercise=exercise, seed=first, checked=True, passed=False
    )
    assert rungs.rung_seed(user=student, exercise=exercise, rung="parsons") == first
    RungAttemptFactory(user=student, exercise=exercise, seed=first, checked=True)
    second = rungs.rung_seed(user=student, exercise=exercise, rung="parsons")
    assert second != first
    assert rungs.rung_seed(user=student, exercise=exercise, rung="faded", level=1) != (
        rungs.rung_seed(user=student, exercise=exercise, rung="faded", level=2)
    )


def test_the_rung_seed_is_the_students_own(student, other_student, exercise) -> None:
    mine = rungs.rung_seed(user=student, exercise=exercise, rung="parsons")
    theirs = rungs.rung_seed(user=other_student, exercise=exercise, rung="parsons")
    assert mine != theirs
    assert mine == rungs.rung_seed(user=student, exercise=exercise, rung="parsons")


def test_states_in_words(student, exercise) -> None:
    assert rungs.rung_states(user=student, exercise=exercise) == {
        "faded": "not tried",
        "parsons": "not tried",
        "implement": "not tried",
    }
    RungAttemptFactory(user=student, exercise=exercise, checked=True, passed=False)
    RungAttemptFactory(user=student, exercise=exercise, checked=True)
    RungAttemptFactory(
        user=student, exercise=exercise, faded=True, checked=True, passed=False
    )
    SubmissionFactory(user=student, exercise=exercise, graded=True)
    assert rungs.rung_states(user=student, exercise=exercise) == {
        "faded": "tried",
        "parsons": "passed",
        "implement": "passed",
    }


def test_the_next_faded_level_follows_the_highest_passed(student, exercise) -> None:
    def level() -> int:
        return rungs.faded_next_level(user=student, exercise=exercise, levels=3)

    assert level() == 1
    RungAttemptFactory(
        user=student,
        exercise=exercise,
        faded=True,
        checked=True,
        answer={"level": 2, "blanks": {}},
    )
    assert level() == 3
    RungAttemptFactory(
        user=student,
        exercise=exercise,
        faded=True,
        checked=True,
        answer={"level": 3, "blanks": {}},
    )
    assert level() == 3


def test_help_counts_different_wrong_programs_and_stops_at_the_distractors(
    student, exercise
) -> None:
    def unlocked() -> int:
        return rungs.help_unlocked(
            user=student, exercise=exercise, ladder=LADDER, seed=7
        )

    for source in ["a", "a", "b", "c", "d", "e"]:
        RungAttemptFactory(
            user=student,
            exercise=exercise,
            seed=7,
            checked=True,
            passed=False,
            source=source,
        )
    RungAttemptFactory(
        user=student, exercise=exercise, seed=8, checked=True, passed=False, source="d"
    )
    assert unlocked() == 1
    for n in range(20):
        RungAttemptFactory(
            user=student,
            exercise=exercise,
            seed=7,
            checked=True,
            passed=False,
            source=f"more {n}",
        )
    assert unlocked() == len(LADDER.distractors)


def test_supplied_indents_are_each_lines_own() -> None:
    nms = get_ladder("nms")
    indents = rungs.block_indents(nms, 3)
    placed = solution_blocks(nms, 3)
    assert [indents[block] for block, _ in placed] == [
        line.indent for line in nms.lines
    ]


def test_a_faded_answer_is_the_model_program_when_filled_with_the_model(
    student, exercise
) -> None:
    who = rungs.Answerer(student, exercise)
    attempt = rungs.faded_check(
        who, ladder=LADDER, level=3, blanks=model_blanks(LADDER, 3)
    )
    assert attempt.source == LADDER.source()
    assert attempt.seed == rungs.rung_seed(
        user=student, exercise=exercise, rung="faded", level=3
    )


def test_a_parsons_answer_records_the_instant_order_feedback(student, exercise) -> None:
    seed = rungs.rung_seed(user=student, exercise=exercise, rung="parsons")
    placed = solution_blocks(LADDER, seed)
    placed[0], placed[-1] = placed[-1], placed[0]
    who = rungs.Answerer(student, exercise, for_review=True)
    attempt = rungs.parsons_check(who, ladder=LADDER, seed=seed, placed=placed)
    assert attempt.answer["order_ok"] is False and attempt.answer["first_wrong"] == 0
    assert attempt.for_review and attempt.is_first
    assert attempt.status == RungAttempt.Status.QUEUED
