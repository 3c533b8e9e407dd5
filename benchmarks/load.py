"""(k) The site under load: simulated students against gunicorn on PostgreSQL.

gunicorn runs as the Dockerfile runs it (gunicorn.conf.py, DEBUG off; plain HTTP
here, so the secure-cookie and HTTPS settings are turned off), with a real
Celery worker grading the code submitted. locust (benchmarks/locustfile.py)
spawns the students a few a second, so sign-ins are spread over the start,
and each practises: questions and answers, topic pages, code submissions
whose status it polls. Printed: p50/p95/p99 per endpoint, failures, requests
per second, and the site's memory (PSS of the gunicorn and Celery process
trees, the sandbox hosts included) at its largest during the run.

Runs after end_to_end, on its database (`tutor_bench`, the course loaded).
"""

from __future__ import annotations

import csv
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.end_to_end import _worker
from benchmarks.grading import SAMPLES
from benchmarks.processes import descendants
from benchmarks.summary import ROOT, Summary

PASSWORD = "bench-load-password"  # noqa: S105 - a benchmark database's users
WEB_WORKERS = os.cpu_count() or 1  # gunicorn.conf.py's default, as deployed
FAST = ("question page", "answer check")
# The locustfile's requests as gunicorn's access log shows them (its format,
# gunicorn.conf.py, ends with the worker's time over the request).
ENDPOINTS = {
    "question page": re.compile(r"GET /questions/[\w-]+/ "),
    "answer check": re.compile(r"POST /questions/[\w-]+/answer "),
    "topic page": re.compile(r"GET /topics/[\w-]+/ "),
    "exercise page": re.compile(r"GET /exercises/[\w-]+/ "),
    "code submission": re.compile(r"POST /exercises/[\w-]+/submit "),
    "status poll": re.compile(r"GET /submissions/\d+/status "),
}
_LOGGED = re.compile(r'"(\w+ \S+ )[^"]*" \d{3} .* (\d+)ms$')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _plan(users: int) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from exercises.models import Question, Topic

    names = [f"bench-load-{i}" for i in range(users)]
    hashed = make_password(PASSWORD)  # once: the users share it
    # New students every run: what an earlier run answered (the same day, a
    # variant answered is closed) would turn answers into cheap refusals.
    User.objects.filter(username__in=names).delete()
    User.objects.bulk_create([User(username=name, password=hashed) for name in names])
    questions = list(
        Question.objects.filter(is_published=True, kind=Question.Kind.NUMERIC)
        .order_by("slug")
        .values_list("slug", flat=True)[:30]
    )
    topics = list(Topic.objects.order_by("slug").values_list("slug", flat=True))
    return {
        "users": names,
        "password": PASSWORD,
        "questions": questions,
        "topics": topics,
        "exercise": "iou",
        "source": (SAMPLES / "iou" / "correct-numpy.py").read_text(),
    }


