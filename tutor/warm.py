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

import contextlib
import ctypes
import ctypes.util
import logging
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from wsgiref.util import setup_testing_defaults

from django.conf import settings

log = logging.getLogger(__name__)


# glibc's mallopt(3) parameters.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
FREED_MEMORY_BYTES = 128 * 1024


def return_freed_memory() -> bool:
    """Make glibc give large freed blocks back to the system at once, in this
    process and the processes it forks (a preloaded web master, the Celery
    worker's main process). By default glibc raises its mmap threshold to the
    largest block freed so far (up to 32 MiB), so after the first sign-in
    each Argon2 hash's 19 MiB comes from the heap and stays there, freed but
    resident: about 19 MiB more per web worker under the load test. Setting
    both thresholds keeps them where they are. False where there is no glibc."""
    path = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(path).mallopt if path else None
    except (AttributeError, OSError):
        mallopt = None
    if mallopt is None:
        return False
    return bool(
        mallopt(M_MMAP_THRESHOLD, FREED_MEMORY_BYTES)
        and mallopt(M_TRIM_THRESHOLD, FREED_MEMORY_BYTES)
    )


def warm_web_process() -> float | None:
    """Import every question generator (each imports its engine reference
    module, most of them torch) and draw a variant from each, so that what a
    draw imports or sets up on first use is here too. Returns the seconds
    taken, or None when the setting is off or an import failed (a request
    then imports it itself and reports the error where it happens)."""
    if not settings.WARM_WEB_PROCESS:
        return None
    started = time.monotonic()
    try:
        import numpy as np
        import torch

        from exercises.variants import all_generators

        # One request per worker and a core each: torch's own threads would
        # only contend. And they must never start here: an OpenMP pool
        # started before gunicorn forks deadlocks the first parallel
        # operation in each worker (the draws below run torch operations).
        torch.set_num_threads(1)
        for generator in all_generators():
            # One variant, no parameters, kept nowhere: what a first draw
            # loads is then here before gunicorn forks, shared by the
            # workers, not loaded in each on some request. (No generator
            # imports torch's compiler stack: tests/tutor/test_warm.py.) One
            # that needs its question's parameters fails here; a request
            # draws it as before.
            with contextlib.suppress(Exception):
                generator.make(np.random.default_rng(0), {})
    except Exception:
        log.exception("warming the web process up failed")
        return None
    seconds = time.monotonic() - started
    log.info("web process warm in %.1f s", seconds)
    return seconds


def warm_pages(application: Callable[..., Iterable[bytes]]) -> int:
    """Serve, in this process, the pages a visitor reaches (home, sign-in,
    every topic, a few questions of each kind) through the whole stack, as a
    worker will. What a first request builds (compiled templates, resolved
    URLs, rendered course text, the interpreter's specialised bytecode) is
    then in gunicorn's master before it forks, shared, instead of built
    again in each worker's memory of its own: about 20 MiB less for the web
    processes under the load test. Anonymous GETs: nothing is written.
    Returns the pages served with 200 (0 when the setting is off or the
    database is not migrated yet). Every database connection is closed
    after, so no worker inherits one."""
    if not settings.WARM_WEB_PROCESS:
        return 0
    from django.db import DatabaseError, connections

    started = time.monotonic()
    try:
        paths = _visitor_paths()
        served = sum(_get(application, path) == HTTPStatus.OK for path in paths)
    except DatabaseError:  # not migrated yet: nothing to serve
        log.info("the database is not migrated: pages not warmed")
        return 0
    finally:
        connections.close_all()
    log.info(
        "%d of %d visitor pages served in %.1f s",
        served, len(paths), time.monotonic() - started,
    )  # fmt: skip
    return served


QUESTIONS_PER_KIND = 3


def _visitor_paths() -> list[str]:
    from django.urls import reverse

    from exercises.models import Question, Topic

    questions: dict[str, list[str]] = {}
    for slug, kind in (
        Question.objects.filter(is_published=True)
        .order_by("slug")
        .values_list("slug", "kind")
    ):
        questions.setdefault(kind, []).append(slug)
    return [
        reverse("home"),
        reverse("login"),
        *(
            reverse("topic", args=[slug])
            for slug in Topic.objects.values_list("slug", flat=True)
        ),
        *(
            reverse("question", args=[slug])
            for slugs in questions.values()
            for slug in slugs[:QUESTIONS_PER_KIND]
        ),
    ]


def _get(application: Callable[..., Iterable[bytes]], path: str) -> int:
    """GET `path` from the WSGI application as a visitor over HTTPS would;
    returns the status code."""
    host = next(
        (h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")),
        "localhost",
    )
    environ: dict[str, Any] = {"PATH_INFO": path, "HTTP_HOST": host}
    setup_testing_defaults(environ)
    environ["wsgi.url_scheme"] = "https"
    if settings.SECURE_PROXY_SSL_HEADER:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value
    statuses: list[str] = []
    body = application(environ, lambda status, headers, *_: statuses.append(status))
    try:
        for _ in body:
            pass
    finally:
        getattr(body, "close", lambda: None)()
    return int(statuses[0].split()[0])
