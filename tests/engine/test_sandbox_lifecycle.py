"""The warm host's lifecycle, and each isolation layer shown from outside."""

from __future__ import annotations

import os
import signal
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import grade
from engine.sandbox import warm
from engine.sandbox.types import Job, Limits
from engine.sandbox.warm import WarmSandboxRunner
from tests.workers import descriptor_targets, live_processes_of

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)
CANARY = (Path(__file__).parent / "samples" / "iou" / "correct-numpy.py").read_text()


@pytest.fixture(params=["alone", "forked by the zygote"])
def started(request: pytest.FixtureRequest) -> Iterator[str]:
    """Hosts started on their own, then forked from a zygote as a Celery
    worker's pool processes get them (engine/sandbox/zygote.py)."""
    if request.param == "alone":
        yield request.param
        return
    warm.start_zygote()
    try:
        yield request.param
    finally:
        warm.stop_zygote()


def test_a_dead_host_is_replaced(monkeypatch) -> None:
    monkeypatch.setenv("TUTOR_TEST_SECRET", "not-for-the-host")
    runner = WarmSandboxRunner()
    try:
        assert grade("iou", CANARY, runner=runner).verdict == "passed"
        [(pid, _)] = runner.hosts()
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
        assert grade("iou", CANARY, runner=runner).verdict == "passed"
        [(new_pid, _)] = runner.hosts()
        assert new_pid != pid
    finally:
        runner.close()


def test_a_host_is_recycled_after_its_quota_of_jobs() -> None:
    runner = WarmSandboxRunner(max_jobs=2)
    # One job per call (a grading may run more than one).
    job = Job(CANARY, "iou", [{"box_a": [0, 0, 2, 2], "box_b": [1, 1, 3, 3]}])
    try:
        pids = []
        for _ in range(4):
            assert runner.run(job, Limits()).status == "ok"
            pids.append(runner.hosts())
        assert pids[1] == [] and pids[3] == []  # retired after its second job
        assert pids[0] and pids[2] and pids[0] != pids[2]
    finally:
        runner.close()


def test_a_host_that_grew_is_recycled() -> None:
    runner = WarmSandboxRunner(max_rss_mb=1)  # every host is "too big" after a job
    try:
        grade("iou", CANARY, runner=runner)
        assert runner.hosts() == []
    finally:
        runner.close()


def test_the_host_has_an_empty_environment_and_one_descriptor(
    monkeypatch, started: str
) -> None:
    monkeypatch.setenv("SECRET_KEY", "the-workers-secret")
    runner = WarmSandboxRunner()
    try:
        grade("iou", CANARY, runner=runner)
        [(pid, _)] = runner.hosts()
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        names = {item.split(b"=")[0].decode() for item in environ if item}
        assert names <= {
            "PATH",
            "LANG",
            "OMP_NUM_THREADS",
            "MKL_NUM_THREADS",
            "TUTOR_SANDBOX_DIR",
        }
        time.sleep(0.2)  # let the host finish forking its next spare
        targets = descriptor_targets(pid)
        # Its control socket, and the pipes to the spare child it forked; no
        # file, socket or database connection of the worker's.
        assert [t for t in targets if t.startswith("socket:")] and len(
            [t for t in targets if t.startswith("socket:")]
        ) == 1
        allowed = (
            "socket:",
            "pipe:",
            "/dev/null",
            "/run/tutor-sandbox",
            "/tmp/#",
        )  # /tmp/#: an unlinked temporary file of a library
        assert all(t.startswith(allowed) for t in targets), targets
        assert "the-workers-secret" not in Path(f"/proc/{pid}/cmdline").read_text()
    finally:
        runner.close()


def test_concurrent_jobs_on_two_hosts_cannot_talk(tmp_path: Path, started: str) -> None:
    import threading

    first, second = WarmSandboxRunner(), WarmSandboxRunner()
    listener = textwrap.dedent(
        """
        import socket, time
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind("\\0tutor-chat")
        s.listen(1)
        def iou(a, b):
            time.sleep(0.1)
            return 0.0
        """
    )
    caller = textwrap.dedent(
        """
        import socket, time
        def iou(a, b):
            time.sleep(0.05)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect("\\0tutor-chat")
                print("TALKED")
            except OSError:
                print("alone")
            return 0.0
        """
    )
    results = {}
    try:
        thread = threading.Thread(
            target=lambda: results.setdefault("a", grade("iou", listener, runner=first))
        )
        thread.start()
        results["b"] = grade("iou", caller, runner=second)
        thread.join()
        printed = "".join(case.stdout for case in results["b"].cases)
        assert "TALKED" not in printed and "alone" in printed
        assert first.hosts()[0][1] != second.hosts()[0][1]  # different sandbox uids
    finally:
        first.close()
        second.close()


