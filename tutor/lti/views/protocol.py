"""The protocol's endpoints: OIDC login initiation, the launch, our key set,
and the sign-in link that continues a framed launch in a window.

The login and the launch are exempt from CSRF (the platform posts them
across sites; the state cookie and the single-use nonce stand in for the
token) and may be framed by the platform."""

from __future__ import annotations

import logging
import re
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import User
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tutor.courses.models import Membership
from tutor.lti import launches
from tutor.lti.claims import DEEP_LINKING
from tutor.lti.framing import allow_framing, remember_frame
from tutor.lti.keys import published_jwks
from tutor.lti.launch import LaunchRefused, ValidLaunch, launch_validate, login_redirect
from tutor.lti.models import origin_of
from tutor.lti.passback import passback_refresh
from tutor.lti.tasks import send_on_commit
from tutor.lti.views.deep_link import picker

log = logging.getLogger(__name__)
TOKEN = re.compile(r"[-\w]{20,100}", re.ASCII)
BACKEND = "django.contrib.auth.backends.ModelBackend"
CONTINUE_SECONDS = 120
# What the cookie check passes on to the login it reloads (pylti1p3's list).
LOGIN_PARAMS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "lti_deployment_id",
    "client_id",
)


def refused(request: HttpRequest, problem: LaunchRefused) -> HttpResponseBase:
    """The clear page for a refused login or launch (its reason is logged)."""
    log.warning("LTI refused (%s): %s", problem.status, problem.reason)
    response = render(
        request, "lti/refused.html", {"message": problem.message}, status=problem.status
    )
    return allow_framing(response, [])


@csrf_exempt
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponseBase:
    params = request.GET if request.method == "GET" else request.POST
    if (
        request.headers.get("Sec-Fetch-Dest") == "iframe"
        and "lti_checked" not in params
    ):
        return _cookie_check(request, params)
    try:
        response = login_redirect(request)
    except LaunchRefused as problem:
        return refused(request, problem)
    return allow_framing(response, [])


def _cookie_check(request: HttpRequest, params: QueryDict) -> HttpResponseBase:
    """In a frame, first check that the browser keeps our cookies there (the
    state cookie must come back at the launch); if it does not (Safari,
    private windows), offer to continue in a new window."""
    values = {name: params[name] for name in LOGIN_PARAMS if params.get(name)}
    query = urlencode({**values, "lti_checked": "1"})
    context = {"continue_url": f"{reverse('lti:login')}?{query}"}
    return allow_framing(render(request, "lti/cookie_check.html", context), [])


@csrf_exempt
@require_POST
def launch_view(request: HttpRequest) -> HttpResponseBase:
    try:
        valid = launch_validate(request)
        if valid.claims.message_type == DEEP_LINKING and valid.claims.role != (
            Membership.Role.INSTRUCTOR
        ):
            raise LaunchRefused(
                f"deep linking by a {valid.claims.role} ({valid.claims.roles})",
                "Only the course's instructors can add links to this tool.",
                status=403,
            )
        accepted = launches.launch_accept(launch=valid)
    except LaunchRefused as problem:
        return refused(request, problem)
    origins = [*valid.registration.origins(), origin_of(valid.claims.return_url)]
    origins = [origin for origin in origins if origin]
    login(request, accepted.user, backend=BACKEND)
    remember_frame(request, origins)
    if valid.claims.message_type == DEEP_LINKING:
        return picker(request, valid, accepted.course)
    if accepted.link is not None and accepted.role == Membership.Role.STUDENT:
        # A score earned before this first launch reaches the platform too.
        found = passback_refresh(link=accepted.link, lti_user=accepted.lti_user)
        send_on_commit([found] if found else [])
    page = launches.page_for(accepted)
    if valid.claims.in_frame and not settings.LTI_IFRAME_SESSIONS:
        return _open_in_window(request, valid, accepted.user, page, origins)
    return redirect(page)


def _open_in_window(
    request: HttpRequest, valid: ValidLaunch, user: User, page: str, origins: list[str]
) -> HttpResponseBase:
    """The platform shows us in a frame, where our session cookie may not
    stick: a page with a single-use sign-in link that opens a window."""
    token = secrets.token_urlsafe(32)
    caches["lti"].set(
        f"lti-continue-{token}",
        {"user": user.pk, "next": page, "origins": origins},
        CONTINUE_SECONDS,
    )
    context = {
        "continue_url": reverse("lti:continue", args=[token]),
        "title": valid.claims.resource_link.get("title") or "",
    }
    return allow_framing(render(request, "lti/open_window.html", context), origins)


@require_GET
def continue_view(request: HttpRequest, token: str) -> HttpResponseBase:
    """The link of a framed launch, opened in a window: signs the person in
    (once; the link lasts two minutes) and opens the page."""
    key = f"lti-continue-{token}"
    data = caches["lti"].get(key) if TOKEN.fullmatch(token) else None
    if not isinstance(data, dict) or not caches["lti"].delete(key):
        return refused(
            request,
            LaunchRefused(
                "continue link unknown, used or expired",
                "This link has been used or has expired. Open the tool again from "
                "your learning platform.",
                status=404,
            ),
        )
    user = User.objects.filter(pk=int(data.get("user") or 0), is_active=True).first()
    if user is None:
        return refused(
            request, LaunchRefused("continue link: no such user", status=404)
        )
    login(request, user, backend=BACKEND)
    remember_frame(request, data.get("origins") or [])
    return redirect(str(data.get("next") or reverse("home")))


@require_GET
def jwks_view(request: HttpRequest) -> HttpResponse:
    """Our public keys (next, current and previous), for the platforms."""
    response = JsonResponse(published_jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response
