"""Hostile submissions against the result channel: the grade cannot be forged,
leaked or inflated.

The child that runs a submission is the student's process, runtime and pipes
included. These attacks each worked against an earlier grader that trusted
what the child said about itself: an empty result list was "All 0 cases
passed", a visible case could carry a hidden case's inputs, a returned string
could grow a stored report without bound.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from engine import get_spec, grade
from engine.cli import gradescope_results, prairielearn_results
from engine.report import MAX_REPORT_BYTES, TRUNCATED, Report, json_size
from engine.sandbox.warm import WarmSandboxRunner

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)

SAMPLES = Path(__file__).parent / "samples" / "iou"
CORRECT = (SAMPLES / "correct-numpy.py").read_text()
SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def runner() -> Iterator[WarmSandboxRunner]:
    runner = WarmSandboxRunner()
    yield runner
    runner.close()


def _grade(runner: WarmSandboxRunner, body: str, seed: int = 0) -> Report:
    return grade("iou", textwrap.dedent(body), runner=runner, seed=seed)


def _assert_interfered(report: Report) -> None:
    assert report.verdict == "interfered", report.message
    assert report.score == 0.0 and report.gradable
    assert "interfered with grading" in report.message


# ------------------------------------------------------- results that do not match


FORGED_EMPTY_REPLY = CORRECT + textwrap.dedent(
    """
    import os as _os, sys as _sys

    def _forge():
        wire = _sys.modules["engine.sandbox.wire"]
        payload = wire.encode({"status": "ok", "results": []})
        for fd in range(3, 64):  # the inherited pipes, whichever is the result's
            try:
                _os.write(fd, payload)
            except OSError:
                pass
        _os._exit(0)

    _forge()
    """
)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_forged_empty_reply_on_the_result_pipe_is_interference(
    runner: WarmSandboxRunner, seed: int
) -> None:
    _assert_interfered(_grade(runner, FORGED_EMPTY_REPLY, seed))


EMPTIED_CASE_LIST = CORRECT.replace("def iou(", "def _real_iou(") + textwrap.dedent(
    """
    import sys as _sys

    def iou(box_a, box_b):
        frame = _sys._getframe(1)
        while frame is not None:
            cases = frame.f_locals.get("cases")
            if isinstance(cases, list):
                cases.clear()
            frame = frame.f_back
        return _real_iou(box_a, box_b)
    """
)


@pytest.mark.parametrize("seed", SEEDS)
def test_emptying_the_case_list_from_the_stack_is_interference(
    runner: WarmSandboxRunner, seed: int
) -> None:
    _assert_interfered(_grade(runner, EMPTIED_CASE_LIST, seed))


NO_ENUMERATE = CORRECT + textwrap.dedent(
    """
    import builtins
    builtins.enumerate = lambda *args, **kwargs: iter(())
    """
)


@pytest.mark.parametrize("seed", SEEDS)
def test_replacing_enumerate_is_interference(
    runner: WarmSandboxRunner, seed: int
) -> None:
    _assert_interfered(_grade(runner, NO_ENUMERATE, seed))


DUPLICATED_RESULTS = CORRECT.replace("def iou(", "def _real_iou(") + textwrap.dedent(
    """
    import sys as _sys

    def iou(box_a, box_b):
        # Answer the first case, then make the runtime report it twice in
        # place of the second.
        frame = _sys._getframe(1)
        while frame is not None:
            results = frame.f_locals.get("results")
            if isinstance(results, list) and results:
                results.append(dict(results[0]))
                cases = frame.f_locals.get("cases")
                if isinstance(cases, list) and len(cases) > 1:
                    del cases[1]
                break
            frame = frame.f_back
        return _real_iou(box_a, box_b)
    """
)


def test_duplicated_or_dropped_results_are_interference(
    runner: WarmSandboxRunner,
) -> None:
    _assert_interfered(_grade(runner, DUPLICATED_RESULTS))


def test_interference_never_reaches_a_pass_whatever_the_seed(
    runner: WarmSandboxRunner,
) -> None:
    for seed in range(3, 8):
        report = _grade(runner, FORGED_EMPTY_REPLY, seed)
        assert report.verdict != "passed" and report.score == 0.0


def test_a_spec_with_no_case_cannot_be_graded(runner: WarmSandboxRunner) -> None:
    empty = replace(get_spec("iou"), make_cases=lambda seed: [])
    with pytest.raises(ValueError, match="no case"):
        grade(empty, CORRECT, runner=runner)


def test_a_correct_submission_still_passes_every_case(
    runner: WarmSandboxRunner,
) -> None:
    for seed in SEEDS:
        report = _grade(runner, CORRECT, seed)
        assert report.verdict == "passed", report.message
        assert report.total == len(get_spec("iou").cases(seed))


# ----------------------------------------------------------------- hidden inputs

HOARDER = CORRECT.replace("def iou(", "def _real_iou(") + textwrap.dedent(
    """
    import sys as _sys

    def _every_input():
        # The inputs of every case this process was sent, from the runtime's
        # own frames.
        frame = _sys._getframe(1)
        while frame is not None:
            cases = frame.f_locals.get("cases")
            if isinstance(cases, list):
                return [[list(v) for v in case.values()] for case in cases]
            frame = frame.f_back
        return []

    _calls = []

    def iou(box_a, box_b):
        _calls.append(1)
        seen = _every_input()
        print("SEEN", seen)
        if len(_calls) % 2:
            raise ValueError(f"SEEN {seen}")
        return [seen, _real_iou(box_a, box_b)]
    """
)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_visible_case_can_carry_a_hidden_input(
    runner: WarmSandboxRunner, seed: int
) -> None:
    report = _grade(runner, HOARDER, seed)
    hidden = [case for case in report.cases if case.hidden]
    visible = [case for case in report.cases if not case.hidden]
    assert hidden and visible
    shown = "\n".join(
        [report.message, report.stdout, report.traceback]
        + [
            "\n".join([c.message, c.stdout, c.error, json.dumps(c.got)])
            for c in visible
        ]
    )
    for case in hidden:
        for box in case.inputs.values():
            assert str(list(box)) not in shown, f"{case.name}'s input leaked"
    # The visible cases' own inputs are seen, so the search could find them.
    assert str(list(visible[0].inputs["box_a"])) in shown


def test_a_hidden_run_that_fails_says_so_without_its_output(
    runner: WarmSandboxRunner,
) -> None:
    body = CORRECT.replace("def iou(", "def _real_iou(") + textwrap.dedent(
        """
        _calls = []

        def iou(box_a, box_b):
            _calls.append(1)
            if box_a[0] not in (0.0, 1.0, 2.0, 5.0):  # a random box: loop
                print("HIDDEN", list(box_a))
                while True:
                    pass
            return _real_iou(box_a, box_b)
        """
    )
    spec = get_spec("iou")
    quick = replace(spec.limits, cpu_seconds=1, wall_seconds=30)
    report = grade("iou", body, runner=runner, limits=quick)
    assert report.verdict == "time_limit"
    assert "hidden" in report.message or "time limit" in report.message.lower()
    assert "HIDDEN" not in report.stdout + report.message + report.traceback


def test_every_export_marks_hidden_cases_and_leaves_out_their_data(
    runner: WarmSandboxRunner,
) -> None:
    report = _grade(runner, HOARDER)
    hidden_names = {case.name for case in report.cases if case.hidden}
    secrets = [
        str(value)
        for case in report.cases
        if case.hidden
        for value in case.inputs.values()
    ]
    exports = {
        "json": report.public().to_dict(),
        "gradescope": gradescope_results(report),
        "prairielearn": prairielearn_results(report),
    }
    for kind, data in exports.items():
        text = json.dumps(data)
        assert [s for s in secrets if s in text] == [], kind
        assert "SEEN" not in json.dumps(
            [t for t in data.get("tests", data.get("cases", [])) if t.get("hidden")]
        ), kind
    gradescope = {t["name"].split(" (")[0]: t for t in exports["gradescope"]["tests"]}
    assert all(gradescope[name]["visibility"] == "hidden" for name in hidden_names)
    prairie = {t["name"].split(" (")[0]: t for t in exports["prairielearn"]["tests"]}
    assert all(prairie[name]["hidden"] for name in hidden_names)
    public = {c["name"]: c for c in exports["json"]["cases"]}
    assert all(
        public[name]["inputs"] is None and public[name]["expected"] is None
        for name in hidden_names
    )


# -------------------------------------------------------------- bounded reports


def test_a_huge_returned_string_cannot_grow_the_report(
    runner: WarmSandboxRunner,
) -> None:
    body = (
        "def iou(box_a, box_b):\n    print('y' * 100_000)\n    return 'x' * 1_900_000\n"
    )
    report = _grade(runner, body)
    assert report.verdict == "failed"
    stored = report.to_dict()
    assert json_size(stored) <= MAX_REPORT_BYTES
    assert TRUNCATED in json.dumps(stored, ensure_ascii=False)


def test_huge_lists_and_mappings_are_capped(runner: WarmSandboxRunner) -> None:
    body = (
        "def iou(box_a, box_b):\n"
        "    return {str(i): ['z' * 50] * 3 for i in range(3000)}\n"
    )
    report = _grade(runner, body)
    stored = report.to_dict()
    assert json_size(stored) <= MAX_REPORT_BYTES
    assert report.verdict == "failed"


def test_the_time_limit_message_says_it_once(runner: WarmSandboxRunner) -> None:
    spec = get_spec("iou")
    quick = replace(spec.limits, cpu_seconds=1, wall_seconds=30)
    report = grade(
        "iou", "def iou(a, b):\n    while True:\n        pass\n", runner=runner,
        limits=quick,
    )  # fmt: skip
    assert report.verdict == "time_limit"
    assert report.message.lower().count("time limit exceeded") == 1, report.message
