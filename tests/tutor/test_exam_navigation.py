"""The mock exam's navigation panel and flags, and the marked paper's
summary: each question's state in words, a flag kept with the paper (with
or without JavaScript), and time used, counts and weak topics to practise."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.tutor.test_exams import HTMX, item, paper_of, question_of, save
from tutor import services
from tutor.exam_results import duration_text, exam_result_summary
from tutor.models import MockExam

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(student: User, course: None) -> MockExam:
    return paper_of(
        student, question_of("numeric"), question_of("single"), question_of("numeric")
    )


def flag(client: Client, exam: MockExam, position: int, value: str, **extra):
    return client.post(
        f"/exams/{exam.pk}/items/{position}/flag", {"flagged": value}, **extra
    )


def nav_entries(page: str) -> list[str]:
    """The navigation panel's links, as text."""
    panel = page[page.index('id="exam-nav-list"') : page.index("</ol>")]
    links = re.findall(r"<a href=\"#item-\d+\">(.*?)</a>", panel, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", link)).strip() for link in links]


def test_the_panel_says_what_is_answered_and_flagged(
    student_client: Client, paper: MockExam
) -> None:
    page = student_client.get(f"/exams/{paper.pk}/").content.decode()
    assert nav_entries(page) == [f"Question {n}: not answered" for n in (1, 2, 3)]
    save(student_client, paper, 0, {"value": "0.25"}, **HTMX)
    save(student_client, paper, 2, {"value": "abc"}, **HTMX)
    flag(student_client, paper, 1, "1", **HTMX)
    page = student_client.get(f"/exams/{paper.pk}/").content.decode()
    assert nav_entries(page) == [
        "Question 1: answered",
        "Question 2: not answered, flagged",
        "Question 3: not readable",
    ]
    counts = re.search(r'id="exam-nav-counts"[^>]*>(.*?)</span>', page, re.S)
    assert counts is not None
    assert " ".join(counts.group(1).split()) == (
        "1 of 3 answered, 1 not readable, 1 flagged"
    )
    assert 'id="flag-1"' in page and 'aria-pressed="true"' in page


def test_a_flag_from_htmx_answers_with_the_toggle_and_the_panel(
    student_client: Client, paper: MockExam
) -> None:
    response = flag(student_client, paper, 0, "1", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and item(paper, 0).flagged
    assert re.search(r'<button[^>]*id="flag-0"', body)
    assert 'aria-pressed="true"' in body and 'value="0"' in body
    assert 'id="exam-nav-list"' in body and 'hx-swap-oob="true"' in body
    assert "Question 1: not answered, flagged" in nav_entries(body)
    response = flag(student_client, paper, 0, "0", **HTMX)
    assert 'aria-pressed="false"' in response.content.decode()
    assert not item(paper, 0).flagged


def test_a_save_from_htmx_brings_the_panel_up_to_date(
    student_client: Client, paper: MockExam
) -> None:
    body = save(student_client, paper, 0, {"value": "0.25"}, **HTMX).content.decode()
    assert "Answer saved" in body
    assert nav_entries(body)[0] == "Question 1: answered"
    assert re.search(r'id="exam-nav-counts" hx-swap-oob="true"', body)


def test_a_flag_without_javascript_saves_the_paper_too(
    student_client: Client, paper: MockExam
) -> None:
    posted = {"items": ["0", "1", "2"], "q0-value": "0.25", "flagged": "1"}
    response = student_client.post(f"/exams/{paper.pk}/items/2/flag", posted)
    assert response.status_code == 302
    assert response["Location"] == f"/exams/{paper.pk}/#item-2"
    assert item(paper, 2).flagged and item(paper, 0).answer == {"value": "0.25"}
    page = student_client.get(response["Location"]).content.decode()
    assert "Question 3 flagged for review; 1 answer saved." in page


def test_a_flag_is_refused_when_it_cannot_be_one(
    student_client: Client, other_student: User, paper: MockExam
) -> None:
    assert flag(student_client, paper, 0, "yes", **HTMX).status_code == 400
    assert flag(student_client, paper, 7, "1", **HTMX).status_code == 404
    theirs = paper_of(other_student, question_of("numeric"))
    assert flag(student_client, theirs, 0, "1", **HTMX).status_code == 404
    services.exam_submit(exam=paper)
    late = flag(student_client, paper, 0, "1", **HTMX)
    assert late.status_code == 409 and "submitted" in late.content.decode()
    assert late["HX-Retarget"] == "#status-0"
    assert not item(paper, 0).flagged


def test_the_review_page_lists_the_flagged_questions(
    student_client: Client, paper: MockExam
) -> None:
    flag(student_client, paper, 2, "1", **HTMX)
    page = student_client.get(f"/exams/{paper.pk}/review").content.decode()
    assert "1 flagged for review" in page
    flagged = page[page.index("Flagged for review</h2>") :]
    assert re.search(rf'href="/exams/{paper.pk}/#item-2">Question 3</a>', flagged)


def test_the_marked_paper_sums_up_time_answers_flags_and_weak_topics(
    student_client: Client, paper: MockExam
) -> None:
    save(student_client, paper, 0, {"value": "0.25"}, **HTMX)
    flag(student_client, paper, 1, "1", **HTMX)
    MockExam.objects.filter(pk=paper.pk).update(
        started_at=paper.deadline - timedelta(minutes=30)
    )
    services.exam_submit(exam=paper)
    MockExam.objects.filter(pk=paper.pk).update(
        submitted_at=paper.deadline - timedelta(minutes=17, seconds=55)
    )
    marked = MockExam.objects.get(pk=paper.pk)
    summary = exam_result_summary(exam=marked)
    assert (summary.used_text, summary.allowed_text) == ("12 min 05 s", "30 min")
    assert (summary.answered, summary.unanswered, summary.flagged) == (1, 2, 1)
    scores = {code: row["score"] for code, row in marked.by_topic.items()}
    weak = [topic.code for topic in summary.weak]
    assert set(weak) == {code for code, score in scores.items() if score < 1}
    assert [scores[code] for code in weak] == sorted(scores[code] for code in weak)
    assert weak  # two of the three questions are unanswered
    page = student_client.get(f"/exams/{paper.pk}/").content.decode()
    assert "12 min 05 s of 30 min" in page
    for topic in summary.weak:
        assert f'href="/topics/{topic.slug}/practise"' in page


def test_time_used_stops_at_the_deadline() -> None:
    assert duration_text(timedelta(seconds=45)) == "45 s"
    assert duration_text(timedelta(minutes=20)) == "20 min"
    assert duration_text(timedelta(seconds=-3)) == "0 s"
