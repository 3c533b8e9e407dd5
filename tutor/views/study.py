"""Studying beyond single questions: the review queue (mock exams are in
tutor.views.exams)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from tutor import code_review
from tutor.views.helpers import AuthedRequest


@login_required
def review(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "tutor/review.html",
        {
            "due": code_review.review_queue(user=user),
            "upcoming": code_review.reviews_upcoming(user=user, limit=20),
        },
    )
