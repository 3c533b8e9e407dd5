"""Passes stored on fewer results than cases are found and regraded.

An earlier grader believed the child's own list of results, so code that
emptied it was stored as "All 0 cases passed" with a score of 1. These tests
store such submissions as that grader left them and repair them through the
management command and the instructor's regrade page, grading for real in the
sandbox (eager Celery)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from exercises.coding.regrade.short_passes import short_passes
from exercises.models import AuditEntry, CodingExercise, RegradeRun, Submission
from tests.factories import IOU_SOURCE, CodingExerciseFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

# Passes nothing today; an earlier grader stored it as "All 0 cases passed".
FORGER = (
    "import os, sys\n"
    "wire = sys.modules['engine.sandbox.wire']\n"
    "payload = wire.encode({'status': 'ok', 'results': []})\n"
    "for fd in range(3, 64):\n"
    "    try:\n"
    "        os.write(fd, payload)\n"
    "    except OSError:\n"
    "        pass\n"
    "os._exit(0)\n"
)


@pytest.fixture
def iou(db: None) -> CodingExercise:
    return CodingExerciseFactory(iou=True)


def _passed(user: Any, exercise: CodingExercise, source: str, results: int, sent: int):
    report = {
        "verdict": "passed",
        "score": 1.0,
        "message": f"All {results} cases passed.",
        "cases": [{"name": f"c{i}", "passed": True} for i in range(results)],
        "total": results,
        "passed": results,
    }
    return SubmissionFactory(
        user=user, exercise=exercise, source=source, score=1.0, status="done",
        report=report, cases_total=sent, engine_version="0.0.1",
    )  # fmt: skip


def test_it_finds_passes_on_fewer_results_than_cases(
    student: Any, other_student: Any, iou: CodingExercise
) -> None:
    none = _passed(student, iou, FORGER, results=0, sent=16)
    fewer = _passed(other_student, iou, FORGER, results=3, sent=16)
    _passed(student, iou, IOU_SOURCE, results=16, sent=16)
    unknown_but_empty = _passed(student, iou, FORGER, results=0, sent=0)
    failed = _passed(student, iou, FORGER, results=0, sent=16)
    failed.report = {**failed.report, "verdict": "failed"}
    failed.save()
    assert list(short_passes().values_list("pk", flat=True)) == [
        none.pk,
        fewer.pk,
        unknown_but_empty.pk,
    ]


def test_the_command_regrades_them_and_scores_drop(
    student: Any, iou: CodingExercise, django_capture_on_commit_callbacks: Any
) -> None:
    forged = _passed(student, iou, FORGER, results=0, sent=16)
    honest = _passed(student, iou, IOU_SOURCE, results=16, sent=16)
    call_command("regrade_short_passes", "--list")
    assert Submission.objects.get(pk=forged.pk).score == 1.0  # --list changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        call_command("regrade_short_passes")
    forged.refresh_from_db()
    assert forged.score == 0.0 and forged.report["verdict"] == "interfered"
    assert Submission.objects.get(pk=honest.pk).report["total"] == 16  # untouched
    run = RegradeRun.objects.get()
    assert run.submission_ids == [forged.pk] and not run.never_lower
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"regrade.short_passes", "regrade.apply"} <= actions
    assert list(short_passes()) == []


def test_the_command_says_when_there_is_nothing_to_do(iou: CodingExercise) -> None:
    from io import StringIO

    out = StringIO()
    call_command("regrade_short_passes", stdout=out)
    assert "No submission passed on fewer results than cases" in out.getvalue()


def test_the_regrade_page_filters_and_repairs_them(
    instructor: Any,
    student: Any,
    iou: CodingExercise,
    django_capture_on_commit_callbacks: Any,
) -> None:
    forged = _passed(student, iou, FORGER, results=0, sent=16)
    honest = _passed(student, iou, IOU_SOURCE, results=16, sent=16)
    client = Client()
    client.force_login(instructor)
    page = client.get("/instructor/regrade/?short_passes=on").content.decode()
    assert f'value="{forged.pk}"' in page and f'value="{honest.pk}"' not in page
    assert "Regrade these 1 now" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/instructor/regrade/short-passes")
    assert response.status_code == 302
    forged.refresh_from_db()
    assert forged.score == 0.0


def test_students_cannot_start_it(student_client: Client, iou: CodingExercise) -> None:
    response = student_client.post("/instructor/regrade/short-passes")
    assert response.status_code in (302, 403)
    assert RegradeRun.objects.count() == 0
