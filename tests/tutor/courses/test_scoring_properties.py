"""Properties of the scoring rules over any scores (hypothesis): a combined
score lies within the attempts' scores, the penalty only ever takes off, and
an assignment's score lies within its points. Rows are built in memory: no
database is touched."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exercises.models import QuizAttempt
from tutor.courses.models import Assignment, AssignmentItem, Work
from tutor.courses.scoring import assignment_score, attempt_score, combine

Scoring = Assignment.Scoring
scores = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
shares = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
rules = st.sampled_from(list(Scoring))


@given(st.lists(scores, min_size=1, max_size=30), rules)
def test_a_combined_score_lies_within_the_attempts(
    attempts: list[float], rule: str
) -> None:
    combined = combine(attempts, rule)
    assert combined is not None
    assert min(attempts) <= combined <= max(attempts)


@given(st.lists(scores, min_size=1, max_size=30))
def test_best_and_last_are_attempts_themselves(attempts: list[float]) -> None:
    assert combine(attempts, Scoring.BEST) == max(attempts)
    assert combine(attempts, Scoring.LAST) == attempts[-1]


@given(scores, st.integers(min_value=1, max_value=30), rules)
def test_equal_attempts_combine_to_that_score(
    score: float, count: int, rule: str
) -> None:
    assert combine([score] * count, rule) == score


def _work(pk: int, item: AssignmentItem, score: float, late: bool) -> Work:
    return Work(
        pk=pk, item=item, late=late, quiz_attempt=QuizAttempt(pk=pk, score=score)
    )


@given(scores, shares, st.booleans())
def test_the_penalty_only_takes_off(score: float, penalty: float, late: bool) -> None:
    item = AssignmentItem(pk=1, points=1.0)
    taken = attempt_score(_work(1, item, score, late), penalty)
    assert taken is not None
    assert 0.0 <= taken <= score
    if not late:
        assert taken == score


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0.5, max_value=20.0, allow_nan=False),
            st.lists(st.tuples(scores, st.booleans()), max_size=6),
        ),
        min_size=1,
        max_size=5,
    ),
    shares,
    rules,
)
def test_an_assignment_score_lies_within_its_points(
    plan: list[tuple[float, list[tuple[float, bool]]]], penalty: float, rule: str
) -> None:
    assignment = Assignment(pk=1, late_penalty=penalty, scoring=rule)
    items = [
        AssignmentItem(pk=n + 1, points=points) for n, (points, _) in enumerate(plan)
    ]
    work = [
        _work(len(items) * 100 + n * 10 + k, item, score, late)
        for n, (item, (_, attempts)) in enumerate(zip(items, plan, strict=True))
        for k, (score, late) in enumerate(attempts)
    ]
    result = assignment_score(assignment, work, items)
    assert 0.0 <= result.score <= result.points + 1e-9
    assert 0.0 <= result.share <= 1.0 + 1e-12
    assert [row.attempts for row in result.items] == [len(a) for _, a in plan]
