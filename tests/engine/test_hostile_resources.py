"""Hostile submissions against the warm sandbox's resource limits: CPU and
wall-clock time, processes and threads, memory, output and files.

Each attack is graded through `tests.engine.hostile.hostile`, which also checks
that the host and the next submission survived it and that no process of the
job outlived it.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator

import pytest

from engine import grade
from engine.report import Report
from engine.sandbox.types import Limits
from engine.sandbox.warm import WarmSandboxRunner
from tests.engine.hostile import (
    CANARY,
    LINUX_ONLY,
    ONCE,
    QUICK,
    SPIN,
    hostile,
    seen,
    warm_runner,
)

pytestmark = LINUX_ONLY


@pytest.fixture(scope="module")
def runner() -> Iterator[WarmSandboxRunner]:
    yield from warm_runner()


# ----------------------------------------------------------------- CPU and time


def test_an_infinite_loop_is_stopped(runner) -> None:
    report = hostile(runner, "def iou(a, b):\n    while True:\n        pass\n", SPIN)
    assert report.verdict == "time_limit" and "CPU time" in report.message


def test_ignoring_sigxcpu_does_not_help(runner) -> None:
    body = """
    import signal
    signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    def iou(a, b):
        while True:
            pass
    """
    assert hostile(runner, body, SPIN).verdict == "time_limit"


def test_sleeping_forever_hits_the_wall_clock(runner) -> None:
    report = hostile(
        runner, "import time\ndef iou(a, b):\n    time.sleep(3600)\n", QUICK
    )
    assert report.verdict == "time_limit" and "after 3 s" in report.message


def test_stopping_itself_hits_the_wall_clock(runner) -> None:
    body = (
        "import os, signal\ndef iou(a, b):\n    os.kill(os.getpid(), signal.SIGSTOP)\n"
    )
    assert hostile(runner, body, QUICK).verdict == "time_limit"


def test_one_job_sleeping_does_not_delay_another(runner) -> None:
    ASLEEP = Limits(cpu_seconds=1, wall_seconds=15, memory_mb=512, processes=16)
    other = WarmSandboxRunner()
    try:
        results: dict[str, Report] = {}
        slow = threading.Thread(
            target=lambda: results.__setitem__(
                "slow",
                grade(
                    "iou",
                    "import time\ndef iou(a, b):\n    time.sleep(60)\n",
                    runner=other,
                    limits=ASLEEP,
                ),
            )
        )
        other.warm()  # its host ready, so the slow job starts at once
        slow.start()
        time.sleep(0.5)  # the slow job is asleep in its child by now
        fast = grade("iou", CANARY, runner=runner)
        # The fast job finished while the slow one still sleeps (until its
        # 15 s wall clock, far more than a busy machine needs for the fast
        # one): one does not wait for the other.
        assert slow.is_alive()
        slow.join()
        assert fast.verdict == "passed"
        assert results["slow"].verdict == "time_limit"
    finally:
        other.close()


# ------------------------------------------------------------------- processes


def test_a_fork_bomb_is_contained(runner) -> None:
    body = (
        ONCE
        + """
    import os
    def bomb():
        children = 0
        while True:
            try:
                if os.fork() == 0:
                    import time; time.sleep(60)
                children += 1
            except OSError:
                return children
    def iou(a, b):
        once(bomb)
        return 0.0
    """
    )
    report = hostile(runner, body)
    assert report.verdict == "failed"


def test_orphans_that_leave_the_session_are_killed(runner) -> None:
    body = (
        ONCE
        + """
    import os, time
    def orphan():
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(3600)
            os._exit(0)
    def iou(a, b):
        once(orphan)
        return 0.0
    """
    )
    assert hostile(runner, body).verdict == "failed"  # hostile() checks no survivor


def test_a_thread_bomb_is_capped(runner) -> None:
    body = (
        ONCE
        + """
    import threading, time
    def spawn():
        started = 0
        try:
            for _ in range(10000):
                threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
                started += 1
        except RuntimeError:
            pass
        print("threads", started)
    def iou(a, b):
        once(spawn)
        return 0.0
    """
    )
    report = hostile(runner, body)
    started = int(seen(report).split("threads ")[1].split()[0])
    assert started < QUICK.processes


def test_multiprocessing_pool_fails_cleanly(runner) -> None:
    body = """
    import multiprocessing
    def iou(a, b):
        with multiprocessing.Pool(2) as pool:
            return float(sum(pool.map(abs, [0])))
    """
    assert hostile(runner, body).verdict in {"failed", "runtime_error", "time_limit"}


def test_more_torch_threads_are_not_a_way_out(runner) -> None:
    body = """
    import torch
    def iou(a, b):
        torch.set_num_threads(64)
        x = torch.ones(256, 256)
        return float((x @ x).sum() * 0)
    """
    # Threads count against the process limit: more may fail to start, but
    # nothing outside the job notices.
    assert hostile(runner, body).verdict in {"failed", "runtime_error"}


def test_killing_every_process_it_may_signal_reaches_nothing_outside(runner) -> None:
    body = "import os, signal\ndef iou(a, b):\n    os.kill(-1, signal.SIGKILL)\n"
    # kill(-1) spares the caller; the only other processes of its uid are its
    # own. hostile() checks that the host survived.
    assert hostile(runner, body).verdict == "failed"


def test_killing_the_parent_is_refused(runner) -> None:
    body = (
        "import os, signal\ndef iou(a, b):\n    os.kill(os.getppid(), signal.SIGKILL)\n"
    )
    report = hostile(runner, body)
    assert "PermissionError" in seen(report)


def test_ptracing_the_parent_is_refused(runner) -> None:
    body = """
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)
    def iou(a, b):
        result = libc.ptrace(16, os.getppid(), 0, 0)  # PTRACE_ATTACH
        print("ptrace", result, ctypes.get_errno())
        return 0.0
    """
    report = hostile(runner, body)
    assert "ptrace -1 1" in seen(report)  # EPERM


# ---------------------------------------------------------------------- memory


def test_an_8_gib_bytearray_is_a_memory_limit(runner) -> None:
    report = hostile(runner, "def iou(a, b):\n    return len(bytearray(8 * 1024**3))\n")
    assert report.verdict == "memory_limit"


def test_a_huge_torch_tensor_is_a_memory_limit(runner) -> None:
    body = "import torch\ndef iou(a, b):\n    return float(torch.ones(40000, 40000).sum())\n"
    assert hostile(runner, body).verdict == "memory_limit"


def test_slow_memory_growth_is_stopped(runner) -> None:
    body = (
        ONCE
        + """
    def grow():
        hoard = []
        while True:
            hoard.append(bytearray(16 * 1024 * 1024))
            hoard[-1][::4096] = b"x" * len(hoard[-1][::4096])
    def iou(a, b):
        once(grow)
        return 0.0
    """
    )
    # Time to spare, so that on a busy machine the memory limit is what
    # stops it, as it must be: growth in steps is no way around the cap.
    roomy = Limits(cpu_seconds=5, wall_seconds=10, memory_mb=256, processes=16)
    assert hostile(runner, body, roomy).verdict == "memory_limit"


def test_deep_recursion_is_an_error_in_that_case(runner) -> None:
    report = hostile(runner, "def iou(a, b):\n    return iou(a, b)\n")
    assert report.verdict == "failed" and "RecursionError" in report.traceback


def test_a_giant_integer_to_string_is_refused(runner) -> None:
    report = hostile(
        runner, "def iou(a, b):\n    return float(len(str(10 ** 100000)))\n"
    )
    assert report.verdict == "failed" and "ValueError" in report.traceback


# --------------------------------------------------------------- output limits


def test_a_100_mb_print_is_truncated(runner) -> None:
    body = CANARY + "\nprint('x' * 100_000_000)\n"
    report = hostile(runner, body)
    assert report.verdict == "passed"
    assert len(report.stdout) < 100_000 and "output truncated" in report.stdout


def test_printing_through_the_raw_descriptor_is_capped(runner) -> None:
    body = (
        CANARY + "\nimport os\nfor _ in range(2000):\n    os.write(1, b'y' * 65536)\n"
    )
    report = hostile(runner, body)
    assert len(report.stdout) < 100_000


def test_a_huge_result_is_an_output_limit(runner) -> None:
    body = (
        ONCE
        + """
    import numpy as np
    def iou(a, b):
        value = once(lambda: np.ones(10_000_000))
        return 0.0 if value is None else value
    """
    )
    limits = Limits(cpu_seconds=5, wall_seconds=10, result_bytes=8 * 1024 * 1024)
    assert hostile(runner, body, limits).verdict == "output_limit"


def test_a_100_mib_file_is_refused(runner) -> None:
    body = (
        ONCE
        + """
    def write():
        with open("big", "wb") as handle:
            handle.write(b"0" * 100 * 1024 * 1024)
    def iou(a, b):
        once(write)
        return 0.0
    """
    )
    report = hostile(runner, body)
    # Python ignores SIGXFSZ, so the write fails with EFBIG instead of a kill.
    assert report.verdict == "failed" and "File too large" in report.message


def teardown_module() -> None:
    gc.collect()
