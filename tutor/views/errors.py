"""The site's error pages and JSON error bodies.

The handlers are named in tutor/urls.py (handler400 …). A 400 and a 500 render
without the request, as Django's own handlers do: no session, user or database
is needed, since the request (or the database) may be what failed. A 403 and a
404 render with it, so the header still shows who is signed in. A client that
sends or asks for JSON gets `{"error": …, "message": …}` instead of a page.

`ReadableErrorsMiddleware` gives the same treatment to an error answered with
an empty body, such as the 405 of `require_POST`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404
from django.views.decorators.csrf import requires_csrf_token

from tutor.views.helpers import (
    ErrorBody,
    error_template,
    error_title,
    message_response,
    wants_json,
)

UNREADABLE = (
    "The request could not be read. Go back, check what you entered, and try again."
)
NOT_FOUND = (
    "There is nothing at this address. Check the link, or start again from the "
    "start page."
)
FORBIDDEN = "Your account does not have access to this page."
SERVER_ERROR = (
    "The site failed to answer this request. It has been logged; try again in a moment."
)
# Headers of an empty error response that its readable replacement keeps.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def _json_client(request: HttpRequest) -> bool:
    """`wants_json`, except that a request too broken to read (what a 400 is
    often about: too many fields in the query string) gets the page."""
    try:
        return wants_json(request)
    except (SuspiciousOperation, ValueError):
        return False


def _json(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        ErrorBody(error=error_title(status), message=message), status=status
    )


def bad_request_reason(exception: Exception) -> tuple[int, str]:
    """The status and message for a request Django refused to read."""
    if isinstance(exception, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return 413, f"The request is larger than the {limit} the site accepts."
    if isinstance(exception, TooManyFieldsSent):
        return 400, "The form sent more fields than the site accepts."
    if isinstance(exception, TooManyFilesSent):
        return 400, "The form sent more files than the site accepts."
    if isinstance(exception, MultiPartParserError):
        return 400, "The form data could not be read: it is not well-formed."
    return 400, UNREADABLE


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    status, message = bad_request_reason(exception)
    if _json_client(request):
        return _json(status, message)
    context = {"title": error_title(status), "message": message}
    body = loader.render_to_string(error_template(status), context)
    return HttpResponse(body, status=status)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = str(exception) or FORBIDDEN
    if _json_client(request):
        return _json(403, message)
    return render(request, "403.html", {"message": message}, status=403)


def _not_found_message(exception: Exception) -> str:
    """What the view said was missing ("No such question"); the URL resolver's
    own 404 says nothing a reader can use."""
    if isinstance(exception, Http404) and not isinstance(exception, Resolver404):
        message = exception.args[0] if exception.args else None
        if isinstance(message, str) and message:
            return message
    return NOT_FOUND


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = _not_found_message(exception)
    if _json_client(request):
        return _json(404, message)
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered with no context at all: whatever failed (the
    database, the session) cannot fail it again."""
    try:
        json_client = wants_json(request)
    except Exception:  # noqa: BLE001 - the 500 page must come out whatever failed
        json_client = False
    if json_client:
        return _json(500, SERVER_ERROR)
    return HttpResponseServerError(loader.render_to_string("500.html"))


def _empty_error_message(request: HttpRequest, response: HttpResponse) -> str:
    if response.status_code == 405:
        allowed = response.get("Allow", "")
        return (
            f"This address does not take a {request.method} request"
            + (f" (only {allowed})" if allowed else "")
            + ": use the page's own buttons and forms."
        )
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code == 403:
        return FORBIDDEN
    return UNREADABLE if response.status_code < 500 else SERVER_ERROR


class ReadableErrorsMiddleware:
    """Gives an error answered with an empty body (the 405 of `require_POST`,
    a bare `HttpResponseBadRequest()`) the site's page or JSON body, keeping
    its status and the headers that say what to do next (Allow …)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or response.streaming
            or response.content
            or request.method == "HEAD"
        ):
            return response
        readable = message_response(
            request,
            _empty_error_message(request, response),
            status=response.status_code,
        )
        for header in KEPT_HEADERS:
            if header in response:
                readable[header] = response[header]
        return readable
