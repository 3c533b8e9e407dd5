"""Setting up a passback: a platform course linked to ours, students who
launched a link to the assignment, and graded work (a stored submission with
its score, announced as a grading announces it)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from exercises.models import Submission
from tests.factories import SubmissionFactory
from tests.lti.flow import launch
from tests.lti.platform import Platform
from tutor.courses.events import announce
from tutor.courses.models import Assignment, Work
from tutor.lti.models import LtiContext, LtiUser, Registration


def link_course(registration: Registration, assignment: Assignment) -> LtiContext:
    return LtiContext.objects.create(
        registration=registration, context_id="course-7", course=assignment.course
    )


def student_launch(
    platform: Platform,
    assignment: Assignment,
    sub: str = "student-1",
    lineitem: str | None = None,
) -> User:
    """A student opens the link to the assignment; their account."""
    response = launch(
        Client(),
        platform,
        sub=sub,
        custom={"assignment": assignment.slug},
        lineitem=lineitem,
    )
    assert response.status_code == 302, response.content[:300]
    return LtiUser.objects.get(sub=sub).user


def graded_work(
    assignment: Assignment, user: User, score: float, *, late: bool = False
) -> Work:
    """A graded submission at the assignment's coding item (not announced)."""
    item = assignment.items.get()
    submission = SubmissionFactory(
        user=user,
        exercise=item.exercise,
        status=Submission.Status.DONE,
        score=score,
        report={"verdict": "passed" if score == 1 else "failed", "score": score},
    )
    return Work.objects.create(
        assignment=assignment, item=item, user=user, submission=submission, late=late
    )


def grade(assignment: Assignment, user: User, score: float, **kwargs: bool) -> Work:
    """Graded work, announced (so the passback runs, eagerly, on commit)."""
    work = graded_work(assignment, user, score, **kwargs)
    announce(work)
    return work
