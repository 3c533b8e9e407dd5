"""Hostile submissions against the verdict: code that tries to pass without
being right (patched comparisons, forged results, exits), odd numbers, forbidden
routines reached at run time; and the sandbox's layers as a report states them.

Each attack is graded through `tests.engine.hostile.hostile`, which also checks
that the host and the next submission survived it and that no process of the
job outlived it.
"""

from __future__ import annotations

import gc
import os
import textwrap
from collections.abc import Iterator

import pytest

from engine import grade
from engine.sandbox.types import Job
from engine.sandbox.warm import WarmSandboxRunner
from tests.engine.hostile import CANARY, LINUX_ONLY, QUICK, hostile, seen, warm_runner

pytestmark = LINUX_ONLY


@pytest.fixture(scope="module")
def runner() -> Iterator[WarmSandboxRunner]:
    yield from warm_runner()


# ------------------------------------------------------------------ the verdict


def test_an_eq_that_always_agrees_cannot_pass(runner) -> None:
    body = "class Yes:\n    def __eq__(self, o):\n        return True\ndef iou(a, b):\n    return Yes()\n"
    report = hostile(runner, body)
    assert report.verdict == "failed" and report.score == 0


def test_patched_numpy_and_torch_comparisons_cannot_pass(runner) -> None:
    body = """
    import numpy, torch, math
    numpy.allclose = numpy.isclose = numpy.array_equal = lambda *a, **k: True
    numpy.testing.assert_allclose = lambda *a, **k: None
    torch.allclose = torch.equal = lambda *a, **k: True
    math.isclose = lambda *a, **k: True
    def iou(a, b):
        return 0.5
    """
    report = hostile(runner, body)
    assert report.verdict != "passed" and report.score == 0


def test_patched_builtins_cannot_pass(runner) -> None:
    body = """
    import builtins
    builtins.abs = lambda x: 0
    builtins.isinstance = lambda *a: True
    builtins.float = lambda x=0: 0.5
    def iou(a, b):
        return 0.5
    """
    assert hostile(runner, body).verdict in {"failed", "runtime_error"}


def test_an_ndarray_subclass_is_judged_on_its_values(runner) -> None:
    body = """
    import numpy as np
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(1, bool)
    def iou(a, b):
        return np.array(0.5).view(Liar)
    """
    assert hostile(runner, body).verdict == "failed"


def test_object_arrays_are_refused(runner) -> None:
    body = "import numpy as np\ndef iou(a, b):\n    return np.array([object()], dtype=object)\n"
    report = hostile(runner, body)
    assert report.verdict == "failed" and "dtype object" in report.cases[0].message


def test_returning_a_pickle_bomb_is_just_bytes(runner) -> None:
    body = "import pickle, os\ndef iou(a, b):\n    return pickle.dumps(os.system)\n"
    report = hostile(runner, body)
    assert report.verdict == "failed" and "type bytes" in report.cases[0].message


def test_a_forged_pickle_on_the_result_pipe_is_never_unpickled(runner) -> None:
    body = """
    import os, pickle
    class Boom:
        def __reduce__(self):
            return (print, ("UNPICKLED",))
    def iou(a, b):
        for fd in range(3, 64):
            try:
                os.write(fd, pickle.dumps(Boom()))
            except OSError:
                pass
        os._exit(0)
    """
    report = hostile(runner, body)
    assert report.verdict == "runtime_error" and "UNPICKLED" not in seen(report)


def test_system_exit_is_an_error_not_a_pass(runner) -> None:
    report = hostile(runner, "import sys\ndef iou(a, b):\n    sys.exit(0)\n")
    assert report.verdict == "failed" and "SystemExit" in report.traceback


def test_os_exit_before_returning_is_a_runtime_error(runner) -> None:
    report = hostile(runner, "import os\ndef iou(a, b):\n    os._exit(0)\n")
    assert report.verdict == "runtime_error" and "exited (code 0)" in report.message


def test_exit_hooks_and_tracers_change_nothing(runner) -> None:
    body = """
    import atexit, sys, threading
    atexit.register(lambda: print("ATEXIT"))
    sys.settrace(lambda *a: None)
    threading.settrace(lambda *a: None)
    def iou(a, b):
        return 0.5
    """
    report = hostile(runner, body)
    assert report.verdict == "failed" and "ATEXIT" not in seen(report)


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("float('nan')", "nan"),
        ("float('inf')", "inf"),
        ("np.float16(0.5)", "expected"),
        ("np.array(2**62, dtype=np.int64) * 4", "expected"),
    ],
)
def test_odd_numbers_are_reported_not_trusted(runner, value: str, needle: str) -> None:
    body = f"import numpy as np\ndef iou(a, b):\n    return {value}\n"
    report = hostile(runner, body)
    assert report.verdict == "failed" and needle in seen(report).lower()


def test_a_forbidden_routine_reached_dynamically_is_refused(runner) -> None:
    """The static check cannot see getattr(nn, "LSTM" + "Cell"); the child's
    namespace has the routine replaced, under every module that exposes it."""
    job = Job(
        textwrap.dedent(
            """
            import torch
            def f(x):
                cell = getattr(torch.nn.modules.rnn, "LST" + "MCell")
                return cell(2, 2)
            """
        ),
        "f",
        [{"x": 1.0}],
        forbidden=("torch.nn.LSTMCell",),
    )
    outcome = runner.run(job, QUICK)
    assert outcome.status == "ok"
    assert (
        "ForbiddenCallError: torch.nn.LSTMCell is not allowed"
        in outcome.results[0]["error"]
    )


def test_a_forbidden_routine_is_a_forbidden_verdict(runner) -> None:
    body = textwrap.dedent(
        """
        import torch
        NAME = bytes([76, 83, 84, 77, 67, 101, 108, 108]).decode()  # hides the name from the AST
        def lstm_cell(x, h_prev, c_prev, W, b):
            return getattr(torch.nn, NAME)(2, 2)
        """
    )
    report = grade("lstm_cell", body, runner=runner)
    assert report.verdict == "forbidden" and not report.gradable
    assert "torch.nn.LSTMCell" in report.message


def test_no_reference_grader_or_spec_is_in_the_childs_memory(runner) -> None:
    body = """
    import sys
    def iou(a, b):
        held = sorted(m for m in sys.modules if m.startswith(("engine.reference", "engine.specs", "engine.grader", "django", "exercises", "tutor")))
        print("held", held)
        return 0.0
    """
    assert "held []" in seen(hostile(runner, body))


def test_the_sandbox_layers_are_all_present_here(runner) -> None:
    layers, missing = runner.isolation()
    if os.geteuid() != 0:
        pytest.skip("the full set of layers needs root to set up")
    assert missing == (), f"layers missing on this machine: {missing}"
    assert len(layers) >= 9
    report = grade("iou", CANARY, runner=runner)
    assert report.isolation == layers and report.missing_isolation == ()


def teardown_module() -> None:
    gc.collect()
