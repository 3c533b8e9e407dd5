"""Small helpers shared by the views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlparse

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse


class AuthedRequest(HttpRequest):
    """A request behind a sign-in check: its user is a real account."""

    user: User


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def signed_in_or_401(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For POST endpoints: an anonymous user gets 401 and a sign-in link, not a
    redirect that would throw their answer away."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            page = (
                urlparse(request.headers.get("HX-Current-URL", "")).path or request.path
            )
            login = f"{reverse('login')}?{urlencode({'next': page})}"
            response = render(
                request,
                "includes/message.html",
                {
                    "level": "error",
                    "message": "You are not signed in (or your session ended). "
                    "Sign in to have your answer checked and saved.",
                    "link": login,
                    "link_text": "Sign in",
                },
                status=401,
            )
            response["WWW-Authenticate"] = 'Session realm="tutor"'
            return response
        return view(request, *args, **kwargs)

    return wrapper


def message_response(
    request: HttpRequest, message: str, *, status: int, level: str = "error"
) -> HttpResponse:
    return render(
        request,
        "includes/message.html",
        {"level": level, "message": message},
        status=status,
    )
