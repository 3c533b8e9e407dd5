"""The Celery application shared by the web process and the workers.

Configuration lives in Django settings under the CELERY_ namespace, so the
worker reads exactly what the web process reads.
"""

import gc
import logging
import os
import time
from pathlib import Path

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")

app = Celery("tutor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_filesystem_broker() -> None:
    """The embedded filesystem broker needs its folders before first use."""
    if not str(app.conf.broker_url).startswith("filesystem://"):
        return
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_init.connect
def import_references(**_: object) -> None:
    """The worker's main process imports the references (torch) before it
    forks its pool: the pool processes share those pages instead of each
    importing its own copy. It also starts the sandbox zygote, which each
    pool process asks for its host: the hosts then share one copy of torch
    too (engine/sandbox/zygote.py)."""
    from engine.grader import share_sandbox
    from engine.specs import all_specs
    from tutor.warm import return_freed_memory

    return_freed_memory()
    all_specs()
    # Kept out of the garbage collector's passes, what was imported is never
    # written to by them, so the pool processes keep sharing its pages (as
    # the web master does, tutor/wsgi.py).
    gc.collect()
    gc.freeze()
    try:
        share_sandbox()
    except Exception:  # each pool process then starts a host of its own
        logging.getLogger(__name__).exception("starting the sandbox zygote failed")


@worker_process_init.connect
def warm_sandbox(**_: object) -> None:
    """Each pool process starts its sandbox host (and imports torch) before
    it takes a task, so the first submission waits tens of milliseconds, not
    the four seconds of a cold start. It runs in the process's main thread on
    purpose: the host dies with the thread that started it. Celery waits for
    it (CELERY_WORKER_PROC_ALIVE_TIMEOUT in the settings)."""
    from engine.grader import warm_up

    log = logging.getLogger(__name__)
    started = time.monotonic()
    try:
        warm_up()
    except Exception:  # the first job starts a host itself, and says why not
        log.exception("warming the sandbox up failed")
        return
    log.info("sandbox warm in %.1f s", time.monotonic() - started)
