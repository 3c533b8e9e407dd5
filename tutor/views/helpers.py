"""Small helpers shared by the views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypedDict
from urllib.parse import urlencode, urlparse

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse


class AuthedRequest(HttpRequest):
    """A request behind a sign-in check: its user is a real account."""

    user: User


class ErrorBody(TypedDict):
    """What a JSON client gets with a 4xx or 5xx status."""

    error: str
    message: str


# The heading of an error, by status; the pages are templates/<status>.html
# where one exists, else templates/400.html under the heading below.
ERROR_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not for you",
    404: "Not found",
    405: "Not allowed here",
    409: "Not now",
    413: "Too large",
    415: "Unsupported format",
    422: "Could not read your answer",
    429: "Too many requests",
    500: "Something went wrong",
}
ERROR_PAGES = {400, 403, 404, 429, 500}


# The largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def int_or_none(
    value: str, *, minimum: int | None = None, maximum: int | None = None
) -> int | None:
    """A whole number typed or posted by a user, or None when it is not one.

    Django's form field, not `str.isdigit()` and `int()`: "²" is a digit that
    int() refuses, and int() refuses more than 4300 digits."""
    field = forms.IntegerField(min_value=minimum, max_value=maximum)
    try:
        number = field.clean(value)
    except ValidationError:
        return None
    return number if isinstance(number, int) else None


def id_or_none(value: str) -> int | None:
    """A database id from user input, or None when it cannot be one."""
    return int_or_none(value, minimum=1, maximum=MAX_ID)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_json(request: HttpRequest) -> bool:
    """Whether the client sent JSON or asks for it (by Accept or ?format=json)."""
    return (
        request.content_type == "application/json"
        or request.GET.get("format") == "json"
        or request.get_preferred_type(["text/html", "application/json"])
        == "application/json"
    )


def error_title(status: int) -> str:
    return ERROR_TITLES.get(status, "Bad request" if status < 500 else "Server error")


def error_template(status: int) -> str:
    return f"{status}.html" if status in ERROR_PAGES else "400.html"


def signed_in_or_401(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For POST endpoints: an anonymous user gets 401 and a sign-in link, not a
    redirect that would throw their answer away."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            page = (
                urlparse(request.headers.get("HX-Current-URL", "")).path or request.path
            )
            response = message_response(
                request,
                "You are not signed in (or your session ended). "
                "Sign in to have your answer checked and saved.",
                status=401,
                link=f"{reverse('login')}?{urlencode({'next': page})}",
                link_text="Sign in",
            )
            response["WWW-Authenticate"] = 'Session realm="tutor"'
            return response
        return view(request, *args, **kwargs)

    return wrapper


def message_response(
    request: HttpRequest,
    message: str,
    *,
    status: int,
    level: str = "error",
    link: str = "",
    link_text: str = "",
) -> HttpResponse:
    """A message for the client in the form it reads: JSON for a JSON client,
    the message alone for htmx to swap in, else a whole page in the site's style."""
    if wants_json(request):
        body = ErrorBody(error=error_title(status), message=message)
        return JsonResponse(body, status=status)
    context = {"level": level, "message": message, "link": link, "link_text": link_text}
    if is_htmx(request):
        return render(request, "includes/message.html", context, status=status)
    context["title"] = error_title(status)
    return render(request, error_template(status), context, status=status)
