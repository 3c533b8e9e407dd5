"""The trusted side's cost as inputs grow: the reference of NMS and of TF-IDF
at n = 10, 100 and 1000 beside a plain NumPy solution (the course's sample),
and NMS's property check on a wrong answer that keeps every box.

All of it runs in the trusted process, outside the sandbox's limits: what it
costs there is what a submission can make the worker pay.
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from collections.abc import Callable
from functools import partial
from types import ModuleType
from typing import Any

import numpy as np

from benchmarks.grading import SAMPLES
from benchmarks.summary import Summary

SIZES = (10, 100, 1000)


def _sample(spec: str, name: str) -> ModuleType:
    path = SAMPLES / spec / name
    loaded = importlib.util.spec_from_file_location(f"bench_{spec}", path)
    assert loaded and loaded.loader
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


def _ms(call: Callable[[], Any], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _boxes(rng: np.random.Generator, n: int) -> tuple[list[list[float]], list[float]]:
    """n boxes in clusters (NMS has work to do), distinct scores ≥ 0.6."""
    centres = rng.uniform(0, 1000, size=(max(n // 5, 1), 2))
    corners = []
    for i in range(n):
        cx, cy = centres[i % len(centres)] + rng.normal(0, 8, size=2)
        w, h = rng.uniform(20, 60, size=2)
        corners.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    scores = (0.6 + 0.4 * rng.permutation(n) / n).tolist()
    return corners, scores


def _documents(rng: np.random.Generator, n: int) -> tuple[list[list[str]], list[str]]:
    vocabulary = [f"w{i}" for i in range(200)]
    documents = [
        [vocabulary[j] for j in rng.integers(0, len(vocabulary), size=50)]
        for _ in range(n)
    ]
    documents[0] = documents[0] + vocabulary  # every word is in some document
    return documents, vocabulary


def run(summary: Summary, sizes: tuple[int, ...] = SIZES) -> None:
    from engine.reference import detection, text
    from engine.specs.detection_nms import _nms_kept_are_distinct

    rng = np.random.default_rng(0)
    nms_numpy = _sample("nms", "correct-numpy.py").nms
    tf_idf_numpy = _sample("tf_idf", "correct-numpy.py").tf_idf
    for n in sizes:
        # The goals are for the largest n; at small n both take microseconds
        # and their ratio is noise.
        goal = 2 if n == max(sizes) else None
        repeats = 5 if n < 1000 else 1
        boxes, scores = _boxes(rng, n)
        reference = _ms(partial(detection.nms, boxes, scores), repeats)
        plain = _ms(partial(nms_numpy, np.array(boxes), np.array(scores)), repeats)
        # A wrong answer that keeps every box, far apart (nothing stops the
        # check early): the property check looks at every kept pair.
        apart = [[10.0 * i, 0.0, 10.0 * i + 5, 5.0] for i in range(n)]
        check = _ms(
            partial(
                _nms_kept_are_distinct,
                {"boxes": apart, "scores": [0.9] * n},
                list(range(n)),
            ),
            repeats,
        )
        documents, vocabulary = _documents(rng, n)
        tf_reference = _ms(partial(text.tf_idf, documents, vocabulary), repeats)
        tf_plain = _ms(partial(tf_idf_numpy, documents, vocabulary), repeats)
        print(
            f"(i) n = {n}: NMS reference {reference:.1f} ms, NumPy {plain:.1f} ms, "
            f"property check of a wrong answer {check:.1f} ms; TF-IDF reference "
            f"{tf_reference:.1f} ms, NumPy {tf_plain:.1f} ms"
        )
        summary.add(
            f"scaling.nms_reference_ms.n{n}",
            f"(i) NMS reference, n = {n}",
            reference,
            "ms",
        )
        summary.add(
            f"scaling.nms_numpy_ms.n{n}", f"(i) NMS in NumPy, n = {n}", plain, "ms"
        )
        summary.add(
            f"scaling.nms_reference_over_numpy.n{n}", f"(i) NMS reference over NumPy, n = {n}",
            reference / plain, "×", goal,
        )  # fmt: skip
        summary.add(
            f"scaling.nms_wrong_check_over_reference.n{n}",
            f"(i) NMS check of a wrong answer over the reference, n = {n}",
            check / reference, "×", goal,
        )  # fmt: skip
        summary.add(
            f"scaling.tf_idf_reference_over_numpy.n{n}",
            f"(i) TF-IDF reference over NumPy, n = {n}",
            tf_reference / tf_plain, "×", goal,
        )  # fmt: skip
