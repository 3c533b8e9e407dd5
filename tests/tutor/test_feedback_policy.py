"""What a student sees of a report under each feedback level, before and after
the due date; and that a graded submission's page and JSON keep a hidden
case's inputs, expected value and printed output on the server."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from exercises.coding.report.policy import case_detail, masked, report_for_student
from exercises.models import CodingExercise, Submission

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PAST, FUTURE = NOW - timedelta(days=1), NOW + timedelta(days=1)
SECRETS = ("11.25", "SECRET-PRINT", "0.318310", "LEAK-HIDDEN")

REPORT: dict[str, Any] = {
    "exercise": "iou",
    "verdict": "failed",
    "score": 0.5,
    "gradable": True,
    "message": "engine's own message, quoting edge 2: expected 0.142857",
    "passed": 2,
    "total": 4,
    "cases": [
        {
            "name": "edge 1",
            "passed": True,
            "score": 1.0,
            "message": "ok",
            "hidden": False,
            "label": "edge: identical boxes",
            "inputs": {"box_a": [0.0, 0.0, 2.0, 2.0], "box_b": [0.0, 0.0, 2.0, 2.0]},
            "expected": 1.0,
            "got": 1.0,
            "max_abs_error": 0.0,
            "error": "",
            "stdout": "visible print 1\n",
        },
        {
            "name": "edge 2",
            "passed": False,
            "score": 0.0,
            "message": "expected 0.142857, got 0.777 (error 0.634, tolerance 1e-05)",
            "hidden": False,
            "label": "edge: corner overlap",
            "inputs": {"box_a": [0.0, 0.0, 2.0, 2.0], "box_b": [1.0, 1.0, 3.0, 3.0]},
            "expected": 0.142857,
            "got": 0.777,
            "max_abs_error": 0.634,
            "error": "",
            "stdout": "visible print 2\n",
        },
        {
            "name": "random 5",
            "passed": False,
            "score": 0.0,
            "message": "raised ValueError: LEAK-HIDDEN [11.25, 3.5]",
            "hidden": True,
            "label": "random",
            "inputs": {"box_a": [11.25, 3.5, 14.0, 6.0], "box_b": [1.0, 1.0, 3.0, 3.0]},
            "expected": 0.318310,
            "got": None,
            "max_abs_error": None,
            "error": "Traceback …\nValueError: LEAK-HIDDEN [11.25, 3.5]\n",
            "stdout": "SECRET-PRINT 11.25\n",
        },
        {
            "name": "random 6",
            "passed": True,
            "score": 1.0,
            "message": "expected 0.318310, got 0.318310",
            "hidden": True,
            "label": "random",
            "inputs": {"box_a": [11.25, 3.5, 14.0, 6.0], "box_b": [2.0, 2.0, 5.0, 5.0]},
            "expected": 0.318310,
            "got": 0.318310,
            "max_abs_error": 0.0,
            "error": "",
            "stdout": "SECRET-PRINT again\n",
        },
    ],
    "mistake": {
        "id": "iou-no-clamp",
        "title": "Intersection not clamped at zero",
        "explanation": "Clamp each side with max(0, ·).",
    },
    "properties": [
        {
            "id": "iou-range",
            "description": "IoU lies in [0, 1]",
            "message": "random 5: IoU 11.25 is above 1",
        },
        {
            "id": "iou-symmetric",
            "description": "IoU(A, B) = IoU(B, A)",
            "message": "edge 2: 0.777 one way, 0.5 the other",
        },
    ],
    "stdout": "printed at import: SECRET-PRINT\n",
    "traceback": "",
    "extra": {"internal": "SECRET-PRINT"},
}


def policy(
    visible: str = "all",
    hidden: str = "after_due",
    due_at: datetime | None = None,
    overrides: dict[str, str] | None = None,
) -> CodingExercise:
    return CodingExercise(
        case_feedback=visible,
        hidden_case_feedback=hidden,
        due_at=due_at,
        case_overrides=overrides or {},
    )


def view(**kwargs: Any) -> dict[str, Any]:
    shown = report_for_student(copy.deepcopy(REPORT), policy(**kwargs), NOW)
    assert shown is not None
    return shown


def case(shown: dict[str, Any], name: str) -> dict[str, Any]:
    return next(item for item in shown["cases"] if item["name"] == name)


def leaks(shown: dict[str, Any]) -> list[str]:
    text = json.dumps(shown)
    return [secret for secret in SECRETS if secret in text]


def test_it_shows_visible_cases_in_full_and_hidden_ones_as_passed_or_failed() -> None:
    shown = view()
    assert case(shown, "edge 2")["inputs"] == REPORT["cases"][1]["inputs"]
    assert case(shown, "edge 2")["stdout"] == "visible print 2\n"
    hidden = case(shown, "random 5")
    assert hidden == {
        "name": "random 5",
        "passed": False,
        "score": 0.0,
        "hidden": True,
        "detail": "none",
        "message": "",
    }
    assert case(shown, "random 6")["passed"] is True
    assert shown["mistake"]["title"] == "Intersection not clamped at zero"
    assert shown["stdout"] == "" and "extra" not in shown
    assert shown["traceback"] == ""  # random 5 raised, but it is withheld
    assert leaks(shown) == []


def test_the_message_is_rebuilt_from_what_is_shown() -> None:
    shown = view(visible="message", hidden="after_due")
    assert shown["message"].startswith("2 of 4 cases passed.")
    assert (
        "First failure, edge 2 (edge: corner overlap): expected 0.142857"
        in (shown["message"])
    )
    assert "1 hidden case failed" in shown["message"]
    assert "known mistake: Intersection not clamped at zero" in shown["message"]
    assert "engine's own message" not in shown["message"]


def test_a_broken_property_does_not_quote_a_withheld_case() -> None:
    messages = [item["message"] for item in view()["properties"]]
    assert messages == ["on a hidden case", "edge 2: 0.777 one way, 0.5 the other"]
    messages = [item["message"] for item in view(visible="after_due")["properties"]]
    assert messages == ["on a hidden case", "on case edge 2"]


def test_after_due_shows_nothing_before_the_due_date() -> None:
    for due_at in (None, FUTURE):
        shown = view(hidden="after_due", due_at=due_at)
        assert case(shown, "random 5")["detail"] == "none"
        assert leaks(shown) == []
    assert view(due_at=FUTURE)["details_after"] == FUTURE.isoformat()
    assert view(due_at=None)["details_after"] is None


def test_after_due_shows_everything_once_the_due_date_has_passed() -> None:
    shown = view(hidden="after_due", due_at=PAST)
    hidden = case(shown, "random 5")
    assert hidden["detail"] == "all" and hidden["stdout"] == "SECRET-PRINT 11.25\n"
    assert hidden["inputs"]["box_a"][0] == 11.25
    assert shown["stdout"] == REPORT["stdout"]  # every case is shown in full
    assert shown["withheld"] is False and shown["details_after"] is None
    assert shown["traceback"] == hidden["error"]  # the first failure that raised
    assert (
        case_detail(
            policy(hidden="after_due", due_at=NOW), name="x", hidden=True, now=NOW
        )
        == "all"
    )


def test_message_level_shows_a_hidden_case_message_without_its_values() -> None:
    for due_at in (None, PAST):  # "message" stays the message only after the due date
        shown = view(hidden="message", due_at=due_at)
        hidden = case(shown, "random 5")
        assert hidden["message"] == "raised ValueError"
        assert hidden["label"] == "random" and hidden["detail"] == "message"
        assert {"inputs", "expected", "got", "stdout", "error"}.isdisjoint(hidden)
        assert case(shown, "random 6")["message"] == "expected …, got …"
        assert leaks(shown) == []


def test_message_level_on_visible_cases_keeps_the_message_only() -> None:
    shown = view(visible="message")
    visible = case(shown, "edge 2")
    assert visible["message"] == REPORT["cases"][1]["message"]  # visible: not masked
    assert {"inputs", "expected", "got", "stdout", "error"}.isdisjoint(visible)
    assert shown["stdout"] == ""


def test_after_due_on_visible_cases_hides_them_until_the_due_date() -> None:
    before = view(visible="after_due", due_at=FUTURE)
    assert case(before, "edge 2") == {
        "name": "edge 2",
        "passed": False,
        "score": 0.0,
        "hidden": False,
        "detail": "none",
        "message": "",
    }
    assert "expected 0.142857" not in json.dumps(before)
    after = view(visible="after_due", due_at=PAST)
    assert case(after, "edge 2")["got"] == 0.777


def test_an_override_by_case_name_wins_over_the_default() -> None:
    shown = view(overrides={"random 5": "all", "edge 2": "message"})
    assert case(shown, "random 5")["stdout"] == "SECRET-PRINT 11.25\n"
    assert case(shown, "random 6")["detail"] == "none"  # still the hidden default
    assert "inputs" not in case(shown, "edge 2")
    assert case(shown, "edge 1")["detail"] == "all"
    unknown = view(overrides={"random 5": "everything please"})
    assert case(unknown, "random 5")["detail"] == "none"


def test_a_report_without_cases_keeps_its_message_and_traceback() -> None:
    report = {
        "verdict": "runtime_error",
        "score": 0.0,
        "gradable": True,
        "message": "Runtime error while loading your code: NameError",
        "cases": [],
        "traceback": "Traceback …\nNameError: name 'np' is not defined\n",
        "stdout": "",
    }
    shown = report_for_student(report, policy(), NOW)
    assert shown is not None
    assert shown["message"] == report["message"]
    assert shown["traceback"] == report["traceback"]
    assert shown["headline"] == "Runtime error"
    assert report_for_student(None, policy(), NOW) is None


def test_masked_messages_keep_their_shape() -> None:
    assert masked("wrong shape: expected shape (3, 3), got shape (3,)") == (
        "wrong shape: expected shape (…, …), got shape (…,)"
    )
    assert masked("expected ['cat', 'dog'], got ['cat']") == "expected […, …], got […]"
    assert masked("raised memory limit exceeded (MemoryError)") == (
        "raised memory limit exceeded (MemoryError)"
    )
    assert masked("raised secret 11.25 words") == "raised an exception"


# ------------------------------------------------------------- through HTTP

LEAKY = """def iou(box_a, box_b):
    print("SEEN", list(box_a))
    raise ValueError(f"LEAK {list(box_a)}")
