"""The coding exercise's friction fixes over HTTP: the last report under the
editor, a one-sentence live summary, the lines the editor marks, "Reset to
starter code", "Next exercise" after a pass, solved marks in the lists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from exercises.coding.submissions import submission_grade
from exercises.models import CodingExercise, Submission
from tests.factories import (
    IOU_SOURCE,
    CodingExerciseFactory,
    LectureFactory,
    SubmissionFactory,
    TopicFactory,
)
from tutor.exercise_order import exercise_next_unsolved

pytestmark = pytest.mark.django_db

SYNTAX_ERROR = "def iou(a, b):\n    x = 1\n    return 0.0 +\n"
WRONG = "def iou(a, b):\n    return 0.0\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def lecture_exercises() -> list[CodingExercise]:
    """Two topics of one lecture: 1.1 with two exercises, 1.2 with one; the
    IoU spec grades each."""
    lecture = LectureFactory()
    first = TopicFactory(lecture=lecture, order=1, code="1.1", slug="first")
    second = TopicFactory(lecture=lecture, order=2, code="1.2", slug="second")
    return [
        CodingExerciseFactory(topic=first, order=1, slug="iou", title="IoU"),
        CodingExerciseFactory(topic=first, order=2, slug="b-second", title="Second"),
        CodingExerciseFactory(topic=second, order=1, slug="a-third", title="Third"),
    ]


def _graded(user: User, exercise: CodingExercise, source: str, client: Client) -> str:
    """Submit by htmx and follow the status as the page does: the fragment
    that arrives once grading is over."""
    client.post(f"/exercises/{exercise.slug}/submit", {"source": source}, **HTMX)
    submission = Submission.objects.filter(user=user).latest("created_at")
    submission_grade(submission_id=submission.pk, worker_id="test")
    response = client.get(f"/submissions/{submission.pk}/status", **HTMX)
    return response.content.decode()


def _announced(fragment: str) -> str:
    match = re.search(
        r'<p id="result-announcement" hx-swap-oob="innerHTML">(.*?)</p>',
        fragment,
        re.S,
    )
    assert match, fragment[:400]
    return " ".join(match.group(1).split())


def test_it_announces_a_short_summary_of_a_graded_report(
    student: User, student_client: Client, lecture_exercises: list[CodingExercise]
) -> None:
    fragment = _graded(student, lecture_exercises[0], WRONG, student_client)
    report = Submission.objects.get().report
    assert _announced(fragment) == (
        f"Graded: {report['passed']} of {report['total']} cases pass."
    )
    # The report is a section of its own: a heading, then the case headings.
    assert '<h2 class="headline">' in fragment
    assert "<h3>First failing case: " in fragment


def test_it_announces_and_marks_a_syntax_error_line(
    student: User, student_client: Client, lecture_exercises: list[CodingExercise]
) -> None:
    fragment = _graded(student, lecture_exercises[0], SYNTAX_ERROR, student_client)
    assert _announced(fragment) == "Syntax error on line 3."
    assert (
        '<li data-line="3" data-text="    return 0.0 +">Line 3: invalid syntax</li>'
        in fragment
    )


def test_the_submit_response_announces_the_submission_and_polls_quietly(
    student_client: Client, lecture_exercises: list[CodingExercise]
) -> None:
    response = student_client.post("/exercises/iou/submit", {"source": WRONG}, **HTMX)
    submission = Submission.objects.get()
    assert submission.is_active
    text = response.content.decode()
    assert _announced(text) == f"Submission #{submission.pk} sent for grading."
    # A poll while it waits says nothing: the live region keeps its sentence.
    polled = student_client.get(f"/submissions/{submission.pk}/status", **HTMX)
    assert b"result-announcement" not in polled.content


def test_the_exercise_page_shows_the_last_report_with_its_code(
    student: User, student_client: Client, lecture_exercises: list[CodingExercise]
) -> None:
    exercise = lecture_exercises[0]
    first = SubmissionFactory(
        user=student, exercise=exercise, source=SYNTAX_ERROR, graded=True
    )
    second = SubmissionFactory(user=student, exercise=exercise, source=WRONG)
    page = student_client.get("/exercises/iou/").content.decode()
    result = page.split('<div id="result">', 1)[1]
    assert f'id="submission-{second.pk}"' in result.split("</div>", 1)[0]
    assert "return 0.0\n</textarea>" in page  # the code of that submission
    # The live region is empty and apart: a page load announces nothing.
    assert '<p id="result-announcement" class="run-live" role="status"></p>' in page
    assert '<div id="result" aria-live' not in page
    earlier = student_client.get(f"/exercises/iou/?from={first.pk}").content.decode()
    assert f'id="submission-{first.pk}"' in earlier.split('<div id="result">', 1)[1]


def test_a_fresh_exercise_page_has_no_report_and_offers_the_starter_code(
    student_client: Client, lecture_exercises: list[CodingExercise]
) -> None:
    exercise = lecture_exercises[0]
    exercise.starter_code = 'def iou(a, b):\n    "</script>"\n'
    exercise.save()
    page = student_client.get("/exercises/iou/").content.decode()
    assert '<div id="result"></div>' in page
    assert "data-reset-code hidden>Reset to starter code</button>" in page
    assert (
        '<script id="starter-code" type="application/json">'
        '"def iou(a, b):\\n    \\"\\u003C/script\\u003E\\"\\n"</script>'
    ) in page


def _next(student: User, exercise: CodingExercise) -> str | None:
    found = exercise_next_unsolved(user=student, exercise=exercise)
    return found.slug if found else None


def test_next_exercise_is_the_next_unsolved_one_in_lecture_order(
    student: User, lecture_exercises: list[CodingExercise]
) -> None:
    iou, second, third = lecture_exercises
    assert _next(student, iou) == second.slug
    SubmissionFactory(user=student, exercise=second, graded=True)
    assert _next(student, iou) == third.slug
    SubmissionFactory(user=student, exercise=third, graded=True, verdict="failed")
    assert _next(student, iou) == third.slug
    SubmissionFactory(user=student, exercise=third, graded=True)
    assert exercise_next_unsolved(user=student, exercise=iou) is None
    # Earlier exercises are not "next", solved or not.
    assert exercise_next_unsolved(user=student, exercise=third) is None


def test_next_exercise_crosses_topics_skips_what_is_not_open_and_stays_in_the_lecture(
    student: User, lecture_exercises: list[CodingExercise]
) -> None:
    iou, second, third = lecture_exercises
    lecture = iou.topic.lecture
    # A later topic with an unpublished exercise, then a published one: only
    # the published one can be next; another lecture's exercise never is.
    later = TopicFactory(lecture=lecture, order=3, code="1.3", slug="later")
    CodingExerciseFactory(topic=later, order=1, slug="a-draft", is_published=False)
    fourth = CodingExerciseFactory(topic=later, order=2, slug="b-fourth")
    CodingExerciseFactory(
        topic=TopicFactory(lecture=LectureFactory(), order=0, code="0.1", slug="other"),
        order=0, slug="elsewhere",
    )  # fmt: skip
    for solved in (second, third):
        SubmissionFactory(user=student, exercise=solved, graded=True)
    assert _next(student, iou) == fourth.slug
    # Another student's pass solves nothing for this one.
    SubmissionFactory(exercise=fourth, graded=True)
    assert _next(student, second) == fourth.slug
    # Equal orders in a topic fall back to the slug, as the lists do.
    tied = CodingExerciseFactory(topic=iou.topic, order=2, slug="c-tied")
    assert _next(student, iou) == tied.slug
    assert _next(student, tied) == fourth.slug


def test_an_exercise_not_open_stands_before_the_first_of_its_topic(
    student: User, lecture_exercises: list[CodingExercise]
) -> None:
    """An instructor previewing a draft: "next" is the first open exercise of
    the draft's topic, unsolved, whatever the draft's own place."""
    iou, second, _third = lecture_exercises
    draft = CodingExerciseFactory(
        topic=iou.topic, order=9, slug="z-draft", is_published=False
    )
    assert _next(student, draft) == iou.slug
    SubmissionFactory(user=student, exercise=iou, graded=True)
    assert _next(student, draft) == second.slug


def test_next_exercise_is_one_query_however_many_exercises_and_submissions(
    student: User,
    lecture_exercises: list[CodingExercise],
    django_assert_num_queries: Any,
) -> None:
    iou = CodingExercise.objects.select_related("topic").get(slug="iou")
    for index in range(10):
        exercise = CodingExerciseFactory(
            topic=iou.topic, order=3 + index, slug=f"more-{index}"
        )
        SubmissionFactory(user=student, exercise=exercise, graded=True)
    with django_assert_num_queries(1):
        found = exercise_next_unsolved(user=student, exercise=iou)
    assert found == (lecture_exercises[1].slug, lecture_exercises[1].title)


def test_a_pass_links_the_next_exercise_or_back_to_the_topic(
    student: User, student_client: Client, lecture_exercises: list[CodingExercise]
) -> None:
    iou, second, third = lecture_exercises
    fragment = _graded(student, iou, IOU_SOURCE, student_client)
    report = Submission.objects.get().report
    assert report["passed"] == report["total"]
    assert (
        _announced(fragment)
        == f"Graded: {report['total']} of {report['total']} cases pass."
    )
    assert '<a href="/exercises/b-second/">Next exercise: Second</a>' in fragment
    SubmissionFactory(user=student, exercise=second, graded=True)
    SubmissionFactory(user=student, exercise=third, graded=True)
    submission = Submission.objects.filter(exercise=iou).get()
    page = student_client.get(f"/submissions/{submission.pk}/").content.decode()
    assert '<a href="/topics/first/">Back to 1.1 ' in page
    assert "Next exercise" not in page


def test_a_failed_report_offers_no_next_exercise(
    student: User, student_client: Client, lecture_exercises: list[CodingExercise]
) -> None:
    fragment = _graded(student, lecture_exercises[0], WRONG, student_client)
    assert "Next exercise" not in fragment and "Back to 1.1" not in fragment


def test_the_submission_page_has_one_h1_and_a_focusable_code_region(
    student: User, student_client: Client, lecture_exercises: list[CodingExercise]
) -> None:
    submission = SubmissionFactory(user=student, exercise=lecture_exercises[0])
    page = student_client.get(f"/submissions/{submission.pk}/").content.decode()
    assert page.count("<h1") == 1
    assert f"<h1>Submission #{submission.pk}</h1>" in page
    assert '<pre tabindex="0" role="region" aria-label="Submitted code"><code>' in page


def test_topic_and_lecture_lists_mark_solved_exercises_in_words(
    student: User, student_client: Client, lecture_exercises: list[CodingExercise]
) -> None:
    iou, second, _third = lecture_exercises
    SubmissionFactory(user=student, exercise=iou, graded=True)
    SubmissionFactory(user=student, exercise=second, graded=True, verdict="failed")
    topic = student_client.get("/topics/first/").content.decode()
    solved = '<strong class="ok"><span aria-hidden="true">✓</span> Solved</strong>'
    assert topic.count(solved) == 1
    assert "tried, best 0%" in topic
    lecture = student_client.get(f"/lectures/{iou.topic.lecture.slug}/").content
    text = lecture.decode()
    assert text.count(solved) == 1 and text.count("not tried") == 1
    assert text.count("Level 2 of 3") == 3  # each exercise's level and time
    assert text.index("IoU") < text.index("Second") < text.index("Third")
    anonymous = Client().get(f"/lectures/{iou.topic.lecture.slug}/").content.decode()
    assert "Third" in anonymous and "not tried" not in anonymous
