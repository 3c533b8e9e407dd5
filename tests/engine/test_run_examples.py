"""engine.run_examples: the student's code on inputs the caller chose, ungraded.
Most tests run the child's runtime in this process (InProcessRunner); one
runs the real sandbox."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from engine.run_examples import MAX_PRINTED_CHARS, RunReport, kind_of, run_examples
from engine.sandbox.types import RunOutcome
from engine.specs import get_spec
from engine.specs.base import Case
from engine.stored import stored_spec, to_stored
from tests.engine.inprocess import InProcessRunner

SAMPLES = Path(__file__).parent / "samples" / "iou"
RIGHT = (SAMPLES / "correct-numpy.py").read_text()
NO_CLAMP = (SAMPLES / "wrong-iou-no-clamp.py").read_text()
IOU = get_spec("iou")


def visible() -> list[Case]:
    return [case for case in IOU.cases(0) if not case.hidden]


def expected_for(cases: list[Case]) -> list[float]:
    return [IOU.reference(**copy.deepcopy(case.kwargs)) for case in cases]


def run(source: str, cases: list[Case] | None = None, **kw: object) -> RunReport:
    cases = visible() if cases is None else cases
    runner = kw.pop("runner", None) or InProcessRunner()
    return run_examples(IOU, source, cases, expected_for(cases), runner=runner, **kw)  # type: ignore[arg-type]


def test_a_correct_function_matches_every_example() -> None:
    report = run(RIGHT)
    assert report.status == "ok"
    assert report.total == len(visible()) and report.matched == report.total
    assert all(case.matched and case.message == "correct" for case in report.cases)
    assert report.summary() == f"All {report.total} examples match the reference."
    assert report.message == report.summary()
    assert [law.broken for law in report.laws] == [False, False]
    assert report.cases[0].kind == "a float"


def test_a_wrong_function_shows_the_difference_and_never_a_named_mistake() -> None:
    report = run(NO_CLAMP)
    wrong = [case for case in report.cases if not case.matched]
    assert wrong and report.matched == report.total - len(wrong)
    diagonal = next(case for case in report.cases if "diagonal" in case.label)
    assert diagonal.matched is False
    assert diagonal.message.startswith("expected 0, got 1")
    assert diagonal.expected == 0.0 and diagonal.got == 1.0
    assert diagonal.inputs == {
        "box_a": [0.0, 0.0, 1.0, 1.0],
        "box_b": [2.0, 2.0, 3.0, 3.0],
    }
    assert (
        report.summary()
        == f"{report.matched} of {report.total} examples match the reference."
    )
    text = json.dumps(report.to_dict())
    for mistake in IOU.mistakes:
        assert mistake.id not in text and mistake.title not in text
    assert "mistake" not in report.to_dict()


def test_the_runner_receives_only_the_inputs_it_was_given() -> None:
    runner = InProcessRunner()
    cases = visible()[:2]
    run(RIGHT, cases, runner=runner)
    assert [job.cases for job in runner.jobs] == [[case.kwargs for case in cases]]
    assert runner.jobs[0].forbidden == IOU.forbidden


def test_a_hidden_case_is_refused_before_anything_runs() -> None:
    runner = InProcessRunner()
    hidden = [case for case in IOU.cases(0) if case.hidden]
    assert hidden
    with pytest.raises(ValueError, match="hidden"):
        run_examples(IOU, RIGHT, [visible()[0], hidden[0]], None, runner=runner)
    assert runner.jobs == []


@pytest.mark.parametrize(
    ("cases", "expected", "says"),
    [
        ([], None, "at least one"),
        ([Case("a", {"box_a": [], "box_b": []})], [1, 2], "one expected"),
    ],
)
def test_a_callers_error_is_an_exception(
    cases: list[Case], expected: object, says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        run_examples(IOU, RIGHT, cases, expected, runner=InProcessRunner())  # type: ignore[arg-type]


def test_a_syntax_error_is_reported_without_running() -> None:
    runner = InProcessRunner()
    report = run("def iou(box_a, box_b):\n    return (\n", runner=runner)
    assert report.status == "syntax_error" and report.line == 2
    assert report.message.startswith("Syntax error:") and report.cases == ()
    assert runner.jobs == []


def test_a_forbidden_import_is_refused_without_running() -> None:
    runner = InProcessRunner()
    report = run("import torchvision\n" + RIGHT, runner=runner)
    assert report.status == "forbidden" and "torchvision" in report.message
    assert runner.jobs == []


def test_own_input_shows_the_output_and_the_laws_without_a_reference() -> None:
    source = "def iou(box_a, box_b):\n    print('called')\n    return 2.0\n"
    own = [Case("your input", {"box_a": [0, 0, 1, 1], "box_b": [0, 0, 1, 1]})]
    report = run_examples(IOU, source, own, None, runner=InProcessRunner())
    [case] = report.cases
    assert case.matched is None and case.expected is None and case.got == 2.0
    assert case.stdout == "called\n"
    assert report.matched is None
    broken = [law for law in report.laws if law.broken]
    assert [law.id for law in broken] == ["iou-range"]
    assert "outside [0, 1]" in broken[0].message
    assert report.summary() == "Your code returned a float. 1 law broken."


def test_an_exception_is_the_examples_result_with_its_traceback() -> None:
    source = "def iou(box_a, box_b):\n    return 1 / 0\n"
    report = run(source, visible()[:1])
    [case] = report.cases
    assert not case.ok and case.matched is False
    assert case.message == "raised ZeroDivisionError: division by zero"
    assert "line 2" in case.error and report.traceback == case.error
    assert report.summary() == "0 of 1 example matches the reference."


def test_printed_text_shares_one_budget() -> None:
    source = "def iou(box_a, box_b):\n    print('x' * 5000)\n    return 0.0\n"
    report = run(source, visible()[:3])
    printed = [case.stdout for case in report.cases]
    assert len(printed[0]) == 5001 and printed[2] == "\n… (truncated)"
    assert (
        sum(len(text.replace("\n… (truncated)", "")) for text in printed)
        == MAX_PRINTED_CHARS
    )


@pytest.mark.parametrize(
    ("outcome", "status", "says"),
    [
        (
            RunOutcome("time_limit", error="more than 5 s of CPU time"),
            "time_limit",
            "Time limit exceeded",
        ),
        (
            RunOutcome(
                "missing_entry_point",
                error="the submission does not define a function `iou`",
            ),
            "missing_entry_point",
            "Missing function",
        ),
        (RunOutcome("ok", results=[]), "interfered", "interfered"),
        (
            RunOutcome(
                "ok",
                results=[
                    {
                        "case": 0,
                        "ok": False,
                        "error": "ForbiddenCallError: torchvision.ops.box_iou is not allowed in this exercise",
                    }
                ],
            ),
            "forbidden",
            "not allow",
        ),
    ],
)
def test_a_run_that_went_wrong_says_how(
    outcome: RunOutcome, status: str, says: str
) -> None:
    report = run(RIGHT, visible()[:1], runner=InProcessRunner(outcome))
    assert report.status == status and says in report.message
    assert report.cases == () and report.summary() == report.message


def test_the_stored_report_is_bounded_json() -> None:
    source = (
        "import numpy as np\ndef iou(box_a, box_b):\n    return np.ones((300, 300))\n"
    )
    data = run(source, visible()[:2]).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["cases"][0]["got"]["truncated"] is True
    assert data["cases"][0]["kind"] == "an array of shape (300, 300), float64"
    assert data["matched"] == 0 and data["total"] == 2


def test_kinds_in_words() -> None:
    import numpy as np

    assert (
        kind_of(np.zeros((2, 3), dtype=np.float32))
        == "an array of shape (2, 3), float32"
    )
    assert kind_of([[1, 2], [3, 4]]) == "a list of shape (2, 2)"
    assert (
        kind_of((np.zeros(2), 1.0))
        == "a tuple of 2: an array of shape (2,), float64; a float"
    )
    assert kind_of(["a", "b"]) == "a list of length 2"
    assert kind_of(None) == "None" and kind_of(True) == "a boolean"


def test_an_own_exercise_runs_on_its_stored_examples() -> None:
    stored = [
        {
            "name": "small",
            "inputs": [["x", [1.0, 2.0, 3.0]]],
            "expected": to_stored([-1.0, 0.0, 1.0]),
        },
        {
            "name": "hidden",
            "hidden": True,
            "inputs": [["x", [5.0]]],
            "expected": to_stored([0.0]),
        },
    ]
    spec = stored_spec(
        exercise_id="centre", title="Centre", entry_point="centre", cases=stored
    )
    cases = [case for case in spec.cases(0) if not case.hidden]
    source = "import numpy as np\ndef centre(x):\n    x = np.asarray(x, float)\n    return x - x.mean()\n"
    report = run_examples(
        spec, source, cases, [spec.expected[0]], runner=InProcessRunner()
    )  # type: ignore[index]
    assert report.matched == 1 and report.total == 1 and report.laws == ()


@pytest.mark.slow
def test_the_real_sandbox_runs_the_examples() -> None:
    right = run_examples(IOU, RIGHT, visible(), expected_for(visible()))
    assert right.status == "ok" and right.matched == right.total == len(visible())
    wrong = run_examples(IOU, NO_CLAMP, visible(), expected_for(visible()))
    assert wrong.status == "ok" and 0 < wrong.matched < wrong.total  # type: ignore[operator]
    assert any("expected 0, got 1" in case.message for case in wrong.cases)
