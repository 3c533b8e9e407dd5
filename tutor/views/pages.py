"""Browsing pages: home, lecture, topic, health check (cheat sheets: sheets.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from exercises import selectors
from exercises.models import Lecture, QuestionProgress, Topic
from tutor import code_review, next_item
from tutor import selectors as journey
from tutor.courses import progress as course_progress
from tutor.views.helpers import AuthedRequest


def home(request: HttpRequest) -> HttpResponse:
    sections = [
        (lecture, list(lecture.topics.all())) for lecture in selectors.lecture_list()
    ]
    if not request.user.is_authenticated:
        return render(request, "tutor/home.html", {"sections": sections})
    user = request.user
    mastery = {row.topic.pk: row for row in journey.mastery_by_topic(user=user)}
    due = code_review.review_queue(user=user)
    upcoming = code_review.reviews_upcoming(user=user, limit=1)
    context = {
        "sections": [
            (lecture, [(t, mastery.get(t.pk)) for t in topics])
            for lecture, topics in sections
        ],
        "mastery": list(mastery.values()),
        "due": due[:10],
        "due_count": len(due),
        "next_review": upcoming[0] if upcoming else None,
        "start_here": next_item.next_item(user=user),
        "recent_submissions": selectors.submission_list_for_user(user=user)[:5],
        "continue_with": journey.last_activity(user=user),
        "exams": journey.exams_for(user=user)[:3],
        "due_soon": course_progress.due_soon(user=user),
    }
    return render(request, "tutor/dashboard.html", context)


def lecture(request: HttpRequest, slug: str) -> HttpResponse:
    lecture = get_object_or_404(Lecture.objects.prefetch_related("topics"), slug=slug)
    return render(request, "tutor/lecture.html", {"lecture": lecture})


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        topic = selectors.topic_get(slug=slug)
    except Topic.DoesNotExist:
        raise Http404("No such topic") from None
    questions = selectors.question_list_for_topic(topic=topic)
    exercises = selectors.exercise_list_for_topic(topic=topic)
    progress: dict[int, QuestionProgress] = {}
    best: dict[int, float] = {}
    user = request.user
    if isinstance(user, User):
        progress = selectors.progress_by_question(user=user, questions=questions)
        best = journey.exercise_best_scores(user=user, exercises=exercises)
    return render(
        request,
        "tutor/topic.html",
        {
            "topic": topic,
            "question_rows": [
                (question, progress.get(question.pk)) for question in questions
            ],
            "exercise_rows": [
                (exercise, best.get(exercise.pk)) for exercise in exercises
            ],
        },
    )


@login_required
def practise(request: AuthedRequest, slug: str) -> HttpResponse:
    """Start a practice session: the first question of the topic not yet right."""
    try:
        topic = selectors.topic_get(slug=slug)
    except Topic.DoesNotExist:
        raise Http404("No such topic") from None
    questions = selectors.question_list_for_topic(topic=topic)
    progress = selectors.progress_by_question(user=request.user, questions=questions)
    for question in questions:
        row = progress.get(question.pk)
        if row is None or not row.last_correct:
            return redirect(question)
    first = questions.first()
    return redirect(first) if first else redirect("topic", slug)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
