"""The coding exercise's admin: the form (engine spec or own code), saving
queues a validation, publishing is refused until it passes, the validation
panel, the preview, the actions, and who may reach the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from exercises.models import AuditEntry, CodingExercise, Topic
from tests.exercises.own_exercises import topic, validated
from tests.factories import (
    CENTRE_GENERATOR,
    CENTRE_REFERENCE,
    CENTRE_STARTER,
    CodingExerciseFactory,
)

pytestmark = pytest.mark.django_db
__all__ = ["topic", "validated"]  # fixtures shared with the service tests

ADD = "/admin/exercises/codingexercise/add/"
CHANGELIST = "/admin/exercises/codingexercise/"


def change_url(exercise: CodingExercise) -> str:
    return f"/admin/exercises/codingexercise/{exercise.pk}/change/"


@pytest.fixture
def admin_client(instructor: Any) -> Client:
    client = Client()
    client.force_login(instructor)
    return client


def form_data(topic: Topic, **overrides: Any) -> dict[str, Any]:
    data = {
        "topic": topic.pk,
        "slug": "centre",
        "title": "Centre a vector",
        "prompt": "Write `centre(x)`.",
        "difficulty": 2,
        "order": 0,
        "engine_spec": "",
        "entry_point": "centre",
        # As a browser sends a textarea: CRLF line ends.
        "reference_solution": CENTRE_REFERENCE.replace("\n", "\r\n"),
        "case_generator": CENTRE_GENERATOR,
        "starter_code": CENTRE_STARTER,
        "tolerance_abs": "1e-9",
        "tolerance_rel": "1e-9",
        "hints_text": "Subtract the mean.\r\n\r\nThe mean is x.mean().",
        "case_feedback": "all",
        "hidden_case_feedback": "after_due",
        "case_overrides": "{}",
        "due_at_0": "",
        "due_at_1": "",
        "limit_cpu_seconds": "2",
        "limit_wall_seconds": "",
        "limit_memory_mb": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_add_page_has_the_sections_and_code_fields(admin_client: Client) -> None:
    page = admin_client.get(ADD).content.decode()
    for heading in (
        "Statement",
        "Grader: an engine spec, or your own reference",
        "Starter code",
        "Hints",
        "Feedback and due date",
        "Limits",
        "Publishing",
    ):
        assert "<h2" in page and heading in page, heading
    assert 'class="code-field"' in page and "admin-coding.css" in page
    assert "my own reference solution and case generator" in page  # spec choice


def test_saving_an_own_exercise_validates_it(
    admin_client: Client, topic: Topic, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD, form_data(topic), follow=True)
    assert response.status_code == 200
    assert "validation queued" in response.content.decode()
    exercise = CodingExercise.objects.get(slug="centre")
    assert exercise.reference_solution == CENTRE_REFERENCE  # CRLF normalised
    assert exercise.tolerance == {"abs": 1e-9, "rel": 1e-9}
    assert exercise.limits == {"cpu_seconds": 2.0}
    assert exercise.hints == ["Subtract the mean.", "The mean is x.mean()."]
    assert not exercise.is_published and exercise.validation_status == "passed"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"add", "validation_requested", "validation_passed"} <= actions

    page = admin_client.get(change_url(exercise)).content.decode()
    assert "Passed" in page and "Publishable: the validation passed" in page
    assert "Stored cases: the first 4 of 4" in page and "edge: small" in page
    assert "x = [1.0, 2.0, 3.0]" in page and "[-1.0, 0.0, 1.0]" in page
    assert "Generate the cases" in page and "hx-trigger" not in page


def test_publishing_before_validation_is_refused(
    admin_client: Client, topic: Topic
) -> None:
    response = admin_client.post(ADD, form_data(topic, is_published="on"))
    assert response.status_code == 200
    assert "can be published once its validation in the sandbox has passed" in (
        response.content.decode()
    )
    assert not CodingExercise.objects.exists()


def test_a_spec_and_own_code_together_are_refused(
    admin_client: Client, topic: Topic
) -> None:
    response = admin_client.post(ADD, form_data(topic, engine_spec="iou"))
    assert "Choose an engine spec or write your own reference, not both" in (
        response.content.decode()
    )
    response = admin_client.post(ADD, form_data(topic, case_generator=""))
    assert "Needed for an exercise without engine spec." in response.content.decode()
    assert not CodingExercise.objects.exists()


def test_editing_a_published_exercise_takes_it_offline_until_validated(
    admin_client: Client,
    validated: CodingExercise,
    django_capture_on_commit_callbacks: Any,
) -> None:
    validated.is_published = True
    validated.save()
    edited = CENTRE_REFERENCE.replace("x - x.mean()", "(x - x.mean()) * 1.0")
    data = form_data(validated.topic, reference_solution=edited, is_published="on")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        response = admin_client.post(change_url(validated), data, follow=True)
    assert "unpublished until the new validation passes" in response.content.decode()
    validated.refresh_from_db()
    assert not validated.is_published and validated.validation_status == "queued"
    for callback in pending:
        callback()
    validated.refresh_from_db()
    assert validated.validation_status == "passed" and validated.is_published
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-5:] == [
        "change",
        "unpublish",
        "validation_requested",
        "validation_passed",
        "publish",
    ]


def test_the_panel_follows_a_validation_in_progress(
    admin_client: Client, topic: Topic
) -> None:
    exercise = CodingExerciseFactory(own=True, topic=topic, validation_status="running")
    status = f"/admin/exercises/codingexercise/{exercise.pk}/validation/"
    panel = admin_client.get(status).content.decode()
    assert f'hx-get="{status}"' in panel and 'hx-trigger="every 2s"' in panel
    assert "Running" in panel
    CodingExercise.objects.filter(pk=exercise.pk).update(validation_status="failed")
    assert "hx-trigger" not in admin_client.get(status).content.decode()


def test_the_validate_action_and_button(
    admin_client: Client, topic: Topic, django_capture_on_commit_callbacks: Any
) -> None:
    exercise = CodingExerciseFactory(own=True, topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            CHANGELIST,
            {"action": "validate_in_sandbox", "_selected_action": [exercise.pk]},
        )
    exercise.refresh_from_db()
    assert exercise.validation_status == "passed"
    with django_capture_on_commit_callbacks(execute=False) as pending:
        admin_client.post(
            change_url(exercise), {**form_data(topic), "_validate": "Save and validate"}
        )
    exercise.refresh_from_db()
    assert exercise.validation_status == "queued" and len(pending) == 1


def test_the_publish_action_refuses_what_is_not_validated(
    admin_client: Client, topic: Topic
) -> None:
    exercise = CodingExerciseFactory(own=True, topic=topic)
    response = admin_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [exercise.pk]},
        follow=True,
    )
    assert "was not published: An own exercise can be published once" in (
        response.content.decode()
    )
    exercise.refresh_from_db()
    assert not exercise.is_published


def test_the_preview_shows_the_student_page_and_the_graded_reference(
    admin_client: Client, validated: CodingExercise
) -> None:
    page = admin_client.get(
        f"/admin/exercises/codingexercise/{validated.pk}/preview/"
    ).content.decode()
    assert "Not published: students get" in page
    assert 'href="/exercises/centre/"' in page  # instructors may open it
    assert "Write <code>centre(x)</code>" in page  # the statement, rendered
    assert "4 / 4 cases passed" in page  # the reference graded like a submission
    assert "Starter code: <strong>failed</strong>" in page


@pytest.mark.parametrize("page", ["preview", "validation"])
def test_students_get_403_and_visitors_the_sign_in_page(
    page: str, validated: CodingExercise, student_client: Client
) -> None:
    url = f"/admin/exercises/codingexercise/{validated.pk}/{page}/"
    assert student_client.get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_an_engine_spec_exercise_saves_without_validation(
    admin_client: Client, topic: Topic, django_capture_on_commit_callbacks: Any
) -> None:
    exercise = CodingExerciseFactory(
        own=True,
        topic=topic,
        slug="iou-copy",
        engine_spec="iou",
        entry_point="",
        reference_solution="",
        case_generator="",
        is_published=True,
        limits={"processes": 8},
    )
    data = form_data(
        topic,
        slug="iou-copy",
        engine_spec="iou",
        entry_point="",
        reference_solution="",
        case_generator="",
        is_published="on",
    )
    with django_capture_on_commit_callbacks(execute=False) as pending:
        response = admin_client.post(change_url(exercise), data)
    assert response.status_code == 302 and not pending
    exercise.refresh_from_db()
    assert exercise.is_published and exercise.validation_status == "unvalidated"
    assert exercise.limits == {"processes": 8, "cpu_seconds": 2.0}
    page = admin_client.get(change_url(exercise)).content.decode()
    assert "Validation in the sandbox" not in page and "iou · " in page
