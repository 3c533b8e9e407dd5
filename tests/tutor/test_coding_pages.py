"""The coding exercise's page and the code-submission flow over HTTP."""

import json

import pytest
from django.test import Client

from engine import get_spec, grade
from exercises.models import Submission
from tests.factories import IOU_SOURCE, SubmissionFactory

pytestmark = pytest.mark.django_db


def test_the_coding_page_needs_a_sign_in(client: Client, course: None) -> None:
    response = client.get("/exercises/iou/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_submitting_code_shows_the_report(
    student_client: Client, course: None, django_capture_on_commit_callbacks
) -> None:
    page = student_client.get("/exercises/iou/")
    assert b"raise NotImplementedError" in page.content  # the starter code
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post("/exercises/iou/submit", {"source": IOU_SOURCE})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == "done"
    report = student_client.get(response["Location"])
    assert "cases passed" in report.content.decode()
    status = student_client.get(
        f"/submissions/{submission.pk}/status?format=json"
    ).json()
    assert status["status"] == "done" and status["passed"] == status["total"]
    assert (
        student_client.get("/exercises/iou/").content.count(
            IOU_SOURCE.splitlines()[1].encode()
        )
        == 1
    )


def test_submitting_by_htmx_returns_the_status_partial(
    student_client: Client, course: None
) -> None:
    response = student_client.post(
        "/exercises/iou/submit", {"source": IOU_SOURCE}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 201
    assert b"submission-status" in response.content


def test_submitting_json(student_client: Client, course: None) -> None:
    response = student_client.post(
        "/exercises/iou/submit",
        json.dumps({"source": IOU_SOURCE}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "queued"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "text"),
    [
        (b"source=", "application/x-www-form-urlencoded", 400, "empty"),
        (b"source=%0A%20%20", "application/x-www-form-urlencoded", 400, "empty"),
        (b"source=" + b"x" * 70_000, "application/x-www-form-urlencoded", 413, "limit"),
        (b"source=%E9t%E9", "application/x-www-form-urlencoded", 400, "UTF-8"),
        (b'{"source": "\xe9"}', "application/json", 400, "UTF-8"),
        (b'{"code": "x"}', "application/json", 400, "source"),
        (b"{nope", "application/json", 400, "JSON"),
    ],
)
def test_bad_code_gets_a_clear_message(
    student_client: Client,
    course: None,
    body: bytes,
    content_type: str,
    status: int,
    text: str,
) -> None:
    response = student_client.generic(
        "POST", "/exercises/iou/submit", body, content_type=content_type
    )
    assert response.status_code == status
    assert text in response.content.decode()
    assert not Submission.objects.exists()


def test_a_second_submission_while_one_is_queued_is_409(
    student_client: Client, student, course: None
) -> None:
    from exercises.models import CodingExercise

    first = SubmissionFactory(
        user=student, exercise=CodingExercise.objects.get(slug="iou"), source=IOU_SOURCE
    )
    response = student_client.post(
        "/exercises/iou/submit", {"source": IOU_SOURCE + "\n# v2"}
    )
    assert response.status_code == 409
    assert "being graded" in response.content.decode()
    assert list(Submission.objects.all()) == [first]
    first.refresh_from_db()
    assert first.source == IOU_SOURCE and first.status == "queued"


def test_a_student_cannot_see_another_students_submission(
    student_client: Client, other_student, course: None
) -> None:
    from exercises.models import CodingExercise

    theirs = SubmissionFactory(
        user=other_student, exercise=CodingExercise.objects.get(slug="iou")
    )
    assert student_client.get(f"/submissions/{theirs.pk}/").status_code == 404
    assert student_client.get(f"/submissions/{theirs.pk}/status").status_code == 404


def test_hidden_cases_keep_their_data_on_the_server(
    student_client: Client, course: None, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        student_client.post(
            "/exercises/iou/submit", {"source": "def iou(a, b):\n    return 0.777\n"}
        )
    submission = Submission.objects.get()
    hidden = [case for case in submission.report["cases"] if case["hidden"]]
    assert hidden
    page = student_client.get(f"/submissions/{submission.pk}/").content.decode()
    for case in hidden:
        assert str(case["inputs"]["box_a"]) not in page
        assert str(case["inputs"]["box_b"]) not in page
        if case["expected"] not in (0, 1):
            assert f"{case['expected']:.6g}" not in page
    assert "hidden case" in page


def test_the_status_follows_a_submission_through_the_queue_and_the_grader(
    student_client: Client, student, other_student, course: None
) -> None:
    from exercises.models import CodingExercise

    iou = CodingExercise.objects.get(slug="iou")
    SubmissionFactory(user=other_student, exercise=iou)
    mine = SubmissionFactory(user=student, exercise=iou)
    url = f"/submissions/{mine.pk}/status"
    status = student_client.get(f"{url}?format=json").json()
    assert (status["status"], status["queue_position"]) == ("queued", 1)
    assert "1 submission ahead of yours" in student_client.get(url).content.decode()

    Submission.objects.filter(pk=mine.pk).update(
        status="running", phase="running", cases_done=3, cases_total=16
    )
    status = student_client.get(f"{url}?format=json").json()
    assert (status["phase"], status["cases_done"], status["cases_total"]) == (
        "running",
        3,
        16,
    )
    assert status["progress"] == "Running case 4 of 16"
    partial = student_client.get(url).content.decode()
    assert "Running case 4 of 16" in partial
    assert 'value="3"' in partial and 'max="16"' in partial
    assert 'hx-trigger="every 1s"' in partial

    Submission.objects.filter(pk=mine.pk).update(phase="comparing", cases_done=16)
    assert "Comparing" in student_client.get(url).content.decode()
    Submission.objects.filter(pk=mine.pk).update(phase="starting", cases_done=0)
    assert "Starting" in student_client.get(f"{url}?format=json").json()["progress"]


def test_the_exercise_page_has_the_editor_hints_and_limits(
    student_client: Client, course: None
) -> None:
    page = student_client.get("/exercises/iou/").content.decode()
    assert "dist/editor.js" in page and 'data-editor="python"' in page
    assert '<textarea id="source"' in page and 'name="source"' in page
    assert "Show a hint (1 of 2)" in page and "Show another hint (2 of 2)" in page
    cpu = get_spec("iou").limits.cpu_seconds  # fitted to the exercise: 1 s
    assert f"Limits: {cpu:g} s of CPU time" in page and "1024 MB of memory" in page
    assert "dist/editor.js" not in student_client.get("/topics/yolo/").content.decode()


def test_an_earlier_submission_opens_in_the_editor(
    student_client: Client, student, course: None
) -> None:
    from exercises.models import CodingExercise

    iou = CodingExercise.objects.get(slug="iou")
    first = SubmissionFactory(
        user=student, exercise=iou, source="# first try\n", status="done", score=0.25
    )
    SubmissionFactory(
        user=student, exercise=iou, source="# second try\n", status="done", score=1.0
    )
    page = student_client.get("/exercises/iou/").content.decode()
    assert "# second try" in page and "# first try" not in page  # the last one
    assert "25%" in page and "100%" in page
    page = student_client.get(f"/exercises/iou/?from={first.pk}").content.decode()
    assert "# first try" in page and "# second try" not in page
    listing = student_client.get(
        "/exercises/iou/submissions", headers={"HX-Request": "true"}
    ).content.decode()
    assert f"?from={first.pk}" in listing
    # Without htmx (a link followed, a page reloaded) it is the exercise's page.
    plain = student_client.get("/exercises/iou/submissions")
    assert plain.status_code == 302 and plain.url == "/exercises/iou/"


def test_the_submission_list_loads_no_code_or_report_but_the_editors(
    student_client: Client, student, course: None
) -> None:
    """Twenty earlier submissions with big reports: the page reads the code
    and report of the one in the editor only, in a bounded number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exercises.models import CodingExercise

    iou = CodingExercise.objects.get(slug="iou")
    wrong = IOU_SOURCE.replace("max(0.0,", "abs(")  # unclamped: every case reported
    big = grade("iou", wrong).to_dict()
    assert big["verdict"] == "failed"
    for number in range(20):
        SubmissionFactory(
            user=student, exercise=iou, source=f"# try {number}\n", status="done",
            score=0.5, report=big,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        page = student_client.get("/exercises/iou/").content.decode()
        fragment = student_client.get(
            "/exercises/iou/submissions", headers={"HX-Request": "true"}
        ).content.decode()
    assert "# try 19" in page and page.count("Open submission #") == 19
    assert fragment.count("Open submission #") == 19
    reading = [  # the queries that select the column, not those that filter on it
        q["sql"]
        for q in queries.captured_queries
        if '"exercises_submission"."report"' in q["sql"].split(" FROM ")[0]
    ]
    assert len(reading) == 1, "\n".join(reading)  # the submission in the editor
    assert len(queries.captured_queries) <= 30
