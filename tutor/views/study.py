"""Studying beyond single questions: the review queue (mock exams are in
tutor.views.exams)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from tutor import selectors as journey
from tutor.views.helpers import AuthedRequest


@login_required
def review(request: AuthedRequest) -> HttpResponse:
    due = journey.reviews_due(user=request.user)
    return render(
        request,
        "tutor/review.html",
        {"due": due, "upcoming": journey.reviews_upcoming(user=request.user)[:20]},
    )
