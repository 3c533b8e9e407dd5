"""Running code before submitting, over HTTP: the exercise page's examples
and Run panel, the run endpoint for htmx, JSON and plain forms, its refusals
(4xx with a message, never a 500), and the run's status and page. The
sandbox is the child's runtime in this process (tests.engine.inprocess)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

import engine.grader
from engine.specs import get_spec
from exercises.coding.report.figures import readable
from exercises.coding.worked_examples import EXAMPLES_SEED
from exercises.models import CodeRun, CodingExercise, Submission
from tests.engine.inprocess import InProcessRunner
from tests.factories import CodingExerciseFactory, StudentFactory
from tests.factories.runs import CodeRunFactory
from tests.tutor.test_embedded_worker import filesystem_broker  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
RIGHT = (
    "def iou(a, b):\n"
    "    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))\n"
    "    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    u = (a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - w * h\n"
    "    return w * h / u if u > 0 else 0.0\n"
)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def exercise() -> CodingExercise:
    return CodingExerciseFactory(iou=True)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> InProcessRunner:
    """The worker's default runner, replaced for these tests."""
    fake = InProcessRunner()
    monkeypatch.setattr(engine.grader, "default_runner", lambda: fake)
    return fake


@pytest.fixture
def post(
    student_client: Client, exercise: CodingExercise, django_capture_on_commit_callbacks
) -> Any:
    def send(data: dict[str, str], **headers: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return student_client.post(
                f"/exercises/{exercise.slug}/run", data, **headers
            )

    return send


def shown(case_kwargs: dict[str, Any]) -> str:
    """How the page writes an example's first box."""
    return readable(case_kwargs["box_a"])


def test_the_page_shows_the_examples_and_offers_run(
    student_client: Client, exercise: CodingExercise
) -> None:
    html = student_client.get("/exercises/iou/").content.decode()
    assert 'id="examples-heading"' in html and "edge: disjoint, diagonal: IoU 0" in html
    cases = get_spec("iou").cases(EXAMPLES_SEED)
    visible = [case for case in cases if not case.hidden]
    hidden = [case for case in cases if case.hidden]
    assert html.count('<article class="example">') == len(visible)
    assert all(shown(case.kwargs) in html for case in visible)
    assert hidden and not any(shown(case.kwargs) in html for case in hidden)
    assert not any(f"<strong>{case.name}</strong>" in html for case in hidden)
    assert 'formaction="/exercises/iou/run"' in html and "data-run" in html
    assert 'aria-keyshortcuts="Control+Enter Meta+Enter"' in html
    assert 'name="arg-box_a"' in html and 'form="code-form"' in html
    assert "[1.0, 1.0, 4.0, 3.0]</textarea>" in html  # the first example
    assert re.search(r'id="run-announcement"[^>]*role="status"', html)


def test_without_examples_the_page_offers_no_run(
    student_client: Client, exercise: CodingExercise
) -> None:
    exercise.case_feedback = "message"
    exercise.save()
    html = student_client.get("/exercises/iou/").content.decode()
    assert "data-run" not in html and 'class="examples"' not in html
    assert "run-panel" not in html and "Submit for grading" in html


def test_an_htmx_run_returns_the_status_that_polls(post: Any, runner) -> None:
    response = post({"source": RIGHT, "on": "examples"}, **HTMX)
    assert response.status_code == 202
    run = CodeRun.objects.get()
    html = response.content.decode()
    assert f'id="run-{run.pk}"' in html and 'class="run-status"' in html
    assert run.status == "done" and run.matched == run.total


def test_the_status_fragment_shows_the_report_and_announces_it(
    student_client: Client, post: Any, runner
) -> None:
    post({"source": RIGHT.replace("u > 0", "u > 99"), "on": "examples"}, **HTMX)
    run = CodeRun.objects.get()
    html = student_client.get(f"/runs/{run.pk}/status", **HTMX).content.decode()
    assert "hx-get" not in html  # done: no more polling
    summary = f"{run.matched} of {run.total} examples match the reference."
    assert f'<p id="run-announcement" hx-swap-oob="innerHTML">{summary}</p>' in html
    assert "✗ expected" in html and "✓ matches" in html and "Largest error" in html
    assert "not graded" in html


def test_an_active_run_polls(student_client: Client, student, exercise) -> None:
    run = CodeRunFactory(user=student, exercise=exercise)
    html = student_client.get(f"/runs/{run.pk}/status", **HTMX).content.decode()
    assert f'hx-get="/runs/{run.pk}/status"' in html and 'hx-trigger="every 1s"' in html
    assert "Waiting for a free sandbox" in html and "run-announcement" not in html


def test_own_input_by_form_field(post: Any, runner, student_client: Client) -> None:
    fields = {"arg-box_a": "[0, 0, 2, 2]", "arg-box_b": "[1, 1, 3, 3]"}
    response = post({"source": RIGHT, "on": "own", **fields}, **HTMX)
    assert response.status_code == 202
    run = CodeRun.objects.get()
    assert run.on == "own" and run.result["cases"][0]["got"] == pytest.approx(1 / 7)
    html = student_client.get(f"/runs/{run.pk}/status", **HTMX).content.decode()
    assert "Your output: a float" in html and "once you have passed" in html
    assert "✓ not broken here:" in html


def test_a_plain_form_post_lands_on_the_runs_page(
    post: Any, runner, student_client: Client
) -> None:
    response = post({"source": RIGHT, "on": "examples"})
    run = CodeRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/runs/{run.pk}/"
    page = student_client.get(response["Location"]).content.decode()
    assert f"<h1>Run #{run.pk}</h1>" in page and "the worked examples" in page
    assert "run-announcement" not in page  # no live region to fill on this page


def test_json_clients(
    student_client: Client, exercise, runner, django_capture_on_commit_callbacks
) -> None:
    body = {"source": RIGHT, "inputs": {"box_a": [0, 0, 2, 2], "box_b": "[1, 1, 3, 3]"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post(
            "/exercises/iou/run", json.dumps(body), content_type="application/json"
        )
    assert response.status_code == 202 and response.json()["on"] == "own"
    run = CodeRun.objects.get()
    status = student_client.get(f"/runs/{run.pk}/status?format=json").json()
    assert status["status"] == "done" and status["total"] == 1
    assert status["result"]["cases"][0]["got"] == pytest.approx(1 / 7)
    bad = student_client.post(
        "/exercises/iou/run",
        json.dumps({"source": RIGHT, "inputs": {"box_a": [1, 2]}}),
        content_type="application/json",
    )
    assert (
        bad.status_code == 400 and "box_a must be a list of 4" in bad.json()["message"]
    )


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (
            {"arg-box_a": "[0, 0, 1]", "arg-box_b": "[0, 0, 1, 1]"},
            "box_a must be a list of 4 numbers",
        ),
        (
            {"arg-box_a": json.dumps([1.0] * 10_001), "arg-box_b": "[0, 0, 1, 1]"},
            "the limit is 10,000",
        ),
        (
            {"arg-box_a": "[0, 0, NaN, 1]", "arg-box_b": "[0, 0, 1, 1]"},
            "NaN or an infinity",
        ),
        (
            {"arg-box_a": "[0, 0, 1, 1", "arg-box_b": "[0, 0, 1, 1]"},
            "is not valid JSON",
        ),
    ],
)
def test_bad_own_input_is_a_400_with_a_message(
    post: Any, fields: dict[str, str], says: str
) -> None:
    response = post({"source": RIGHT, "on": "own", **fields}, **HTMX)
    assert response.status_code == 400
    assert (
        says in response.content.decode()
        and 'role="alert"' in response.content.decode()
    )
    assert not CodeRun.objects.exists()


def test_the_budget_answers_429_with_when_to_retry(
    post: Any, runner, settings, student, exercise
) -> None:
    settings.CODE_RUNS_PER_5_MINUTES = 1
    assert post({"source": RIGHT, "on": "examples"}, **HTMX).status_code == 202
    refused = post({"source": RIGHT, "on": "examples"}, **HTMX)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 300
    assert "Try again in" in refused.content.decode()
    json_refused = post(
        {"source": RIGHT, "on": "examples"}, HTTP_ACCEPT="application/json"
    )
    assert (
        json_refused.status_code == 429
        and "Try again in" in json_refused.json()["message"]
    )
    assert CodeRun.objects.count() == 1 and not Submission.objects.exists()


def test_refusals_never_crash(
    post: Any, client: Client, exercise, student_client: Client
) -> None:
    assert post({"on": "examples"}, **HTMX).status_code == 400  # no code
    assert post({"source": RIGHT, "on": "everything"}, **HTMX).status_code == 400
    assert client.post("/exercises/iou/run", {"source": RIGHT}).status_code == 401
    assert student_client.get("/exercises/iou/run").status_code == 405
    assert (
        student_client.post("/exercises/nope/run", {"source": RIGHT}).status_code == 404
    )
    weird = student_client.post(
        "/exercises/iou/run", "{", content_type="application/json"
    )
    assert weird.status_code == 400


def test_a_student_sees_only_their_own_runs(student_client: Client, exercise) -> None:
    theirs = CodeRunFactory(user=StudentFactory(), exercise=exercise)
    assert student_client.get(f"/runs/{theirs.pk}/").status_code == 404
    assert student_client.get(f"/runs/{theirs.pk}/status").status_code == 404


def test_an_unpublished_exercise_cannot_be_run_by_a_student(
    post: Any, exercise
) -> None:
    exercise.is_published = False
    exercise.save()
    assert post({"source": RIGHT, "on": "examples"}, **HTMX).status_code == 404


@pytest.mark.slow
@pytest.mark.real_worker
@pytest.mark.usefixtures("filesystem_broker")
def test_the_embedded_default_runs_code_with_a_local_worker(
    transactional_db, start_worker, tmp_path
) -> None:
    """SQLite and the filesystem broker, as `make run` serves them: the
    devserver's worker consumes the runs queue."""
    from django.db import connection

    from tests.workers import wait_for

    if connection.vendor != "sqlite":
        pytest.skip("this test covers the embedded SQLite default")
    CodingExerciseFactory(iou=True)
    client = Client()
    client.force_login(StudentFactory())
    start_worker("filesystem://", VAR_DIR=str(tmp_path))
    response = client.post("/exercises/iou/run", {"source": RIGHT, "on": "examples"})
    run_id = int(response["Location"].rstrip("/").split("/")[-1])
    done = wait_for(
        lambda: CodeRun.objects.filter(pk=run_id, status="done").first(), 90, "the run"
    )
    assert done.matched == done.total and done.worker_id.startswith("test-")