"""


def _grade(client: Client, capture: Any, source: str) -> Submission:
    with capture(execute=True):
        response = client.post("/exercises/iou/submit", {"source": source})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == "done"
    return submission


def _hidden_secrets(submission: Submission) -> list[str]:
    """What must not reach a student: each hidden case's inputs (as the
    report holds them), its expected value and the line it printed."""
    secrets = []
    for item in submission.report["cases"]:
        if item["hidden"]:
            box_a, box_b = item["inputs"]["box_a"], item["inputs"]["box_b"]
            secrets += [str(box_a), str(box_b), f"SEEN {box_a}", f"LEAK {box_a}"]
            if item["expected"] not in (0, 1):
                secrets.append(f"{item['expected']:.4g}")
    return secrets


def _leaked(secrets: list[str], body: str) -> list[str]:
    """The secrets that occur in `body` as whole tokens: a hidden value such
    as 0.08856 inside a longer number (0.088562…) is a coincidence, not a
    leak."""
    return [
        secret
        for secret in secrets
        if re.search(rf"(?<![\w.]){re.escape(secret)}(?![\w])", body)
    ]


def _pages(client: Client, submission: Submission) -> dict[str, str]:
    return {
        "html": client.get(f"/submissions/{submission.pk}/").content.decode(),
        "partial": client.get(f"/submissions/{submission.pk}/status").content.decode(),
        "json": client.get(
            f"/submissions/{submission.pk}/status?format=json"
        ).content.decode(),
    }


@pytest.mark.django_db
def test_the_submission_page_and_json_keep_hidden_data_on_the_server(
    student_client: Client, course: None, django_capture_on_commit_callbacks: Any
) -> None:
    submission = _grade(student_client, django_capture_on_commit_callbacks, LEAKY)
    secrets = _hidden_secrets(submission)
    assert len(secrets) >= 12
    pages = _pages(student_client, submission)
    for kind, body in pages.items():
        assert _leaked(secrets, body) == [], kind
    visible = next(c for c in submission.report["cases"] if not c["hidden"])
    # A visible case's inputs, traceback and printed output are shown.
    assert f"SEEN {visible['inputs']['box_a']}" in pages["html"]
    assert f"LEAK {visible['inputs']['box_a']}" in pages["html"]
    report = json.loads(pages["json"])["report"]
    hidden = [c for c in report["cases"] if c["hidden"]]
    assert hidden and all(
        set(c) == {"name", "passed", "score", "hidden", "detail", "message"}
        for c in hidden
    )
    assert all(c["passed"] is False for c in hidden)


@pytest.mark.django_db
def test_hidden_messages_are_shown_without_values_at_message_level(
    student_client: Client, course: None, django_capture_on_commit_callbacks: Any
) -> None:
    CodingExercise.objects.filter(slug="iou").update(hidden_case_feedback="message")
    submission = _grade(student_client, django_capture_on_commit_callbacks, LEAKY)
    pages = _pages(student_client, submission)
    for kind, body in pages.items():
        assert _leaked(_hidden_secrets(submission), body) == [], kind
    assert "raised ValueError" in pages["html"]


@pytest.mark.django_db
def test_hidden_data_is_shown_after_the_due_date_and_to_staff(
    student_client: Client,
    instructor: Any,
    course: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    submission = _grade(student_client, django_capture_on_commit_callbacks, LEAKY)
    secrets = [s for s in _hidden_secrets(submission) if s.startswith("SEEN")]
    staff = Client()
    staff.force_login(instructor)
    staff_page = staff.get(f"/submissions/{submission.pk}/").content.decode()
    assert all(secret in staff_page for secret in secrets)
    assert all(
        secret not in _pages(student_client, submission)["html"] for secret in secrets
    )
    CodingExercise.objects.filter(slug="iou").update(
        due_at=datetime.now(tz=UTC) - timedelta(minutes=1)
    )
    for kind, body in _pages(student_client, submission).items():
        assert all(secret in body for secret in secrets), kind
