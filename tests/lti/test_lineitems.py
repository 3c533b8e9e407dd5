"""The gradebook column of a link without one: found in the platform's list,
else made once (also when two students finish at the same moment); Moodle's
line item URLs with a query string."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.lti.conftest import register
from tests.lti.grading import grade, graded_work, link_course, student_launch
from tests.lti.platform import Platform
from tutor.lti import passback
from tutor.lti.models import GradePassback, LineItem, LtiContext


def _made(platform: Platform) -> int:
    container = urlsplit(platform.lineitems_url).path
    return sum(
        1
        for r in platform.requests_to("POST", container)
        if urlsplit(r.path).path == container
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.django_db
def test_a_link_without_a_column_makes_one_once(
    registration, platform: Platform, assignment, commit
) -> None:
    link_course(registration, assignment)
    alice = student_launch(platform, assignment, sub="alice")
    bob = student_launch(platform, assignment, sub="bob")
    with commit():
        grade(assignment, alice, 1.0)
        grade(assignment, bob, 0.5)
    assert _made(platform) == 1
    [column] = platform.lineitems
    assert column["resourceLinkId"] == "link-1" and column["tag"] == "score"
    assert column["scoreMaximum"] == 10.0
    assert column["resourceId"] == f"assignment:{assignment.slug}"
    assert platform.gradebook("alice") == [10.0] and platform.gradebook("bob") == [5.0]
    assert LineItem.objects.get().url == column["id"]


@pytest.mark.django_db
def test_a_column_the_platform_lists_for_the_link_is_used(
    registration, platform: Platform, assignment, commit
) -> None:
    for n in range(3):  # columns of other links, which the filter leaves out
        platform.add_lineitem(label=f"Other {n}", resourceLinkId=f"other-{n}", tag="x")
    existing = platform.add_lineitem(
        label="Made earlier", scoreMaximum=10, resourceLinkId="link-1", tag="score"
    )
    link_course(registration, assignment)
    user = student_launch(platform, assignment)
    with commit():
        grade(assignment, user, 1.0)
    assert _made(platform) == 0
    assert platform.scores[0]["_lineitem"] == existing["id"]
    listed = platform.requests_to("GET", urlsplit(platform.lineitems_url).path)
    assert "resource_link_id=link-1" in listed[0].path and "tag=score" in listed[0].path


@pytest.mark.django_db
def test_without_the_gradebook_service_the_score_is_stored_as_failed(
    registration, platform: Platform, assignment, commit
) -> None:
    link_course(registration, assignment)
    user = student_launch(platform, assignment)
    LtiContext.objects.update(lineitems_url="")
    with commit():
        grade(assignment, user, 1.0)
    row = GradePassback.objects.get()
    assert row.status == "failed" and "Assignment and Grade Services" in row.last_error


@pytest.mark.django_db
def test_moodle_line_item_urls_keep_their_query_and_200_is_success(
    moodle: Platform, assignment, commit
) -> None:
    registration = register(moodle)
    link_course(registration, assignment)
    user = student_launch(moodle, assignment, sub="5")
    with commit():
        grade(assignment, user, 1.0)
    [score] = moodle.requests_to("POST", "/scores")
    path = urlsplit(score.path)
    assert path.path.endswith("/lineitem/scores") and path.query == "type_id=2"
    assert GradePassback.objects.get().status == "sent"
    assert moodle.gradebook("5") == [10.0]


@pytest.mark.django_db(transaction=True)
def test_two_students_finishing_at_once_make_one_column(
    registration, platform: Platform, assignment
) -> None:
    link_course(registration, assignment)
    students = [student_launch(platform, assignment, sub=s) for s in ("alice", "bob")]
    for user in students:
        graded_work(assignment, user, 1.0)
    start = threading.Barrier(len(students))
    outcomes: list[list[str]] = []

    def finish(user_id: int) -> None:
        try:
            start.wait()
            ids = passback.passback_for_work(
                assignment_id=assignment.pk, user_id=user_id
            )
            outcomes.append([passback.passback_send(passback_id=pk) for pk in ids])
        finally:
            connection.close()

    threads = [threading.Thread(target=finish, args=(u.pk,)) for u in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [["sent"], ["sent"]]
    assert _made(platform) == 1 and LineItem.objects.count() == 1
    assert platform.gradebook("alice") == [10.0] == platform.gradebook("bob")
