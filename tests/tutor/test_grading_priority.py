"""The grading worker gives way to the site on a machine they share
(tutor/celery.py, GRADING_NICENESS). Each case runs in a process of its own:
a niceness once lowered cannot be raised again without privilege."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tutor.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_worker_lowers_its_priority_and_never_raises_it() -> None:
    done = _python(
        "import os\n"
        "from tutor.celery import yield_to_the_site\n"
        "start = os.getpriority(os.PRIO_PROCESS, 0)\n"
        "print(start, yield_to_the_site(start + 7), yield_to_the_site(start + 2),"
        " os.getpriority(os.PRIO_PROCESS, 0))\n"
    )
    assert done.returncode == 0, done.stderr
    start, lowered, asked_less, now = map(int, done.stdout.split())
    assert (lowered, asked_less, now) == (start + 7, start + 7, start + 7)


def test_the_worker_start_applies_the_setting() -> None:
    done = _python(
        "import os, django\n"
        "django.setup()\n"
        "from tutor.celery import lower_priority\n"
        "lower_priority()\n"
        "print(os.getpriority(os.PRIO_PROCESS, 0))\n",
        GRADING_NICENESS="13",
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == max(13, os.getpriority(os.PRIO_PROCESS, 0))


def test_a_niceness_out_of_range_is_refused_with_its_name() -> None:
    for value, said in (("20", "19 or less"), ("-1", "at least 0"), ("low", "integer")):
        done = _python("import django\ndjango.setup()\n", GRADING_NICENESS=value)
        assert done.returncode != 0
        assert "ImproperlyConfigured" in done.stderr
        assert f"GRADING_NICENESS={value}" in done.stderr.replace("'", "")
        assert said in done.stderr
