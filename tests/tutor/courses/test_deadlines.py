"""An assignment's window for one student: its states at the very edges, an
extension moving the due date (the late window keeps its length unless the
extension sets its own), hidden details after the student's own due date,
and a mock exam's length and deadline (the accommodation counts, the window's
end bounds it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from tests.factories import StudentFactory
from tests.factories.courses import (
    AssignmentFactory,
    ExtensionFactory,
    MembershipFactory,
)
from tests.factories.study import ExamBlueprintFactory
from tutor.courses.deadlines import (
    Window,
    accepts_work,
    exam_deadline,
    exam_minutes,
    hidden_details_shown,
    time_multiplier,
    window_for,
)
from tutor.courses.models import Assignment, Extension

pytestmark = pytest.mark.django_db

OPENS = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 6, 17, 0, tzinfo=UTC)
LATE = DUE + timedelta(days=2)
TICK = timedelta(microseconds=1)
DAY = timedelta(days=1)


def dated(**fields) -> Assignment:
    fields = {"opens_at": OPENS, "due_at": DUE, "late_until": LATE, **fields}
    return AssignmentFactory(published=True, **fields)


@pytest.mark.parametrize(
    ("at", "state"),
    [
        (OPENS - TICK, "upcoming"),
        (OPENS, "open"),
        (DUE, "open"),
        (DUE + TICK, "late"),
        (LATE, "late"),
        (LATE + TICK, "closed"),
    ],
)
def test_the_states_at_the_edges_of_the_window(at: datetime, state: str) -> None:
    assert Window(OPENS, DUE, LATE, extended=False).state(at) == state


def test_without_a_late_window_it_closes_just_after_the_due_date() -> None:
    window = Window(OPENS, DUE, None, extended=False)
    assert (window.state(DUE), window.state(DUE + TICK)) == ("open", "closed")


def test_without_an_extension_the_window_is_the_assignments(student) -> None:
    assignment = dated()
    assert window_for(assignment, student) == Window(OPENS, DUE, LATE, False)
    assert accepts_work(assignment, student, at=DUE + TICK) == "late"


def test_an_extension_moves_the_due_date_and_keeps_the_late_windows_length(
    student,
) -> None:
    assignment = dated()
    ExtensionFactory(assignment=assignment, user=student, due_at=DUE + 3 * DAY)
    window = window_for(assignment, student)
    assert window == Window(OPENS, DUE + 3 * DAY, DUE + 5 * DAY, True)
    assert window.state(LATE + TICK) == "open"


def test_an_extension_may_set_its_own_late_window(student) -> None:
    assignment = dated()
    ExtensionFactory(
        assignment=assignment,
        user=student,
        due_at=DUE + 3 * DAY,
        late_until=DUE + 10 * DAY,
    )
    assert window_for(assignment, student).late_until == DUE + 10 * DAY


def test_an_extension_of_an_assignment_without_a_late_window_adds_none(
    student,
) -> None:
    assignment = dated(late_until=None)
    ExtensionFactory(assignment=assignment, user=student, due_at=DUE + DAY)
    window = window_for(assignment, student)
    assert (window.due_at, window.late_until) == (DUE + DAY, None)
    assert window.state(DUE + DAY + TICK) == "closed"


def test_an_extension_is_one_students_on_one_assignment(student, other_student) -> None:
    assignment, other = dated(), dated()
    ExtensionFactory(assignment=assignment, user=student, due_at=DUE + DAY)
    assert window_for(assignment, other_student).extended is False
    assert window_for(other, student).extended is False
    assert window_for(assignment, AnonymousUser()).due_at == DUE


def test_an_extension_never_shortens_the_window(student) -> None:
    # Granted until the 8th; then the whole class got until the 10th.
    assignment = dated()
    ExtensionFactory(
        assignment=assignment, user=student, due_at=DUE + 2 * DAY, late_until=None
    )
    assignment.due_at, assignment.late_until = DUE + 4 * DAY, DUE + 6 * DAY
    assignment.save()
    window = window_for(assignment, student)
    assert window == Window(OPENS, DUE + 4 * DAY, DUE + 6 * DAY, False)


def test_an_extension_keeps_the_classs_late_window_when_that_ends_later(
    student,
) -> None:
    assignment = dated()
    ExtensionFactory(
        assignment=assignment, user=student, due_at=DUE + DAY, late_until=DUE + DAY
    )
    window = window_for(assignment, student)
    assert (window.due_at, window.late_until, window.extended) == (
        DUE + DAY,
        LATE,
        True,
    )


@pytest.mark.parametrize(
    ("at", "shown"), [(OPENS, False), (DUE, False), (DUE + TICK, True)]
)
def test_hidden_details_are_shown_after_the_due_date(
    student, at: datetime, shown: bool
) -> None:
    assignment = dated()
    assert hidden_details_shown(assignment, student, at=at) is shown


def test_hidden_details_wait_for_the_students_own_due_date(student) -> None:
    assignment = dated()
    ExtensionFactory(assignment=assignment, user=student, due_at=DUE + DAY)
    assert hidden_details_shown(assignment, student, at=DUE + TICK) is False
    assert hidden_details_shown(assignment, student, at=DUE + DAY + TICK) is True


def test_hidden_details_may_be_shown_at_once(student) -> None:
    assignment = dated(hidden_feedback=Assignment.HiddenFeedback.ALWAYS)
    assert hidden_details_shown(assignment, student, at=OPENS) is True


@pytest.mark.parametrize(
    ("multiplier", "minutes"), [(1.0, 30), (1.25, 37.5), (1.5, 45), (2.0, 60)]
)
def test_a_mock_exam_lasts_the_blueprints_time_times_the_accommodation(
    multiplier: float, minutes: float
) -> None:
    assignment = dated(blueprint=ExamBlueprintFactory(duration_minutes=30))
    member = MembershipFactory(
        course=assignment.course, time_multiplier=multiplier
    ).user
    assert time_multiplier(assignment, member) == multiplier
    assert exam_minutes(assignment, member) == minutes


def test_the_multiplier_is_per_course(student) -> None:
    assignment = dated(blueprint=ExamBlueprintFactory(duration_minutes=30))
    MembershipFactory(user=student, time_multiplier=2.0)  # another course
    MembershipFactory(user=student, course=assignment.course)
    assert exam_minutes(assignment, student) == 30
    assert exam_minutes(assignment, StudentFactory()) == 30  # not a member
    assert time_multiplier(assignment, AnonymousUser()) == 1.0


def test_without_a_blueprint_a_paper_lasts_twenty_minutes(student) -> None:
    assert exam_minutes(dated(), student) == 20


@pytest.mark.parametrize(
    ("late_until", "started", "deadline"),
    [
        # Time to spare: the student's minutes, ×1.5.
        (LATE, DUE - DAY, DUE - DAY + timedelta(minutes=45)),
        # Started just before the due date: the late window still runs.
        (LATE, DUE - timedelta(minutes=10), DUE + timedelta(minutes=35)),
        # No late window: the due date ends it.
        (None, DUE - timedelta(minutes=10), DUE),
        # Started at the very end of the late window: it ends there.
        (LATE, LATE - timedelta(minutes=1), LATE),
    ],
)
def test_a_paper_never_runs_past_the_end_of_the_window(
    late_until: datetime | None, started: datetime, deadline: datetime
) -> None:
    assignment = dated(
        late_until=late_until, blueprint=ExamBlueprintFactory(duration_minutes=30)
    )
    member = MembershipFactory(course=assignment.course, time_multiplier=1.5).user
    assert exam_deadline(assignment, member, started) == deadline


def test_an_extension_moves_the_end_of_a_paper(student) -> None:
    assignment = dated(late_until=None, blueprint=ExamBlueprintFactory())
    MembershipFactory(course=assignment.course, user=student)
    started = DUE - timedelta(minutes=5)
    assert exam_deadline(assignment, student, started) == DUE
    ExtensionFactory(assignment=assignment, user=student, due_at=DUE + DAY)
    assert exam_deadline(assignment, student, started) == DUE + timedelta(minutes=25)


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        dated(due_at=OPENS - DAY, late_until=OPENS - 2 * DAY).full_clean()
    assert set(caught.value.message_dict) == {"due_at", "late_until"}
    dated().full_clean()
    dated(late_until=None).full_clean()


def test_an_extension_whose_late_window_ends_before_its_due_date_is_refused(
    student, instructor
) -> None:
    extension = ExtensionFactory.build(
        assignment=dated(),
        user=student,
        due_at=DUE + DAY,
        late_until=DUE,
        granted_by=instructor,
    )
    with pytest.raises(ValidationError) as caught:
        extension.full_clean()
    assert set(caught.value.message_dict) == {"late_until"}
    assert not Extension.objects.exists()