def _vacuum() -> None:
    """VACUUM ANALYZE the benchmark's database before the students start, as
    pgbench does before each run: the sections before this one and the plan
    delete and rewrite thousands of rows, and on a server without autovacuum
    (this machine's and CI's have it off) every run would leave the next more
    dead rows to step over (seen: 30,614 dead sessions beside 10,476 live,
    10,320 dead question rows beside 361)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _pss_kb(root: int) -> int:
    """PSS of a process and all its descendants, in KiB."""
    total = 0
    for pid in descendants(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


class _Memory(threading.Thread):
    """The largest PSS seen of each process tree, sampled every five seconds:
    reading smaps_rollup of a dozen processes that map torch costs the
    kernel tens of milliseconds, CPU taken from the site it measures (1.5 s
    of each 30 s when sampled every two seconds)."""

    def __init__(self, roots: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.roots, self.largest = roots, dict.fromkeys(roots, 0)
        self.total = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(5.0):
            sizes = {name: _pss_kb(pid) for name, pid in self.roots.items()}
            for name, size in sizes.items():
                self.largest[name] = max(self.largest[name], size)
            self.total = max(self.total, sum(sizes.values()))


def _wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in two minutes")


def _stats(prefix: Path, kind: str = "stats") -> list[dict[str, str]]:
    with (prefix.parent / f"{prefix.name}_{kind}.csv").open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def run(summary: Summary, users: int, seconds: int) -> None:
    from django.conf import settings

    if not settings.configured or settings.DATABASES["default"]["ENGINE"].endswith(
        "sqlite3"
    ):
        summary.skip("(k) load", "needs the end-to-end section's PostgreSQL set-up")
        return
    plan = _plan(users)
    _vacuum()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_dir = ROOT / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "bench-load-secret-key-not-for-anything-else-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_SSL_REDIRECT": "False",
        "VAR_DIR": str(log_dir),
        "STATIC_ROOT": str(log_dir / "static"),
    }
    # As the Dockerfile does: DEBUG off serves the hashed, compressed files.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=environment, check=True,
    )  # fmt: skip
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", str(WEB_WORKERS)],
        cwd=ROOT, env=environment,
        stdout=(log_dir / "load-web.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = _worker(environment)
    memory = _Memory({"web": web.pid, "worker": worker.pid})
    try:
        _wait_up(url, web)
        memory.start()
        with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
            prefix = Path(folder) / "load"
            locust = subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
                 "--headless", "--users", str(users), "--spawn-rate", "2",
                 "--run-time", f"{seconds}s", "--host", url, "--csv", str(prefix),
                 "--only-summary", "--loglevel", "WARNING"],
                cwd=ROOT, env={**environment, "BENCH_LOAD_PLAN": json.dumps(plan)},
                capture_output=True, text=True, timeout=seconds + 300, check=False,
            )  # fmt: skip
            if locust.returncode not in (0, 1):  # 1: some requests failed
                raise RuntimeError(
                    f"locust failed ({locust.returncode}):\n{locust.stderr}"
                )
            rows = _stats(prefix)
            failures = _stats(prefix, "failures")
    finally:
        memory.stopping.set()
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            process.wait(timeout=60)
    _report(summary, rows, users, seconds, memory)
    _server_side(summary, log_dir / "load-web.log")
    for failure in sorted(failures, key=lambda f: -int(f["Occurrences"]))[:5]:
        print(
            f"    failed: {failure['Occurrences']}× {failure['Method']} {failure['Name']}: {failure['Error'][:200]}"
        )


def _report(
    summary: Summary,
    rows: list[dict[str, str]],
    users: int,
    seconds: int,
    memory: _Memory,
) -> None:
    print(
        f"(k) {users} students for {seconds} s against gunicorn ({WEB_WORKERS} workers):"
    )
    print(
        f"    {'endpoint':<18} {'requests':>8} {'failed':>6} {'p50':>6} {'p95':>6} {'p99':>6}  ms"
    )
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(
            f"    {row['Name']:<18} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    assert total is not None, "locust wrote no aggregate row"
    for row in rows:
        key = row["Name"].replace(" ", "_")
        if row["Name"] in FAST:
            summary.add(
                f"load.{key}.p95_ms",
                f"(k) {row['Name']}, p95",
                float(row["95%"]),
                "ms",
                50,
            )
        elif row["Name"] != "Aggregated":
            summary.add(
                f"load.{key}.p95_ms", f"(k) {row['Name']}, p95", float(row["95%"]), "ms"
            )
    summary.add(
        "load.requests_per_s",
        "(k) requests per second",
        float(total["Requests/s"]),
        "/s",
    )
    summary.add(
        "load.failures", "(k) failed requests", float(total["Failure Count"]), "", 0
    )
    mib = {name: size / 1024 for name, size in memory.largest.items()}
    print(
        f"    memory (PSS, largest seen): web {mib['web']:.0f} MiB, "
        f"worker {mib['worker']:.0f} MiB, together {memory.total / 1024:.0f} MiB"
    )
    summary.add("load.web_pss_mib", "(k) web processes' PSS", mib["web"], "MiB")
    summary.add(
        "load.worker_pss_mib",
        "(k) Celery worker's PSS (sandbox hosts in it)",
        mib["worker"],
        "MiB",
    )
    summary.add(
        "load.site_pss_mib",
        "(k) the site's PSS under load",
        memory.total / 1024,
        "MiB",
        1024,
    )


def _percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _server_side(summary: Summary, log: Path) -> None:
    """Each endpoint's time inside a gunicorn worker, from the access log: the
    client's time above less this is time spent waiting for a free worker."""
    times: dict[str, list[int]] = {name: [] for name in ENDPOINTS}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        logged = _LOGGED.search(line)
        if logged is None:
            continue
        for name, pattern in ENDPOINTS.items():
            if pattern.match(logged.group(1)):
                times[name].append(int(logged.group(2)))
                break
    print("    in the worker (access log):  p50    p95    p99  ms")
    for name, values in times.items():
        if not values:
            continue
        print(
            f"    {name:<28} {_percentile(values, 0.5):>4} {_percentile(values, 0.95):>6} "
            f"{_percentile(values, 0.99):>6}"
        )
        if name in FAST:
            summary.add(
                f"load.{name.replace(' ', '_')}.worker_p95_ms",
                f"(k) {name}, p95 inside the worker",
                _percentile(values, 0.95),
                "ms",
            )
