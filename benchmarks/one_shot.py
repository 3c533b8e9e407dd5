"""One-shot grading from the command line against its floor.

`python -m engine grade EXERCISE FILE` starts Python, imports torch and
grades one file. Its floor is a bare `python -c 'import torch'`: the ratio
says what the one job costs beyond that start. Each run is a session of its
own, so that whatever it leaves running at exit (a sandbox host, say) is
found, counted and then stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time

from benchmarks.grading import EXERCISE, SAMPLES
from benchmarks.processes import processes
from benchmarks.summary import ROOT, Summary


def left_in_session(session: int) -> list[int]:
    """Processes still alive in a session whose leader has exited."""
    return [
        process.pid
        for process in processes().values()
        if process.session == session and process.state != "Z"
    ]


def _timed(command: list[str]) -> tuple[float, int]:
    """Seconds to run `command`, and how many processes it left behind."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    code = process.wait(timeout=300)
    elapsed = time.perf_counter() - started
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited with {code}")
    left = left_in_session(process.pid)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return elapsed, len(left)


def run(summary: Summary, runs: int) -> None:
    sample = SAMPLES / EXERCISE / "correct-torch.py"
    floor = [_timed([sys.executable, "-c", "import torch"])[0] for _ in range(runs)]
    graded = [
        _timed([sys.executable, "-m", "engine", "grade", EXERCISE, str(sample)])
        for _ in range(runs)
    ]
    floor_s = statistics.median(floor)
    grade_s = statistics.median(seconds for seconds, _ in graded)
    left = max(count for _, count in graded)
    print(
        f"(h) one-shot `python -m engine grade`: median {grade_s * 1000:.0f} ms; "
        f"bare `import torch` {floor_s * 1000:.0f} ms; ratio {grade_s / floor_s:.2f}x; "
        f"processes left at exit: {left} ({runs} runs each)"
    )
    summary.add(
        "one_shot.import_torch_ms", "(h) bare `import torch`", floor_s * 1000, "ms"
    )
    summary.add(
        "one_shot.grade_ms",
        "(h) one-shot `python -m engine grade`",
        grade_s * 1000,
        "ms",
    )
    summary.add(
        "one_shot.over_import_torch", "(h) one-shot grade over bare `import torch`",
        grade_s / floor_s, "×", 1.2,
    )  # fmt: skip
    summary.add("one_shot.left_running", "(h) processes left at exit", left, "", 0)
