"""engine.grade on correct, wrong and broken submissions (subprocess runner)."""

from pathlib import Path

import pytest

from engine import grade
from engine.report import Report
from engine.sandbox.types import Limits

SAMPLES = Path(__file__).parent / "samples"


def sample(exercise: str, name: str) -> str:
    return (SAMPLES / exercise / f"{name}.py").read_text()


def test_a_correct_numpy_solution_passes() -> None:
    report = grade("iou", sample("iou", "correct-numpy"))
    assert report.verdict == "passed", report.message
    assert report.score == 1.0 and report.passed == report.total >= 10
    assert report.mistake is None


@pytest.mark.parametrize(
    ("name", "mistake"),
    [("wrong-iou-no-clamp", "iou-no-clamp"), ("wrong-iou-plus-one", "iou-plus-one")],
)
def test_a_typical_wrong_solution_is_named(name: str, mistake: str) -> None:
    report = grade("iou", sample("iou", name))
    assert report.verdict == "failed"
    assert 0.0 <= report.score < 1.0
    assert report.mistake is not None and report.mistake.id == mistake
    assert report.mistake.title in report.message


def test_a_syntax_error_is_not_gradable_and_says_where() -> None:
    report = grade("iou", "def iou(a, b)\n    return 0\n")
    assert report.verdict == "syntax_error" and not report.gradable
    assert report.line == 1 and "line 1" in report.message


def test_a_missing_entry_point_is_not_gradable() -> None:
    report = grade("iou", "def intersection(a, b):\n    return 0\n")
    assert report.verdict == "missing_entry_point" and not report.gradable
    assert "iou" in report.message


def test_a_forbidden_import_is_refused_before_running() -> None:
    report = grade(
        "iou", "from torchvision.ops import box_iou\ndef iou(a, b):\n    return 0\n"
    )
    assert report.verdict == "forbidden" and not report.gradable
    assert "torchvision" in report.message and report.line == 1


def test_a_crash_shows_the_students_own_traceback() -> None:
    source = (
        "def helper(box):\n    return box[7]\n\ndef iou(a, b):\n    return helper(a)\n"
    )
    report = grade("iou", source)
    assert report.verdict == "failed" and report.score == 0.0
    assert "IndexError" in report.traceback
    assert 'File "submission.py", line 2, in helper' in report.traceback
    assert "engine" not in report.traceback and "runtime.py" not in report.traceback


def test_an_error_at_import_time_is_a_runtime_error() -> None:
    report = grade("iou", "raise ValueError('boom')\n")
    assert report.verdict == "runtime_error" and report.gradable
    assert "ValueError: boom" in report.message


def test_an_infinite_loop_hits_the_time_limit() -> None:
    limits = Limits(cpu_seconds=1, wall_seconds=3)
    report = grade(
        "iou", "def iou(a, b):\n    while True:\n        pass\n", limits=limits
    )
    assert report.verdict == "time_limit"
    assert report.message.lower().count("time limit exceeded") == 1, report.message


def test_an_object_that_claims_equality_cannot_pass() -> None:
    source = (
        "class Always:\n"
        "    def __eq__(self, other):\n        return True\n"
        "    def __float__(self):\n        return 0.5\n"
        "def iou(a, b):\n    return Always()\n"
    )
    report = grade("iou", source)
    assert report.verdict == "failed" and report.score == 0.0
    assert "cannot return a value of type Always" in report.cases[0].message


def test_printed_output_is_kept_per_case() -> None:
    source = sample("iou", "correct-numpy") + "\nprint('loaded')\n"
    source = source.replace(
        "    a = np.asarray", "    print('case', box_a[0])\n    a = np.asarray"
    )
    report = grade("iou", source)
    assert report.verdict == "passed"
    assert report.stdout.strip() == "loaded"
    assert report.cases[0].stdout.startswith("case ")


def test_the_report_round_trips_through_json() -> None:
    report = grade("iou", sample("iou", "wrong-iou-no-clamp"))
    again = Report.from_dict(report.to_dict())
    assert again.to_dict() == report.to_dict()


def test_hidden_failures_do_not_leak_into_the_message() -> None:
    report = grade("iou", "def iou(a, b):\n    return 0.123456\n")
    hidden = [case for case in report.cases if case.hidden]
    assert hidden and all(not case.passed for case in hidden)
    for case in hidden:
        assert str(case.expected)[:6] not in report.message
    assert "hidden case(s) failed" in report.message


def test_an_unknown_exercise_is_a_callers_error() -> None:
    with pytest.raises(KeyError):
        grade("no-such-exercise", "x = 1")


def test_parameters_may_have_any_name_but_not_any_number() -> None:
    renamed = "def iou(first, second):\n    return 0.0\n"
    assert grade("iou", renamed).verdict == "failed"
    report = grade("iou", "def iou(box):\n    return 0.0\n")
    assert report.verdict == "wrong_signature" and not report.gradable
    assert "iou(box)" in report.message and "2 argument(s)" in report.message
