"""Mock exams lose nothing: answers saved as typed and shown again, unreadable
ones said so at once, a summary before the paper is submitted, and no
malformed field answered with a 500."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from exercises.models import Question
from exercises.presentation import present
from tests.factories import ExamBlueprintFactory, MockExamFactory
from tutor.models import MockExam, MockExamItem

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def question_of(kind: str, mode: str | None = None) -> Question:
    """The first published question of a kind (and ordering mode)."""
    for question in Question.objects.filter(is_published=True, kind=kind).order_by(
        "pk"
    ):
        if mode is None or question.spec.get("mode", "order") == mode:
            return question
    raise LookupError(kind)


def paper_of(user: User, *questions: Question, minutes: int = 30) -> MockExam:
    """An open paper of exactly these questions, in this order."""
    return MockExamFactory(
        user=user,
        title="Test paper",
        deadline=timezone.now() + timedelta(minutes=minutes),
        questions=questions,
        questions__first_seed=1000,
    )


def save(client: Client, exam: MockExam, position: int, data: dict, **extra):
    return client.post(f"/exams/{exam.pk}/items/{position}", data, **extra)


def item(exam: MockExam, position: int) -> MockExamItem:
    return exam.items.get(position=position)


def section(page: str, position: int) -> str:
    start = page.index(f'id="item-{position}"')
    end = page.find("</section>", start)
    return page[start:end]


@pytest.fixture
def numeric_and_single(student: User, course: None) -> MockExam:
    return paper_of(student, question_of("numeric"), question_of("single"))


# ---------------------------------------------------------------- starting


def test_it_refuses_a_blueprint_that_is_not_a_number(
    student_client: Client, course: None
) -> None:
    for value in ["abc", "1.5", "-3", "9" * 30]:
        response = student_client.post("/exams/start", {"blueprint": value})
        assert response.status_code == 400, value
        assert "not an exam" in response.content.decode()
    assert not MockExam.objects.exists()


def test_it_answers_an_unknown_or_retired_blueprint_with_404(
    student_client: Client, course: None
) -> None:
    retired = ExamBlueprintFactory(name="Old", is_active=False)
    for value in [str(retired.pk), "123456"]:
        response = student_client.post("/exams/start", {"blueprint": value})
        assert response.status_code == 404
        assert "not available" in response.content.decode()


# ---------------------------------------------------------------- saving


def test_it_says_an_unreadable_answer_could_not_be_read_and_keeps_it_as_a_draft(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    response = save(student_client, exam, 0, {"value": "abc"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Could not read “abc”" in body and "✓" not in body
    kept = item(exam, 0)
    assert kept.answer == {"value": "abc"}
    assert kept.result["draft"] and kept.result["readable"] is False
    page = student_client.get(f"/exams/{exam.pk}/").content.decode()
    assert "Could not read “abc”" in section(page, 0)


def test_it_shows_saved_answers_again_on_the_paper(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    save(student_client, exam, 0, {"value": "0.25"}, **HTMX)
    save(student_client, exam, 1, {"choice": "1"}, **HTMX)
    page = student_client.get(f"/exams/{exam.pk}/").content.decode()
    assert re.search(r'name="q0-value"[^>]*value="0.25"', section(page, 0))
    assert re.search(r'value="1"\s+checked', section(page, 1))
    assert "Answer saved" in section(page, 0) and "Answer saved" in section(page, 1)


def test_it_never_overwrites_a_saved_answer_with_an_empty_field(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    save(student_client, exam, 0, {"value": "0.25"}, **HTMX)
    response = save(student_client, exam, 0, {"value": "  "}, **HTMX)
    assert response.status_code == 200
    assert "your saved answer stays" in response.content.decode()
    assert item(exam, 0).answer == {"value": "0.25"}


def test_it_clears_a_saved_answer_only_when_asked_to(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    save(student_client, exam, 1, {"choice": "2"}, **HTMX)
    response = save(student_client, exam, 1, {"clear": "1"}, **HTMX)
    assert "Answer cleared" in response.content.decode()
    assert item(exam, 1).answer is None and item(exam, 1).result is None


def test_it_refuses_an_answer_longer_than_any_reader_takes(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    save(student_client, exam, 0, {"value": "0.25"}, **HTMX)
    response = save(student_client, exam, 0, {"value": "1" * 30_000}, **HTMX)
    assert response.status_code == 422 and "too long" in response.content.decode()
    assert item(exam, 0).answer == {"value": "0.25"}


def test_it_reads_a_whole_paper_posted_without_javascript(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    response = student_client.post(
        f"/exams/{exam.pk}/save",
        {"items": ["0", "1"], "q0-value": "1/8", "q1-choice": "0", "at": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/exams/{exam.pk}/#item-1"
    assert item(exam, 0).answer == {"value": "1/8"}
    assert item(exam, 1).answer == {"choice": "0"}
    page = student_client.get(response["Location"]).content.decode()
    assert "2 answers saved" in page


def test_the_paper_is_one_form_whose_fields_are_named_by_question(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    page = student_client.get(f"/exams/{exam.pk}/").content.decode()
    assert page.count("<form") - page.count('action="/accounts/logout/"') == 1
    assert 'name="q0-value"' in page and 'name="q1-choice"' in page
    assert 'hx-trigger="change, input delay:800ms"' in page
    assert page.count('role="status"') == 2


def test_it_prefills_every_kind_of_input(student_client: Client, student, course):
    matrix = question_of("matrix")
    multistep = next(
        q
        for q in Question.objects.filter(is_published=True, kind="multistep")
        if all(part["kind"] in ("numeric", "symbolic") for part in q.spec["parts"])
    )
    ordering = question_of("ordering", "order")
    multiple = question_of("multiple")
    exam = paper_of(student, matrix, multistep, ordering, multiple)
    rows, columns = present(matrix, 1000).shape
    cells = "\n".join(
        " ".join(str(r * columns + c) for c in range(columns)) for r in range(rows)
    )
    parts = {part["name"]: f"{i}/7" for i, part in enumerate(multistep.spec["parts"])}
    order = sorted(i for i, _ in present(ordering, 1002).items)
    data = {
        "items": ["0", "1", "2", "3"],
        "q0-value": cells,
        "q2-order": [str(i) for i in order],
        "q3-choices": ["0", "2"],
    }
    data |= {f"q1-part-{name}": value for name, value in parts.items()}
    student_client.post(f"/exams/{exam.pk}/save", data)
    page = student_client.get(f"/exams/{exam.pk}/").content.decode()
    last = rows * columns - 1
    assert f'value="{last}"' in section(page, 0)
    for name, value in parts.items():
        assert re.search(rf'name="q1-part-{name}"[^>]*value="{value}"', page)
    shown = re.findall(r'name="q2-order" value="(\d+)"', section(page, 2))
    assert shown == [str(i) for i in order]
    assert len(re.findall(r"checked", section(page, 3))) == 2


def test_an_untouched_ordering_is_not_taken_for_an_answer(
    student_client: Client, student, course: None
) -> None:
    ordering = question_of("ordering", "order")
    exam = paper_of(student, ordering)
    shown = [str(i) for i, _ in present(ordering, 1000).items]
    student_client.post(f"/exams/{exam.pk}/save", {"items": ["0"], "q0-order": shown})
    assert item(exam, 0).answer is None


# ---------------------------------------------------------------- submitting


def test_submitting_shows_a_summary_with_links_before_anything_is_marked(
    student_client: Client, student, course: None
) -> None:
    exam = paper_of(
        student, question_of("numeric"), question_of("numeric"), question_of("single")
    )
    response = student_client.post(
        f"/exams/{exam.pk}/review",
        {"items": ["0", "1", "2"], "q0-value": "0.5", "q1-value": "abc"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/exams/{exam.pk}/review"
    summary = student_client.get(response["Location"]).content.decode()
    exam.refresh_from_db()
    assert exam.is_open and exam.score is None
    assert "1 answered" in summary
    assert "1 unanswered" in summary and "1 could not be read" in summary
    for position in range(3):
        assert f'href="/exams/{exam.pk}/#item-{position}"' in summary
    assert f'action="/exams/{exam.pk}/submit"' in summary
    assert item(exam, 0).answer == {"value": "0.5"}


def test_the_final_submit_saves_what_is_posted_with_it_before_marking(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    save(student_client, exam, 1, {"choice": "0"}, **HTMX)
    response = student_client.post(
        f"/exams/{exam.pk}/submit", {"items": ["0", "1"], "q0-value": "abc"}
    )
    assert response.status_code == 302
    exam.refresh_from_db()
    assert not exam.is_open
    assert item(exam, 0).answer == {"value": "abc"}
    assert item(exam, 0).result["message"].startswith("Could not be read")
    assert item(exam, 1).answer == {"choice": "0"}


def test_a_paper_saved_after_its_deadline_is_marked_as_it_stood(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    save(student_client, exam, 0, {"value": "0.25"}, **HTMX)
    MockExam.objects.filter(pk=exam.pk).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    response = student_client.post(
        f"/exams/{exam.pk}/submit", {"items": ["0", "1"], "q0-value": "7"}, follow=True
    )
    assert response.status_code == 200
    assert "time for this paper is up" in response.content.decode()
    exam.refresh_from_db()
    assert exam.timed_out and item(exam, 0).answer == {"value": "0.25"}


# ---------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("save", {"items": ["abc"]}),
        ("save", {"items": ["0"], "at": "x"}),
        ("save", {"items": ["0"], "clear": "7"}),
        ("review", {"items": ["99"]}),
        ("submit", {"items": ["-1"]}),
        ("items/0", {"items": ["0"], "clear": "2"}),
    ],
)
def test_it_answers_a_malformed_field_with_400(
    student_client: Client, numeric_and_single: MockExam, path: str, data: dict
) -> None:
    exam = numeric_and_single
    response = student_client.post(f"/exams/{exam.pk}/{path}", data)
    assert response.status_code == 400
    assert "question" in response.content.decode()
    exam.refresh_from_db()
    assert exam.is_open


def test_it_answers_an_unknown_paper_or_question_with_404(
    student_client: Client, numeric_and_single: MockExam
) -> None:
    exam = numeric_and_single
    huge = "9" * 25
    assert student_client.get(f"/exams/{huge}/").status_code == 404
    assert student_client.post(f"/exams/{huge}/save", {}).status_code == 404
    assert student_client.get(f"/exams/{huge}/review").status_code == 404
    assert save(student_client, exam, 7, {"value": "1"}).status_code == 404
    assert student_client.post(f"/exams/{exam.pk}/items/{huge}", {}).status_code == 404


def test_a_student_cannot_save_or_review_anothers_paper(
    client: Client, other_student: User, student_client: Client, course: None
) -> None:
    theirs = paper_of(other_student, question_of("numeric"))
    for path in ["save", "review", "submit"]:
        response = student_client.post(
            f"/exams/{theirs.pk}/{path}", {"items": ["0"], "q0-value": "1"}
        )
        assert response.status_code == 404
    assert student_client.get(f"/exams/{theirs.pk}/review").status_code == 404
    assert item(theirs, 0).answer is None
