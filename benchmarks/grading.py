"""Grading latency and throughput at the `engine.grade` level.

(a) the warm sandbox: a forked child of a torch-loaded host per submission;
(b) a fresh interpreter per submission with the same limits (what a sandbox
    without a warm host pays: starting Python and importing torch each time);
(c) throughput of the warm path with every core busy, one host per process.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.summary import Summary
from engine import grade
from engine.grader import Runner
from engine.sandbox.subprocess_runner import SubprocessRunner
from engine.sandbox.warm import WarmSandboxRunner

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "engine" / "samples"
EXERCISE = "lstm_cell"
SOURCE = (SAMPLES / EXERCISE / "correct-torch.py").read_text()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def latencies(runner: Runner, runs: int) -> list[float]:
    grade(EXERCISE, SOURCE, runner=runner)  # warm up the trusted side and the host
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        report = grade(EXERCISE, SOURCE, runner=runner)
        timings.append((time.perf_counter() - started) * 1000)
        assert report.verdict == "passed", report.message
    return timings


def _worker(seconds: float, counter: Any) -> None:
    runner = WarmSandboxRunner()
    grade(EXERCISE, SOURCE, runner=runner)
    deadline = time.monotonic() + seconds
    done = 0
    while time.monotonic() < deadline:
        grade(EXERCISE, SOURCE, runner=runner)
        done += 1
    with counter.get_lock():
        counter.value += done
    runner.close()


def throughput(processes: int, seconds: float) -> float:
    context = multiprocessing.get_context("spawn")
    counter = context.Value("i", 0)
    workers = [
        context.Process(target=_worker, args=(seconds, counter))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value / seconds


def run(summary: Summary, runs: int, fresh_runs: int, seconds: float) -> None:
    cases = 20
    warm = WarmSandboxRunner()
    layers, missing = warm.isolation()
    warm_ms = latencies(warm, runs)
    warm.close()
    fresh_ms = latencies(SubprocessRunner(), fresh_runs)
    cores = os.cpu_count() or 1
    rate = throughput(cores, seconds)
    print(f"exercise: {EXERCISE}, {cases} cases, a torch submission (correct-torch.py)")
    print(
        f"isolation layers: {len(layers)} applied"
        + (f", missing: {', '.join(missing)}" if missing else ", none missing")
    )
    summary.add("grading.layers_missing", "sandbox layers missing", len(missing), "", 0)
    summary.add(
        "grading.warm_median_ms", f"(a) warm sandbox, median of {runs}",
        statistics.median(warm_ms), "ms", 50,
    )  # fmt: skip
    summary.add("grading.warm_p95_ms", "(a) warm sandbox, p95", p95(warm_ms), "ms", 100)
    summary.add(
        "grading.fresh_median_ms", f"(b) fresh interpreter, median of {fresh_runs}",
        statistics.median(fresh_ms), "ms",
    )  # fmt: skip
    summary.add(
        "grading.fresh_over_warm", "(b)/(a) fresh over warm (median)",
        statistics.median(fresh_ms) / statistics.median(warm_ms), "×",
    )  # fmt: skip
    summary.add(
        "grading.throughput_per_s", f"(c) warm throughput, {cores} processes",
        rate, "gradings/s", 10 * cores, better="higher",
    )  # fmt: skip
