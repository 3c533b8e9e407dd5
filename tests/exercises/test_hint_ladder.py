"""The hint ladder's pace, kept on the server (exercises.coding.hints):
level 1 at once, level 2 after another graded submission or 30 s, level 3
after level 2 with a confirmation; each level recorded once and announced
once; staff see what was opened and whether it was clicked through."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from exercises.admin.hint_reveals import with_click_through
from exercises.coding import hints
from exercises.coding.hints import HintRefused, hint_reveal, ladder_view
from exercises.coding.signals import hint_revealed
from exercises.models import HintReveal, Submission
from tests.factories import CodingExerciseFactory, SubmissionFactory
from tests.factories.hints import (
    HIDDEN_MARK,
    PASSING,
    TOUCHING,
    FailedSubmissionFactory,
    HintRevealFactory,
    failed_report,
    move_to,
)

pytestmark = pytest.mark.django_db
OPEN = ("edge 1", "edge 6")


@pytest.fixture
def announced() -> Iterator[list[int]]:
    """The reveal ids `hint_revealed` was sent with."""
    sent: list[int] = []

    def receive(sender: Any, reveal_id: int, **kwargs: Any) -> None:
        sent.append(reveal_id)

    hint_revealed.connect(receive, dispatch_uid="test-hint-ladder")
    yield sent
    hint_revealed.disconnect(dispatch_uid="test-hint-ladder")


@pytest.fixture
def failed(student: User) -> Submission:
    return FailedSubmissionFactory(user=student)


def _reveal(submission: Submission, level: int, **kwargs: Any) -> HintReveal:
    kwargs.setdefault("open_cases", OPEN)
    return hint_reveal(
        submission=submission, user=submission.user, level=level, **kwargs
    )


def test_level_one_is_shown_at_once_and_recorded_once(
    failed: Submission,
    announced: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        view = ladder_view(submission=failed, user=failed.user, open_cases=OPEN)
        again = ladder_view(submission=failed, user=failed.user, open_cases=OPEN)
    assert view is not None and again is not None
    assert view.mistake_id == "iou-plus-one" and view.named
    reveal = HintReveal.objects.get()
    assert (reveal.level, reveal.mistake_id, reveal.submission) == (
        1,
        "iou-plus-one",
        failed,
    )
    assert announced == [reveal.pk]
    first, second, third = view.levels
    assert first.text and first.revealed_at == reveal.created_at
    assert (second.text, third.text) == ("", "")
    assert second.is_next and not third.is_next
    assert third.waiting == "Hint 3 opens after hint 2."


def test_level_two_waits_thirty_seconds_after_level_one(failed: Submission) -> None:
    first = _reveal(failed, 1)
    with pytest.raises(HintRefused) as refused:
        _reveal(failed, 2, now=first.created_at + timedelta(seconds=18))
    assert refused.value.status == 409
    assert refused.value.message == (
        "Hint 2 opens after your next submission or in 12 s."
    )
    with pytest.raises(HintRefused, match="or in 1 s"):
        _reveal(failed, 2, now=first.created_at + timedelta(seconds=29.5))
    second = _reveal(failed, 2, now=first.created_at + timedelta(seconds=30))
    assert second.level == 2


def test_another_graded_submission_opens_level_two_at_once(
    failed: Submission,
) -> None:
    first = _reveal(failed, 1)
    soon = first.created_at + timedelta(seconds=1)
    ungraded = SubmissionFactory(
        user=failed.user,
        exercise=failed.exercise,
        status=Submission.Status.DONE,
        report=failed_report(mistake=None, verdict="syntax_error", gradable=False),
    )
    move_to(ungraded, soon)
    with pytest.raises(HintRefused):  # a syntax error is no attempt
        _reveal(failed, 2, now=soon)
    later = FailedSubmissionFactory(user=failed.user, exercise=failed.exercise)
    move_to(later, soon)
    assert _reveal(later, 2, now=soon).level == 2


def test_level_three_needs_level_two_and_a_confirmation(
    failed: Submission,
    announced: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    first = _reveal(failed, 1)
    with pytest.raises(HintRefused) as refused:
        _reveal(failed, 3, confirmed=True)
    assert (refused.value.status, refused.value.message) == (
        409,
        "Hint 3 opens after hint 2.",
    )
    later = first.created_at + timedelta(seconds=40)
    _reveal(failed, 2, now=later)
    with pytest.raises(HintRefused) as unconfirmed:
        _reveal(failed, 3, now=later)
    assert unconfirmed.value.status == 400
    assert "counts as helped" in unconfirmed.value.message
    with django_capture_on_commit_callbacks(execute=True):
        third = _reveal(failed, 3, confirmed=True, now=later)
        repeated = _reveal(failed, 3, confirmed=True, now=later)
    assert third == repeated
    assert announced == [third.pk]
    assert HintReveal.objects.filter(level=3).count() == 1
    view = ladder_view(submission=failed, user=failed.user, open_cases=OPEN)
    assert view is not None
    assert all(level.text for level in view.levels)
    assert not any(level.is_next for level in view.levels)


def test_levels_are_kept_per_mistake_across_submissions(failed: Submission) -> None:
    _reveal(failed, 1)
    again = FailedSubmissionFactory(user=failed.user, exercise=failed.exercise)
    other = FailedSubmissionFactory(
        user=failed.user,
        exercise=failed.exercise,
        report=failed_report(mistake="iou-no-clamp"),
    )
    view = ladder_view(submission=again, user=failed.user, open_cases=OPEN)
    assert view is not None and view.levels[0].text
    assert HintReveal.objects.count() == 1
    ladder_view(submission=other, user=failed.user, open_cases=OPEN)
    assert sorted(HintReveal.objects.values_list("mistake_id", flat=True)) == [
        "iou-no-clamp",
        "iou-plus-one",
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"report": failed_report(mistake=None, cases=(PASSING,), verdict="passed")},
        {"report": failed_report(verdict="syntax_error", gradable=False)},
        {"status": Submission.Status.RUNNING, "report": None},
        {"status": Submission.Status.ERROR, "report": None},
    ],
)
def test_a_submission_without_a_diagnosed_failure_has_no_hints(
    student: User, fields: dict[str, Any]
) -> None:
    submission = FailedSubmissionFactory(user=student, **fields)
    assert ladder_view(submission=submission, user=student, open_cases=OPEN) is None
    with pytest.raises(HintRefused) as refused:
        _reveal(submission, 1)
    assert refused.value.status == 409
    assert HintReveal.objects.count() == 0


def test_a_level_the_ladder_does_not_have_is_refused(failed: Submission) -> None:
    with pytest.raises(HintRefused) as refused:
        _reveal(failed, 4)
    assert (refused.value.status, refused.value.message) == (
        400,
        "There is no hint 4 for this submission: it has 3.",
    )


def test_only_the_student_who_submitted_opens_hints(
    failed: Submission, other_student: User, instructor: User
) -> None:
    for someone in (other_student, instructor):
        with pytest.raises(HintRefused) as refused:
            hint_reveal(submission=failed, user=someone, level=1, open_cases=OPEN)
        assert refused.value.status == 403
    assert ladder_view(submission=failed, user=other_student, open_cases=OPEN) is None
    assert HintReveal.objects.count() == 0


def test_staff_see_every_level_and_which_were_opened(
    failed: Submission, instructor: User
) -> None:
    first = _reveal(failed, 1)
    second = _reveal(failed, 2, now=first.created_at + timedelta(seconds=31))
    move_to(second, first.created_at + timedelta(seconds=45))
    view = ladder_view(submission=failed, user=instructor, open_cases=OPEN)
    assert view is not None and view.staff
    assert all(level.text for level in view.levels)
    assert [level.revealed_at is not None for level in view.levels] == [
        True,
        True,
        False,
    ]
    assert view.levels[1].seconds_after_previous == 45.0
    assert not view.click_through
    assert not any(level.is_next for level in view.levels)
    assert view.rungs == ()
    assert HintReveal.objects.count() == 2  # viewing opened nothing


def test_two_levels_within_ten_seconds_are_flagged_for_staff_only(
    failed: Submission, instructor: User
) -> None:
    start = timezone.now() - timedelta(minutes=5)
    opened = [
        HintRevealFactory(user=failed.user, exercise=failed.exercise, level=level)
        for level in (1, 2, 3)
    ]
    for level, seconds in zip(opened, (0, 40, 49), strict=True):
        move_to(level, start + timedelta(seconds=seconds))
    view = ladder_view(submission=failed, user=instructor, open_cases=OPEN)
    assert view is not None and view.click_through
    flagged = with_click_through(HintReveal.objects.order_by("level"))
    assert [row.clicked_through for row in flagged] == [False, True, True]
    mine = ladder_view(submission=failed, user=failed.user, open_cases=OPEN)
    assert mine is not None and not mine.staff


def test_the_time_since_the_last_action_is_recorded(failed: Submission) -> None:
    submitted = timezone.now() - timedelta(minutes=10)
    move_to(failed, submitted)
    first = _reveal(failed, 1, now=submitted + timedelta(seconds=42))
    assert first.seconds_since_last_action == 42.0
    move_to(first, submitted + timedelta(seconds=42))
    second = _reveal(failed, 2, now=submitted + timedelta(seconds=100))
    assert second.seconds_since_last_action == 58.0


def test_hints_quote_only_the_cases_the_student_sees(failed: Submission) -> None:
    first = _reveal(failed, 1)
    _reveal(failed, 2, now=first.created_at + timedelta(seconds=31))
    view = ladder_view(submission=failed, user=failed.user, open_cases=OPEN)
    assert view is not None
    texts = [level.text for level in view.levels]
    assert "`expected 0, got 0.2 (error 0.2, tolerance 1e-05)`" in texts[1]
    assert not any(HIDDEN_MARK in text for text in texts)
    closed = ladder_view(submission=failed, user=failed.user, open_cases=())
    assert closed is not None and "0.2" not in closed.levels[1].text


def test_a_failure_with_no_name_gets_a_generic_ladder(student: User) -> None:
    submission = FailedSubmissionFactory(
        user=student, report=failed_report(mistake=None)
    )
    view = ladder_view(submission=submission, user=student, open_cases=OPEN)
    assert view is not None and not view.named
    assert view.mistake_id == "generic:visible"
    assert HintReveal.objects.get().mistake_id == "generic:visible"


def test_an_own_exercise_gets_the_generic_ladder(student: User) -> None:
    exercise = CodingExerciseFactory(own=True)
    exercise.generated_cases = [
        {
            "name": "edge 6",
            "label": "edge: one",
            "hidden": False,
            "inputs": [["x", [1.0, 3.0]]],
            "expected": [-1.0, 1.0],
        },
    ]
    exercise.save()
    report = failed_report(mistake=None, cases=(TOUCHING,))
    submission = FailedSubmissionFactory(user=student, exercise=exercise, report=report)
    view = ladder_view(submission=submission, user=student, open_cases=OPEN)
    assert view is not None and view.mistake_id == "generic:visible"


@pytest.fixture
def with_ladders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hints, "_ladder_ids", lambda: ("iou",))


def test_the_rungs_below_are_offered_after_the_same_mistake_twice(
    failed: Submission, with_ladders: None
) -> None:
    view = ladder_view(submission=failed, user=failed.user, open_cases=OPEN)
    assert view is not None and view.rungs == ()
    again = FailedSubmissionFactory(user=failed.user, exercise=failed.exercise)
    view = ladder_view(submission=again, user=failed.user, open_cases=OPEN)
    assert view is not None
    assert [(rung.label, rung.url) for rung in view.rungs] == [
        ("the Parsons problem", "/exercises/iou/ladder/parsons"),
        ("the faded example", "/exercises/iou/ladder/faded"),
    ]


def test_no_rung_is_offered_without_a_ladder_or_a_name(
    failed: Submission, monkeypatch: pytest.MonkeyPatch
) -> None:
    FailedSubmissionFactory(user=failed.user, exercise=failed.exercise)
    monkeypatch.setattr(hints, "_ladder_ids", lambda: ("nms",))
    view = ladder_view(submission=failed, user=failed.user, open_cases=OPEN)
    assert view is not None and view.rungs == ()
    monkeypatch.setattr(hints, "_ladder_ids", lambda: ("iou",))
    unnamed = [
        FailedSubmissionFactory(
            user=failed.user,
            exercise=failed.exercise,
            report=failed_report(mistake=None),
        )
        for _ in range(2)
    ]
    view = ladder_view(submission=unnamed[1], user=failed.user, open_cases=OPEN)
    assert view is not None and view.rungs == ()


def test_instructors_list_the_reveals_by_exercise_mistake_and_level(
    client: Any, failed: Submission, instructor: User
) -> None:
    start = timezone.now() - timedelta(minutes=5)
    for level, seconds in ((1, 0), (2, 40), (3, 45)):
        reveal = HintRevealFactory(
            user=failed.user, exercise=failed.exercise, level=level, submission=failed
        )
        move_to(reveal, start + timedelta(seconds=seconds))
    client.force_login(instructor)
    listing = client.get("/admin/exercises/hintreveal/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Clicked through (&lt; 10 s)" in html
    assert html.count('alt="True"') == 2 and html.count('alt="False"') == 1
    assert f'href="/submissions/{failed.pk}/"' in html
    level_two = client.get("/admin/exercises/hintreveal/?level=2")
    assert level_two.context["cl"].result_count == 1
    by_mistake = client.get("/admin/exercises/hintreveal/?mistake_id=iou-no-clamp")
    assert by_mistake.context["cl"].result_count == 0
    by_exercise = client.get(
        f"/admin/exercises/hintreveal/?exercise__id__exact={failed.exercise_id}"
    )
    assert by_exercise.context["cl"].result_count == 3
    assert client.get("/admin/exercises/hintreveal/add/").status_code == 403
