"""An instructor's own exercise at the engine level: cases and the reference's
outputs computed in the warm sandbox, stored as JSON, and used to grade
students exactly like an engine spec; hostile instructor code is contained."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine import grade
from engine.authoring import AuthoringError, expected_outputs, generate_cases
from engine.sandbox.types import Limits
from engine.sandbox.warm import WarmSandboxRunner
from engine.stored import (
    StoredDataError,
    from_stored,
    stored_spec,
    structured,
    to_stored,
)

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)

# A 1 s CPU limit for the references that spin; the wall clock far above it, so
# that a busy machine never turns an ordinary run into a time limit.
QUICK = Limits(cpu_seconds=1, wall_seconds=30, memory_mb=512)
GENERATOR = """
import numpy as np

def cases(seed):
    rng = np.random.default_rng(seed)
    found = [
        {"inputs": {"x": np.zeros(3), "axis": 0}, "label": "edge: all equal"},
        {"inputs": {"x": np.array([[1000.0, 0.0]]), "axis": 1}, "label": "edge: overflow"},
    ]
    found.append(
        {"inputs": {"x": rng.normal(size=(2, 3)), "axis": 1}, "label": "random",
         "hidden": seed == 2}
    )
    return found
"""
REFERENCE = """
import numpy as np

def softmax(x, axis):
    shifted = np.exp(x - x.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)
"""
# Wrong on purpose: no max shift (overflows on the edge case) and a global sum.
WRONG = """
import numpy as np

def softmax(x, axis):
    return np.exp(x) / np.exp(x).sum()
"""
# Plain lists, no NumPy: the inputs arrive as arrays all the same.
CORRECT_TORCH = """
import torch

def softmax(x, axis):
    return torch.softmax(torch.as_tensor(x), dim=axis)
