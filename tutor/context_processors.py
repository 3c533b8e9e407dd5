from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict[str, Any]:
    from exercises.roles import is_instructor

    user = getattr(request, "user", None)
    return {
        "SIGNUP_ENABLED": settings.SIGNUP_ENABLED,
        # Lazy: most pages never ask, and asking costs a query.
        "IS_INSTRUCTOR": SimpleLazyObject(
            lambda: user is not None and is_instructor(user)
        ),
    }
