"""Warming the web process: the WSGI entry point imports torch and the
question generators before the first request; management commands, Celery
and the tests do not pay for it."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from exercises import variants
from tutor.warm import warm_web_process

ROOT = Path(__file__).resolve().parents[2]
LOADED = "print('torch' in sys.modules, 'exercises.variants.detection' in sys.modules)"


def _python(code: str, **env: str) -> str:
    """Run `code` in a fresh interpreter (the project's settings) and return
    whether it loaded torch and the generators."""
    return _last_line(f"import sys\n{code}\n{LOADED}", **env)


def _last_line(code: str, **env: str) -> str:
    """Run `code` in a fresh interpreter (the project's settings) and return
    the last line it prints."""
    return _python_lines(code, **env)[-1]


def _python_lines(code: str, **env: str) -> list[str]:
    """Run `code` in a fresh interpreter (the project's settings, and the
    thread counts a deployment has: the suite's one thread, tests/conftest.py,
    left out) and return the lines it prints."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "tutor.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,  # a deadlocked worker fails the test, not the suite
        check=True,
    )
    return result.stdout.strip().splitlines()


def test_it_imports_every_generator(settings) -> None:
    settings.WARM_WEB_PROCESS = True
    seconds = warm_web_process()
    assert seconds is not None and seconds >= 0
    assert "torch" in sys.modules
    modules = [info.name for info in pkgutil.iter_modules(variants.__path__)]
    assert modules
    assert all(f"exercises.variants.{name}" in sys.modules for name in modules)


def test_it_does_nothing_when_the_setting_is_off(settings) -> None:
    settings.WARM_WEB_PROCESS = False
    assert warm_web_process() is None


@pytest.mark.slow
def test_it_leaves_management_commands_cold() -> None:
    code = (
        "import django\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('check', verbosity=0)"
    )
    assert _python(code) == "False False"


@pytest.mark.slow
def test_it_warms_the_wsgi_application() -> None:
    assert _python("import tutor.wsgi") == "True True"
    assert _python("import tutor.wsgi", WARM_WEB_PROCESS="False") == "False False"


@pytest.mark.slow
def test_a_forked_worker_draws_every_variant_importing_nothing() -> None:
    """gunicorn forks its workers from the warm master: in one, every
    question's variants draw (no deadlock in torch's threads after the
    fork), and none imports a module of its own on a request: what a draw
    needs is in the master, shared. Nor is torch's compiler stack anywhere
    (36 MiB a process family): an nn.Embedding initialised on the meta
    device, an optimiser or FlopCounterMode would import it, and no
    generator uses them."""
    code = (
        "import os, sys, tutor.wsgi\n"
        "from exercises.bank import course_objects, course_read\n"
        "from exercises.variants import variant_for\n"
        "questions = course_objects(course_read())[0]\n"
        "specs = [q.spec for q in questions if q.spec.get('generator')]\n"
        "loaded = set(sys.modules)\n"
        "if os.fork() == 0:\n"
        "    for spec in specs:\n"
        "        for seed in range(3):\n"
        "            variant_for(spec, seed)\n"
        "    print('torch._dynamo' in sys.modules, flush=True)\n"
        "    print(len(specs), sorted(set(sys.modules) - loaded), flush=True)\n"
        "    os._exit(0)\n"
        "_, status = os.wait()\n"
        "print('worker exit', os.waitstatus_to_exitcode(status))"
    )
    lines = _python_lines(code)
    assert lines[-1] == "worker exit 0"
    count, imported = lines[-2].split(" ", 1)
    assert int(count) > 100 and imported == "[]"
    assert lines[-3] == "False"  # no compiler stack, in the master or here


@pytest.mark.slow
def test_what_the_wsgi_application_loaded_is_kept_out_of_the_collector() -> None:
    """gunicorn --preload forks its workers after this: frozen objects are
    never touched by a collection, so their pages stay shared."""
    frozen = _last_line("import gc, tutor.wsgi; print(gc.get_freeze_count())")
    assert int(frozen) > 100_000  # torch's objects


@pytest.mark.slow
def test_what_the_celery_worker_loaded_before_its_pool_is_kept_out_of_the_collector() -> (
    None
):
    """The worker's main process imports the references before it forks its
    pool (tutor/celery.py) and freezes them, as the WSGI master does: the pool
    processes keep sharing those pages (75 MiB less for two of them)."""
    code = (
        "import gc, django; django.setup()\n"
        "from tutor.celery import import_references\n"
        "before = gc.get_freeze_count()\n"
        "import_references()\n"
        "print(before, gc.get_freeze_count())"
    )
    before, after = (int(n) for n in _last_line(code).split())
    assert before == 0
    assert after > 100_000  # torch's objects


# A 19 MiB block (one Argon2 hash at the project's setting), allocated and
# freed twice with libc's malloc; the resident size after the second free,
# over the size before, in MiB.
RESIDENT_AFTER_FREE = """
import ctypes, ctypes.util, re
def resident():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmRSS:\\s+(\\d+)", status).group(1)) / 1024
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
{setup}
before = resident()
for _ in range(2):
    block = libc.malloc(19 * 1024 * 1024)
    ctypes.memset(block, 1, 19 * 1024 * 1024)
    libc.free(block)
print(round(resident() - before))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="glibc's malloc")
def test_large_freed_blocks_go_back_to_the_system() -> None:
    """Without it glibc keeps the second block in its heap after free: each
    web worker held about 19 MiB more after its first sign-ins."""
    kept = RESIDENT_AFTER_FREE.format(setup="")
    returned = RESIDENT_AFTER_FREE.format(
        setup="from tutor.warm import return_freed_memory\nassert return_freed_memory()"
    )
    assert int(_last_line(kept)) >= 18  # what glibc does by default
    assert int(_last_line(returned)) <= 2


@pytest.mark.django_db(transaction=True)
def test_the_master_serves_a_visitors_pages_writing_nothing(settings) -> None:
    """Home, sign-in, each topic and up to three questions of each kind, all
    served (200), as anonymous GETs: no row is written, and no database
    connection is left for a forked worker to inherit."""
    from django.contrib.sessions.models import Session
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from exercises.models import QuestionProgress, QuizAttempt
    from tests.factories.content import QuestionFactory, TopicFactory
    from tutor.warm import warm_pages

    settings.WARM_WEB_PROCESS = True
    topics = TopicFactory.create_batch(2)
    QuestionFactory.create_batch(4, topic=topics[0])  # numeric: three are served
    QuestionFactory(topic=topics[1], kind="single", spec={
        "options": [{"text": "yes", "correct": True}, {"text": "no"}],
    })  # fmt: skip
    QuestionFactory(topic=topics[1], is_published=False)
    assert warm_pages(get_wsgi_application()) == 2 + 2 + 3 + 1
    assert connection.connection is None
    assert not Session.objects.exists()
    assert not QuizAttempt.objects.exists() and not QuestionProgress.objects.exists()


def test_it_serves_nothing_when_the_setting_is_off(settings) -> None:
    from tutor.warm import warm_pages

    settings.WARM_WEB_PROCESS = False
    assert warm_pages(lambda environ, start: [b""]) == 0


@pytest.mark.slow
def test_the_wsgi_application_starts_on_a_database_not_yet_migrated(tmp_path) -> None:
    """A first start before `migrate`: no page to serve, and no error."""
    code = "import tutor.wsgi; from tutor.warm import warm_pages; print(warm_pages(tutor.wsgi.application))"
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    assert _last_line(code, DATABASE_URL=empty) == "0"
