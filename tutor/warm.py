"""Warming a web process up before it serves: the imports that the first
parameterised question would otherwise pay for on its request (torch and the
engine's reference implementations, about seven seconds on a cold start).

Called from tutor/wsgi.py only, which gunicorn loads in each worker and
runserver (so the devserver command) loads before it listens; never from
AppConfig.ready(), so that migrate, the other management commands, Celery and
the tests start as fast as before. WARM_WEB_PROCESS=False in the environment
turns it off.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

log = logging.getLogger(__name__)


def warm_web_process() -> float | None:
    """Import every question generator (each imports its engine reference
    module, most of them torch). Returns the seconds taken, or None when the
    setting is off or an import failed (a request then imports it itself and
    reports the error where it happens)."""
    if not settings.WARM_WEB_PROCESS:
        return None
    started = time.monotonic()
    try:
        from exercises.variants import all_generators

        all_generators()
    except Exception:
        log.exception("warming the web process up failed")
        return None
    seconds = time.monotonic() - started
    log.info("web process warm in %.1f s", seconds)
    return seconds