LAYER_PROBE = """
import ctypes, os, resource
libc = ctypes.CDLL(None, use_errno=True)
def iou(a, b):
    print("sid", os.getsid(0) == os.getpid())
    print("no_new_privs", libc.prctl(39, 0, 0, 0, 0))
    print("core", resource.getrlimit(resource.RLIMIT_CORE))
    print("nproc", resource.getrlimit(resource.RLIMIT_NPROC)[0])
    files = []
    try:
        for _ in range(1000):
            files.append(open("/dev/null"))
    except OSError as exc:
        print("nofile", exc.errno, len(files))
    return 0.0
"""


def test_every_layer_is_in_place_inside_the_child() -> None:
    runner = WarmSandboxRunner()
    try:
        report = grade(
            "iou",
            LAYER_PROBE,
            runner=runner,
            limits=Limits(processes=16, open_files=64),
        )
        printed = report.cases[0].stdout
        assert "sid True" in printed  # own session and process group
        assert "core (0, 0)" in printed  # no core dumps
        assert "nproc 16" in printed  # processes capped
        assert "nofile 24 " in printed  # EMFILE: open files capped
        if os.geteuid() == 0:
            assert "no_new_privs 1" in printed
    finally:
        runner.close()


def test_the_memory_cgroup_counts_every_process_of_a_job() -> None:
    """Each process stays under its address-space limit, but together they
    exceed the job's cgroup: only the cgroup can stop this."""
    runner = WarmSandboxRunner()
    layers, missing = runner.isolation()
    if "cgroup (memory, pids)" not in layers:
        runner.close()
        pytest.skip(f"no writable cgroup hierarchy here: {missing}")
    body = textwrap.dedent(
        """
        import os, time
        _done = []
        def iou(a, b):
            if not _done:
                _done.append(1)
                for _ in range(3):
                    if os.fork() == 0:
                        block = bytearray(100 * 1024 * 1024)
                        block[::4096] = b"x" * len(block[::4096])
                        time.sleep(30)
                block = bytearray(100 * 1024 * 1024)
                block[::4096] = b"x" * len(block[::4096])
                time.sleep(30)
            return 0.0
        """
    )
    try:
        report = grade(
            "iou", body, runner=runner, limits=Limits(memory_mb=256, wall_seconds=10)
        )
        assert report.verdict == "memory_limit", report.message
    finally:
        runner.close()


class _Interrupted(BaseException):
    """Stands in for the task's soft time limit, raised inside the worker."""


def test_an_interrupted_job_is_killed_and_its_host_retired() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs the sandbox uid to find the job's processes")
    runner = WarmSandboxRunner()
    body = textwrap.dedent(
        """
        import os, time
        def iou(a, b):
            if os.fork() == 0:
                os.setsid()  # an orphan that leaves the session
                time.sleep(60)
            time.sleep(0.3 if a[0] == 0 else 60)
            return 0.0
        """
    )
    cases = [{"box_a": [x, 0, 1, 1], "box_b": [0, 0, 1, 1]} for x in (0, 0.5)]

    def interrupt(done: int) -> None:
        raise _Interrupted

    try:
        runner.warm()
        [(pid, uid)] = runner.hosts()
        assert uid is not None
        with pytest.raises(_Interrupted):
            runner.run(Job(body, "iou", cases), Limits(), interrupt)
        assert runner.hosts() == []  # never reused
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # stopped and reaped
        deadline = time.monotonic() + 10
        while live_processes_of(uid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert live_processes_of(uid) == [], "a process of the job survived"
        assert grade("iou", CANARY, runner=runner).verdict == "passed"
    finally:
        runner.close()


LAZY_PROBE = """
import sys
LOADED = sorted(m for m in ("torch._dynamo", "sympy") if m in sys.modules)

def iou(box_a, box_b):
    print("loaded before the submission:", LOADED)
    return 0.0
"""


@pytest.mark.parametrize("fresh", [False, True], ids=["warm host", "fresh interpreter"])
def test_what_torch_imports_on_first_use_is_loaded_before_a_job(fresh: bool) -> None:
    """A first optimiser or torch.func call imports torch._dynamo (most of a
    second of CPU): the sandbox loads it before the job's budget starts, so a
    correct solution using torch.optim fits a one-second limit."""
    from engine.sandbox.subprocess_runner import SubprocessRunner

    runner = SubprocessRunner() if fresh else WarmSandboxRunner()
    try:
        report = grade("iou", LAZY_PROBE, runner=runner)
        printed = report.cases[0].stdout
        assert "loaded before the submission: ['sympy', 'torch._dynamo']" in printed
    finally:
        getattr(runner, "close", lambda: None)()
