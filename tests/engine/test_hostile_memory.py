"""Nothing of one job reaches the next: a hostile submission searches its
whole process for what an earlier job on the same host held.

Job A (a submission, an instructor's case generator and reference, or a
submission whose output is the secret) holds a marker "TUTORMARK" + a random
hex tail. Job B then runs on the same host and looks for it in every frame
above its own, in every object the garbage collector knows, and in every byte
of readable memory. B never holds the whole marker itself: its source has the
two halves as separate literals, and it only compares the bytes that follow
each occurrence of the first half with the second. As a positive control, B
also builds a marker of its own at run time, which every search must find.
Job B's program, and how it finds the memory to search, is
tests/engine/memory_search.py.
"""

from __future__ import annotations

import json
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import grade
from engine.authoring import expected_outputs, generate_cases
from engine.sandbox.types import Limits
from engine.sandbox.warm import WarmSandboxRunner
from tests.engine.memory_search import SEARCH

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)

HEAD = "TUTORMARK"
# The search reads every mapping of a torch-sized process: give it room.
SEARCH_LIMITS = Limits(cpu_seconds=120, wall_seconds=240, memory_mb=1024)
AUTHORING_LIMITS = Limits(cpu_seconds=10, wall_seconds=30, memory_mb=512)


@pytest.fixture(scope="module")
def runner() -> Iterator[WarmSandboxRunner]:
    runner = WarmSandboxRunner()
    runner.warm()
    yield runner
    runner.close()


def tail() -> str:
    return uuid.uuid4().hex


def search_after(runner: WarmSandboxRunner, tails: list[str]) -> dict:
    """Grade job B on the runner's one host; return what its search found."""
    [host] = runner.hosts()
    source = SEARCH.format(head=HEAD, tails=tails, control_tail=tail())
    assert all(HEAD + t not in source for t in tails)
    report = grade("iou", source, runner=runner, limits=SEARCH_LIMITS)
    assert runner.hosts() == [host], "job B ran on another host"
    assert report.verdict == "passed", report.message
    printed = "".join(case.stdout for case in report.cases)
    line = next(li for li in printed.splitlines() if li.startswith("SEARCH "))
    found = json.loads(line.removeprefix("SEARCH "))
    print(f"job B searched: {found}")
    # The positive control: each search finds what the child itself holds.
    assert all(count > 0 for count in found["control"]), found
    assert found["read_mb"] > 50, found  # it read the torch-sized process
    return found


def assert_nothing_found(found: dict, names: list[str]) -> None:
    leaks = {
        name: dict(zip(("frames", "objects", "memory"), counts, strict=True))
        for name, counts in zip(names, found["found"], strict=True)
        if any(counts)
    }
    assert not leaks, f"job B found an earlier job's data: {leaks}"


def test_a_submission_is_out_of_reach_of_the_next_job(runner) -> None:
    secret = tail()
    source_a = textwrap.dedent(
        f"""
        import numpy as np
        SECRET = {HEAD + secret!r}  # the marker, whole, in the source

        def iou(box_a, box_b):
            a = np.asarray(box_a, dtype=float)
            b = np.asarray(box_b, dtype=float)
            width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
            height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
            inter = width * height
            union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1])
            union -= inter
            return float(inter / union) if union > 0 else 0.0
        """
    )
    assert grade("iou", source_a, runner=runner).verdict == "passed"
    assert_nothing_found(search_after(runner, [secret]), ["source"])


def test_a_validation_of_an_own_exercise_is_out_of_reach(runner) -> None:
    generator_tail, input_tail, reference_tail = tail(), tail(), tail()
    generator = textwrap.dedent(
        f"""
        import numpy as np
        NOTE = {HEAD + generator_tail!r}
        HALVES = ({HEAD!r}, {input_tail!r})

        def cases(seed):
            rng = np.random.default_rng(seed)
            found = []
            for _ in range(3):
                x, y = rng.uniform(0, 5, size=2)
                found.append({{"inputs": {{
                    "box_a": [x, y, x + 2.0, y + 1.0],
                    "box_b": [x + 1.0, y, x + 3.0, y + 2.0],
                    "note": HALVES[0] + HALVES[1],  # a hidden input, built here
                }}, "hidden": True}})
            return found
        """
    )
    reference = textwrap.dedent(
        f"""
        ANSWER_KEY = {HEAD + reference_tail!r}

        def iou(box_a, box_b, note):
            width = max(0.0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))
            height = max(0.0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))
            inter = width * height
            area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])
            area_b = (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])
            return inter / (area_a + area_b - inter)
        """
    )
    cases = generate_cases(generator, runner=runner, limits=AUTHORING_LIMITS)
    assert cases and all(HEAD + input_tail in str(case.inputs) for case in cases)
    outputs = expected_outputs(
        reference, "iou", cases, runner=runner, limits=AUTHORING_LIMITS
    )
    assert len(outputs) == len(cases)
    found = search_after(runner, [generator_tail, input_tail, reference_tail])
    assert_nothing_found(found, ["generator", "case input", "reference"])


def test_what_a_job_printed_and_returned_is_out_of_reach(runner) -> None:
    secret = tail()
    source_a = textwrap.dedent(
        f"""
        import sys
        HALVES = ({HEAD!r}, {secret!r})

        def iou(box_a, box_b):
            secret = HALVES[0] + HALVES[1]  # whole only at run time
            print(secret)
            print(secret, file=sys.stderr)
            return {{"leak": [secret] * 4}}
        """
    )
    report = grade("iou", source_a, runner=runner)
    assert HEAD + secret in report.cases[0].stdout  # it did go through
    assert_nothing_found(search_after(runner, [secret]), ["output"])
