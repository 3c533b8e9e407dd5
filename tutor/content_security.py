"""The Content-Security-Policy header (django-csp; the policy is in settings)."""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, minus the policy on PDF responses.

    A PDF shown inline is drawn by the browser's PDF viewer, which a page
    policy breaks: Chrome refuses the viewer under `object-src 'none'` and
    the viewer's own page styles under `style-src 'self'` (a blank page). A
    PDF runs no script of ours; X-Frame-Options and nosniff still apply."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("application/pdf"):
            # The flag django-csp's own @csp_exempt decorator sets.
            response._csp_exempt = True  # type: ignore[attr-defined]
        return super().process_response(request, response)
