"""Who may reach the instructors' pages: staff in the instructors group (or a
superuser). Anyone else signed in gets a 403; an anonymous visitor is sent to
sign in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from exercises.roles import INSTRUCTORS


def is_instructor(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.is_staff and user.groups.filter(name=INSTRUCTORS).exists())


View = Callable[..., HttpResponse]


def instructor_required(view: View) -> View:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_instructor(request.user):
            raise PermissionDenied("This page is for instructors.")
        return view(request, *args, **kwargs)

    return guarded


class InstructorRequiredMixin(AccessMixin):
    """The class-view form of `instructor_required`."""

    raise_exception = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_instructor(request.user):
            raise PermissionDenied("This page is for instructors.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