"""


@pytest.fixture(scope="module")
def runner() -> Iterator[WarmSandboxRunner]:
    runner = WarmSandboxRunner()
    runner.isolation()
    yield runner
    runner.close()


def stored_cases(runner: WarmSandboxRunner, generator: str, reference: str) -> list:
    """What validation stores, through JSON as the database keeps it."""
    cases = generate_cases(generator, runner=runner, limits=QUICK)
    outputs = expected_outputs(reference, "softmax", cases, runner=runner, limits=QUICK)
    stored = [
        {
            "name": f"case {i}",
            "label": case.label,
            "hidden": case.hidden,
            "inputs": [[name, value] for name, value in case.inputs],
            "expected": output,
        }
        for i, (case, output) in enumerate(zip(cases, outputs, strict=True), start=1)
    ]
    return json.loads(json.dumps(stored, allow_nan=False))


@pytest.fixture(scope="module")
def softmax_cases(runner: WarmSandboxRunner) -> list:
    return stored_cases(runner, GENERATOR, REFERENCE)


def softmax_spec(cases: list, **tolerance: float) -> Any:
    return stored_spec(
        exercise_id="own-softmax",
        title="Softmax",
        entry_point="softmax",
        cases=cases,
        tolerance=tolerance or None,
    )


# ------------------------------------------------------------ stored data


def test_values_round_trip_through_json_with_dtype_and_shape() -> None:
    value = {
        "a": np.arange(6, dtype=np.float32).reshape(2, 3) / 7,
        "b": (1, 2.5, "x", None, True),
        "c": [np.array([np.nan, np.inf, -1.0]), np.array([True, False])],
        "d": np.array([[1, 2]], dtype=np.int16),
        "e": float("-inf"),
    }
    data = json.loads(json.dumps(to_stored(value), allow_nan=False))
    back = from_stored(data)
    assert back["a"].dtype == np.float32 and back["a"].shape == (2, 3)
    assert np.array_equal(back["a"], value["a"])
    assert back["b"] == (1, 2.5, "x", None, True) and isinstance(back["b"], tuple)
    assert np.isnan(back["c"][0][0]) and back["c"][0][1] == np.inf
    assert back["c"][1].dtype == np.bool_ and back["d"].dtype == np.int16
    assert back["e"] == float("-inf")


@pytest.mark.parametrize(
    "value", [{1, 2}, np.array(["a"], dtype=object), 10**30, {"__nd__": 1}, b"x"]
)
def test_what_is_not_plain_data_is_refused(value: Any) -> None:
    with pytest.raises(StoredDataError):
        to_stored(value)


def test_the_structured_comparator_names_the_wrong_part() -> None:
    compare = structured(atol=1e-6, rtol=1e-6)
    expected = (np.array([1.0, 2.0]), "relu", {"k": 3})
    assert compare(expected, (np.array([1.0, 2.0]), "relu", {"k": 3.0})).passed
    outcome = compare(expected, [np.array([1.0, 2.5]), "relu", {"k": 3}])
    assert not outcome.passed and outcome.score == pytest.approx(2 / 3)
    assert outcome.message.startswith("output 1: 1 of 2 values are wrong")
    assert "wrong shape" in compare(np.zeros((2, 2)), np.zeros(4)).message
    assert "expected numbers, got" in compare(np.zeros(2), "zeros").message
    assert "expected a tuple of 3 values" in compare(expected, 1.0).message


# ------------------------------------------------------------ grading


def test_the_cases_are_deduplicated_across_seeds_and_keep_their_labels(
    softmax_cases: list,
) -> None:
    # Two fixed edge cases (once) + one random case per seed 0, 1, 2.
    assert [case["label"] for case in softmax_cases] == [
        "edge: all equal",
        "edge: overflow",
        "random",
        "random",
        "random",
    ]
    assert [case["hidden"] for case in softmax_cases] == [False] * 4 + [True]
    assert softmax_cases[0]["inputs"][0][0] == "x"  # order kept: passed by position


def test_a_correct_solution_passes_the_stored_cases(
    runner: WarmSandboxRunner, softmax_cases: list
) -> None:
    report = grade(softmax_spec(softmax_cases), REFERENCE, runner=runner)
    assert report.verdict == "passed" and report.score == 1.0
    assert report.passed == report.total == 5 and report.mistake is None
    assert report.exercise == "own-softmax"
    torch_report = grade(softmax_spec(softmax_cases), CORRECT_TORCH, runner=runner)
    assert torch_report.verdict == "passed", torch_report.message


def test_a_wrong_solution_fails_with_the_engines_messages(
    runner: WarmSandboxRunner, softmax_cases: list
) -> None:
    report = grade(softmax_spec(softmax_cases), WRONG, runner=runner)
    assert report.verdict == "failed" and 0 <= report.score < 1
    assert report.mistake is None and report.properties == ()
    equal, overflow, random = report.cases[:3]
    assert equal.passed  # a global sum is right when there is one row
    assert not overflow.passed and "expected a finite number" in overflow.message
    assert not random.passed and "values are wrong; the worst is at index" in (
        random.message
    )
    assert "First failure, case 2 (edge: overflow)" in report.message
    assert "1 hidden case(s) failed" in report.message


def test_a_wrong_shape_is_reported_as_such(
    runner: WarmSandboxRunner, softmax_cases: list
) -> None:
    source = "def softmax(x, axis):\n    return x.sum()\n"
    report = grade(softmax_spec(softmax_cases), source, runner=runner)
    assert "wrong shape: expected shape (3,), got a single number" in (
        report.cases[0].message
    )


def test_the_tolerance_is_the_exercises(
    runner: WarmSandboxRunner, softmax_cases: list
) -> None:
    nudged = REFERENCE.replace("return shifted", "return 1e-4 + shifted")
    strict = grade(softmax_spec(softmax_cases), nudged, runner=runner)
    loose = grade(softmax_spec(softmax_cases, abs=1e-3), nudged, runner=runner)
    assert strict.verdict == "failed" and loose.verdict == "passed"


def test_every_seed_grades_the_same_cases(softmax_cases: list) -> None:
    spec = softmax_spec(softmax_cases)
    assert spec.cases(0) == spec.cases(12345) and spec.expected is not None
    assert spec.signature == "softmax(x, axis)"


# ------------------------------------------------------------ instructor faults


def generator_problem(runner: WarmSandboxRunner, body: str) -> AuthoringError:
    with pytest.raises(AuthoringError) as caught:
        generate_cases(textwrap.dedent(body), runner=runner, limits=QUICK)
    return caught.value


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("def cases(seed):\n    return 3\n", "must return a non-empty list"),
        ("def cases(seed):\n    return []\n", "not an empty list"),
        ("def cases(seed):\n    return [{'x': 1}]\n", 'with "inputs"'),
        (
            "def cases(seed):\n    return [{'inputs': {'x': 1}, 'hiden': True}]\n",
            "unknown keys: hiden",
        ),
        (
            "def cases(seed):\n    return [{'inputs': {'x': {1, 2}}}]\n",
            "raised TypeError: cannot return a value of type set",
        ),
        (
            "def cases(seed):\n    return [{'inputs': {'x': 1}}, {'inputs': {'y': 1}}]\n",
            "every case must give the same arguments",
        ),
        (
            "import random\ndef cases(seed):\n    return [{'inputs': {'x': random.random()}}]\n",
            "returned different cases when called again",
        ),
        ("def cases(seed:\n", "has a syntax error (line 1"),
        ("def generate(seed):\n    return []\n", "does not define a function `cases`"),
        ("def cases():\n    return []\n", "cannot be called"),
        (
            "def cases(seed):\n    return [{'inputs': {'x': 1 / 0}}]\n",
            "ZeroDivisionError",
        ),
        (
            "def cases(seed):\n    return [{'inputs': {'x': i}} for i in range(200)]\n",
            "at most 100 are allowed",
        ),
    ],
)
def test_a_generator_that_returns_junk_is_explained(
    runner: WarmSandboxRunner, body: str, says: str
) -> None:
    assert says in generator_problem(runner, body).message


def test_a_non_deterministic_reference_is_refused(runner: WarmSandboxRunner) -> None:
    cases = generate_cases(GENERATOR, runner=runner, limits=QUICK)
    counter = (
        "calls = [0]\ndef softmax(x, axis):\n    calls[0] += 1\n    return calls[0]\n"
    )
    with pytest.raises(AuthoringError) as caught:
        expected_outputs(counter, "softmax", cases, runner=runner, limits=QUICK)
    assert "different outputs on case 1 (edge: all equal) in two runs" in (
        caught.value.message
    )


def test_a_reference_that_returns_nothing_is_refused(
    runner: WarmSandboxRunner,
) -> None:
    cases = generate_cases(GENERATOR, runner=runner, limits=QUICK)
    printing = "def softmax(x, axis):\n    print(x)\n"
    with pytest.raises(AuthoringError, match="returned None on every case"):
        expected_outputs(printing, "softmax", cases, runner=runner, limits=QUICK)


def hostile_reference(runner: WarmSandboxRunner, body: str) -> AuthoringError:
    """Run a hostile reference; the host must survive and serve the next job."""
    [(host_pid, uid)] = runner.hosts()
    cases = generate_cases(GENERATOR, runner=runner, limits=QUICK)
    with pytest.raises(AuthoringError) as caught:
        expected_outputs(
            textwrap.dedent(body), "softmax", cases, runner=runner, limits=QUICK
        )
    assert expected_outputs(REFERENCE, "softmax", cases, runner=runner, limits=QUICK)
    assert runner.hosts() == [(host_pid, uid)], "the host was replaced or lost"
    return caught.value


def test_a_reference_reading_etc_shadow_is_contained(runner: WarmSandboxRunner) -> None:
    problem = hostile_reference(
        runner,
        """
        def softmax(x, axis):
            return open("/etc/shadow").read()
        """,
    )
    assert "raised FileNotFoundError" in problem.message
    assert "root:" not in problem.message + problem.detail


def test_an_infinite_loop_in_the_reference_is_stopped(
    runner: WarmSandboxRunner,
) -> None:
    problem = hostile_reference(
        runner, "def softmax(x, axis):\n    while True:\n        pass\n"
    )
    assert problem.message.startswith("The reference solution was stopped: time limit")


def test_a_fork_bomb_in_the_reference_is_contained(runner: WarmSandboxRunner) -> None:
    problem = hostile_reference(
        runner,
        """
        import os, time
        def softmax(x, axis):
            while True:
                if os.fork() == 0:
                    time.sleep(60)
        """,
    )
    assert "raised BlockingIOError" in problem.message


def test_a_generator_reading_the_project_is_contained(
    runner: WarmSandboxRunner,
) -> None:
    settings = Path(__file__).resolve().parents[2] / "tutor" / "settings.py"
    problem = generator_problem(
        runner,
        f"def cases(seed):\n    return [{{'inputs': {{'x': open({str(settings)!r}).read()}}}}]\n",
    )
    assert "raised FileNotFoundError" in problem.message


def test_the_stored_path_imports_no_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys, engine.stored, engine.authoring\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django']\n"
        "assert not [m for m in sys.modules if m.startswith('engine.reference')]\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
