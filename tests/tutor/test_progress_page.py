"""The progress page: mastery per topic in words and as a meter, its history
as a sparkline with a text alternative, the activity calendar with a text per
day, the reviews due; linked from the navigation."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from exercises.models import QuizAttempt
from tests.factories import (
    CodingExerciseFactory,
    QuestionFactory,
    QuizAttemptFactory,
    SubmissionFactory,
    TopicFactory,
)
from tests.factories.mastery import MasteryFactory, answered, code_card
from tutor.mastery import P_INIT, bkt_update
from tutor.models import MasteryEvent
from tutor.views.progress import Day, activity_calendar, sparkline

pytestmark = pytest.mark.django_db


def page(client: Client) -> str:
    response = client.get("/progress/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_needs_a_signed_in_student(client: Client) -> None:
    response = client.get("/progress/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_navigation_links_to_it(student_client: Client) -> None:
    assert 'href="/progress/">Progress</a>' in student_client.get("/").content.decode()


def test_each_topic_shows_its_state_and_estimate(
    student: User, student_client: Client
) -> None:
    rnn = TopicFactory(order=1, title="RNNs")
    lstm = TopicFactory(order=2, title="LSTM")
    lstm.prerequisites.add(rnn)
    for _ in range(3):
        answered(student, QuestionFactory(topic=rnn), correct=True)
    html = page(student_client)
    row = re.search(rf"{rnn.code} RNNs</a>.*?</tr>", html, re.S)
    assert row is not None
    p = P_INIT
    for _ in range(3):
        p = bkt_update(p, True, guess=0.05)
    assert "Mastered" in row.group(0)
    assert f'value="{round(p * 100)}"' in row.group(0)
    assert f"<span>{round(p * 100)}%</span>" in row.group(0)
    lstm_row = re.search(rf"{lstm.code} LSTM</a>.*?</tr>", html, re.S)
    assert lstm_row is not None and "Not started" in lstm_row.group(0)
    assert "No first answers yet" in lstm_row.group(0)
    assert 'aria-label="Estimated mastery of' in html


def test_a_closed_topic_says_what_it_waits_for(
    student: User, student_client: Client
) -> None:
    rnn, lstm = TopicFactory(order=1), TopicFactory(order=2)
    lstm.prerequisites.add(rnn)
    MasteryFactory(user=student, topic=rnn, p_learned=0.5, observations=2)
    html = page(student_client)
    waits = re.search(r"Opens when\s+(.*?)</small>", html, re.S)
    assert waits is not None
    assert re.sub(r"\s+", " ", waits.group(1)).strip() == f"{rnn.code} reaches 80%"


def test_the_history_is_drawn_and_told_in_words(
    student: User, student_client: Client
) -> None:
    topic = TopicFactory(title="TF-IDF")
    answered(student, QuestionFactory(topic=topic), correct=False)
    answered(student, QuestionFactory(topic=topic), correct=True)
    html = page(student_client)
    label = re.search(r'<svg class="sparkline"[^>]*aria-label="([^"]*)"', html, re.S)
    assert label is not None
    assert label.group(1).startswith(
        f"{topic.code} TF-IDF: estimated mastery from 20% to"
    )
    assert label.group(1).endswith("over the last 2 first answers, 1 right")
    assert re.search(r'<polyline points="0\.0,[\d.]+ 60\.0,[\d.]+ 120\.0,', html)


def test_the_sparkline_runs_from_the_prior_to_the_latest_estimate(
    student: User,
) -> None:
    topic = TopicFactory()
    answered(student, QuestionFactory(topic=topic), correct=True)
    events = list(MasteryEvent.objects.filter(user=student))
    points = sparkline(events).split()
    assert len(points) == 2
    first_y, last_y = (float(point.split(",")[1]) for point in points)
    assert first_y == pytest.approx((1 - 0.2) * 26 + 1)
    assert last_y < first_y  # higher on the chart: the estimate went up
    assert sparkline([]) == ""


def test_the_calendar_counts_every_answer_per_day(
    student: User, other_student: User, student_client: Client
) -> None:
    today = timezone.localdate()
    question = QuestionFactory()
    for _ in range(3):
        QuizAttemptFactory(user=student, question=question)
    SubmissionFactory(user=student, graded=True)
    QuizAttemptFactory(user=other_student, question=question)
    old = QuizAttemptFactory(user=student, question=question)
    QuizAttempt.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=120)
    )
    weeks, total, days = activity_calendar(user=student)
    assert (len(weeks), total, days) == (12, 4, 1)
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0].day.weekday() == 0 and weeks[-1][today.weekday()].day == today
    cell = weeks[-1][today.weekday()]
    label = f"4 answers on {today:%a} {today.day} {today:%b}"
    assert (cell.count, cell.level, cell.label) == (4, 2, label)
    html = page(student_client)
    assert f'<span class="visually-hidden">{label}</span>' in html
    assert "4 answers on 1 day in the last twelve weeks" in html


def test_a_day_says_what_happened_in_words() -> None:
    monday = date(2026, 11, 30)
    assert Day(monday, 0, False).label == "No answers on Mon 30 Nov"
    assert Day(monday, 1, False).label == "1 answer on Mon 30 Nov"
    assert Day(monday, 0, True).label == "Mon 30 Nov: still to come"
    levels = [Day(monday, n, False).level for n in (0, 1, 2, 3, 5, 6, 9, 10, 99)]
    assert levels == [0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_the_reviews_due_are_listed_with_their_form(
    student: User, student_client: Client
) -> None:
    exercise = CodingExerciseFactory(title="NMS by hand")
    code_card(student, exercise, stability=1.0, due=timezone.now() - timedelta(hours=2))
    html = page(student_client)
    assert "NMS by hand" in html and "Parsons problem" in html
    assert f'href="{exercise.get_absolute_url()}ladder/parsons?review=1"' in html


def test_another_students_progress_is_not_shown(
    student: User, other_student: User, student_client: Client
) -> None:
    topic = TopicFactory(title="Secret topic")
    answered(other_student, QuestionFactory(topic=topic), correct=True)
    html = page(student_client)
    row = re.search(r"Secret topic</a>.*?</tr>", html, re.S)
    assert row is not None and "Not started" in row.group(0)
    assert "0 answers on 0 days" in html
