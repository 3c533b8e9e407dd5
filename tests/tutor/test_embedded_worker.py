"""The embedded default of `make run`: SQLite and the filesystem broker, graded
by a local Celery worker process through the same task and grader."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from exercises.models import Submission
from tests.workers import use_broker, wait_for
from tutor.celery import app as celery_app

pytestmark = [pytest.mark.slow, pytest.mark.real_worker]
GOOD = (
    "def iou(a, b):\n"
    "    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))\n"
    "    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    i = w * h\n"
    "    return i / ((a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i)\n"
)


@pytest.fixture
def filesystem_broker(tmp_path: Path) -> Iterator[None]:
    folders = {
        "data_folder_in": str(tmp_path / "broker" / "queue"),
        "data_folder_out": str(tmp_path / "broker" / "queue"),
        "control_folder": str(tmp_path / "broker" / "control"),
    }
    for folder in folders.values():
        Path(folder).mkdir(parents=True, exist_ok=True)
    original = (
        celery_app.conf.broker_url,
        dict(celery_app.conf.broker_transport_options),
    )
    use_broker(
        "filesystem://", {**folders, "store_processed": False, "polling_interval": 0.2}
    )
    yield
    use_broker(*original)


def test_the_embedded_default_grades_with_a_local_worker(
    transactional_db,
    course,
    student_client: Client,
    start_worker,
    filesystem_broker,
    tmp_path: Path,
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("this test covers the embedded SQLite default")
    start_worker("filesystem://", VAR_DIR=str(tmp_path))
    response = student_client.post("/exercises/iou/submit", {"source": GOOD})
    submission_id = int(response["Location"].rstrip("/").split("/")[-1])
    graded = wait_for(
        lambda: Submission.objects.filter(pk=submission_id, status="done").first(),
        90,
        "grading",
    )
    assert graded.score == 1.0 and graded.report["verdict"] == "passed"
