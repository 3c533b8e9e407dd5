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


def run(runs: int, fresh_runs: int, seconds: float) -> dict[str, float]:
    cases = 20
    warm = WarmSandboxRunner()
    layers, missing = warm.isolation()
    warm_ms = latencies(warm, runs)
    warm.close()
    fresh_ms = latencies(SubprocessRunner(), fresh_runs)
    cores = os.cpu_count() or 1
    rate = throughput(cores, seconds)
    figures = {
        "warm_median": statistics.median(warm_ms),
        "warm_p95": p95(warm_ms),
        "fresh_median": statistics.median(fresh_ms),
        "fresh_p95": p95(fresh_ms),
        "throughput": rate,
        "cores": cores,
    }
    print(f"exercise: {EXERCISE}, {cases} cases, a torch submission (correct-torch.py)")
    print(
        f"isolation layers: {len(layers)} applied"
        + (f", missing: {', '.join(missing)}" if missing else ", none missing")
    )
    print(
        f"(a) warm sandbox        median {figures['warm_median']:7.1f} ms   p95 {figures['warm_p95']:7.1f} ms   ({runs} runs)"
    )
    print(
        f"(b) fresh interpreter   median {figures['fresh_median']:7.1f} ms   p95 {figures['fresh_p95']:7.1f} ms   ({fresh_runs} runs)"
    )
    print(
        f"    ratio fresh/warm (median): {figures['fresh_median'] / figures['warm_median']:.1f}x"
    )
    print(
        f"(c) warm throughput with {cores} processes: {rate:.1f} gradings/s over {seconds:g} s"
    )
    return figures
