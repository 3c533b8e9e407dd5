"""The bank is an exam, not a recall drill (issue 17, item 1): at least a
quarter of the questions are at exam level (3), every topic has one, and
students see each item's level and time estimate. The README quotes the
counting command's headline, and the two stay equal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from exercises.bank import course_objects, course_read
from exercises.bank_counts import EXAM_LEVEL, count_bank
from exercises.difficulty import MAX_MINUTES, question_minutes

COUNTS = count_bank(*course_objects(course_read()))
README = Path(__file__).resolve().parents[2] / "README.md"


def test_a_quarter_of_the_questions_are_at_exam_level() -> None:
    assert COUNTS.questions >= 247
    assert COUNTS.exam_share >= 0.25, COUNTS.lines()[1]


@pytest.mark.parametrize("topic", COUNTS.topics, ids=lambda t: t.code)
def test_every_topic_is_examined_at_exam_level(topic) -> None:
    assert topic.exam_level >= 1, f"{topic.code} has no level-3 question"


def test_every_topic_has_a_coding_exercise() -> None:
    assert [t.code for t in COUNTS.topics if not t.exercises] == []


def test_time_estimates_grow_with_the_level_and_respect_the_author() -> None:
    for kind in ("single", "multiple", "numeric", "symbolic", "matrix", "ordering"):
        one, two, three = (question_minutes(kind, level, {}) for level in (1, 2, 3))
        assert 1 <= one < two < three <= MAX_MINUTES, kind
    parts = {"parts": [{"name": str(i)} for i in range(6)]}
    assert question_minutes("multistep", 3, parts) > question_minutes(
        "multistep", 1, parts
    )
    assert question_minutes("multistep", 3, parts) == 18
    assert question_minutes("single", 1, {"minutes": 9}) == 9
    # An author's nonsense does not reach students.
    for stated in (0, -3, True, "5", 10**6):
        assert 1 <= question_minutes("single", 1, {"minutes": stated}) <= MAX_MINUTES


def test_the_readme_quotes_the_counting_command(capsys) -> None:
    call_command("count_course")
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == COUNTS.headline()
    assert EXAM_LEVEL == 3 and f"{COUNTS.by_level[3]} exam level" in printed[0]
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert COUNTS.headline() in readme, (
        "README.md must quote `manage.py count_course`'s first line: "
        + COUNTS.headline()
    )
