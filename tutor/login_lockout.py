"""Sign-in throttling with django-axes: the page a locked-out sign-in gets, and
what a successful sign-in clears (settings: the AXES_* values)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, with the wait in words and the 429 status.

    Every refused try restarts the cool-off, so the wait is the whole of it."""
    now = timezone.now()
    wait = timeuntil(now + (get_cool_off(request) or timedelta(0)), now)
    context = {
        "locked_out_wait": wait,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(
        request,
        "registration/login.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class AccountResetHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful sign-in clears only the
    failures against the account that signed in.

    Axes' own reset clears every attempt matching any lockout parameter, the
    address included: someone could then guess four passwords of another
    account, sign in to their own from the same address, and start again."""

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
