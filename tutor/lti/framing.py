"""Showing our pages inside a learning platform's frame.

The site forbids framing (X-Frame-Options DENY, CSP frame-ancestors 'none').
The LTI pages lift that per response for the platform's origins: the login
and launch steps and their error pages (any https ancestor: they carry no
action a framing page could abuse), the deep-linking picker and its answer
(the registration's origins only).

With LTI_IFRAME_SESSIONS on, a session that came through a launch may show
every page of the site framed by the platform that launched it (the
session and CSRF cookies are then SameSite=None; Secure, see settings);
without it, a launch in a frame offers to open the page in a new window."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

SESSION_KEY = "lti_frame_ancestors"
ANY_HTTPS = "https:"


def allow_framing(
    response: HttpResponseBase, origins: Iterable[str]
) -> HttpResponseBase:
    """Let these origins (or, empty, any https page) frame this response."""
    ancestors = sorted(set(origins)) or [ANY_HTTPS]
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    replace = dict(getattr(response, "_csp_replace", None) or {})
    replace["frame-ancestors"] = ancestors
    response._csp_replace = replace  # type: ignore[attr-defined]
    return response


def allow_form_action(response: HttpResponseBase, origin: str) -> HttpResponseBase:
    """Let a form of this page post to the platform (the deep-linking answer)."""
    update = dict(getattr(response, "_csp_update", None) or {})
    update["form-action"] = [origin]
    response._csp_update = update  # type: ignore[attr-defined]
    return response


def remember_frame(request: HttpRequest, origins: Iterable[str]) -> None:
    """After a launch's sign-in: the platform that may frame this session."""
    request.session[SESSION_KEY] = sorted(set(origins))


class LtiFramingMiddleware:
    """With LTI_IFRAME_SESSIONS, a launched session's pages are framed by its
    platform (sits after XFrameOptionsMiddleware in MIDDLEWARE, so it sees
    the response first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not settings.LTI_IFRAME_SESSIONS or getattr(
            response, "xframe_options_exempt", False
        ):
            return response
        session = getattr(request, "session", None)
        origins = session.get(SESSION_KEY) if session is not None else None
        if isinstance(origins, list) and origins:
            allow_framing(response, [o for o in origins if isinstance(o, str)])
        return response
