"""The generic hint ladders (engine.hints) level by level: an exception and
the shapes the statement promises, a wrong visible case and its difference,
wrong hidden cases, a broken law, a time or memory limit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine import get_spec
from engine.hints import ladder_for
from engine.report import BrokenProperty
from engine.specs.base import ShapePromise
from tests.engine.hint_cases import (
    ALL_OPEN,
    HIDDEN,
    PASSED,
    result,
    toy_report,
    toy_spec,
)


def test_the_exception_ladder_ends_with_the_shapes_the_statement_promises() -> None:
    raised = result(
        "batch",
        label="edge: a batch",
        message="raised ValueError: shapes (2,3) and (4,3) not aligned",
    )
    ladder = ladder_for(toy_spec(), toy_report(raised), open_cases=ALL_OPEN)
    assert ladder is not None
    point, teach, bottom = ladder.hints
    assert "`ValueError`" in point and "`batch`" in point
    assert "shape error" in teach
    assert "a batch x of shape (N, I) gives (N, O)" in teach
    assert bottom.splitlines()[:4] == [
        "On the visible case `batch` (edge: a batch):",
        "- `x` is an array of shape (2, 3)",
        "- `w` is an array of shape (4, 3)",
        (
            "- the statement promises a batch x of shape (N, I) gives (N, O): "
            "here shape `(2, 4)`"
        ),
    ]


def test_a_promise_of_several_outputs_names_each_shape() -> None:
    spec = toy_spec(
        shapes=(ShapePromise("h and C", lambda kw: True, lambda kw: ((2, 4), (2, 4))),)
    )
    raised = result("batch", message="raised TypeError: cannot unpack")
    ladder = ladder_for(spec, toy_report(raised), open_cases=ALL_OPEN)
    assert ladder is not None
    assert "shapes `(2, 4)` and `(2, 4)`, one per returned value" in ladder.hints[2]


def test_the_exception_ladder_on_a_real_spec_reads_its_promises() -> None:
    spec = get_spec("lstm_cell")
    first = next(case for case in spec.cases(0) if not case.hidden)
    raised = result(first.name, message="raised ValueError: matmul: size mismatch")
    ladder = ladder_for(spec, toy_report(raised), seed=0, open_cases=(first.name,))
    assert ladder is not None
    promised = next(p for p in spec.shapes if p.applies(first.kwargs))
    shape = tuple(promised.shape(first.kwargs))
    assert f"`{tuple(shape[0])}`" in ladder.hints[2]
    for argument, value in first.kwargs.items():
        assert f"`{argument}` is an array of shape {np.shape(value)}" in ladder.hints[2]


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("raised ZeroDivisionError: division by zero", "denominator"),
        ("raised KeyError: 'cat'", "dictionary"),
        ("raised IndexError: index 3 is out of bounds for axis 0", "past the end"),
        ("raised RuntimeError: something odd", "impossible with these inputs"),
    ],
)
def test_the_idea_behind_an_exception_depends_on_its_kind(
    message: str, words: str
) -> None:
    ladder = ladder_for(
        toy_spec(), toy_report(result("single", message=message)), open_cases=ALL_OPEN
    )
    assert ladder is not None and words in ladder.hints[1]


def test_an_exception_only_on_a_hidden_case_says_no_more_than_that() -> None:
    ladder = ladder_for(toy_spec(), toy_report(PASSED, HIDDEN), open_cases=("batch",))
    assert ladder is not None
    assert "a case whose details are not shown" in ladder.hints[0]
    assert "On the visible case `batch`" in ladder.hints[2]


@pytest.mark.parametrize(
    ("expected", "got", "words"),
    [
        (
            [1.0, 2.0, 4.0],
            [2.0, 4.0, 8.0],
            "each wrong value is 2 times the expected one",
        ),
        ([1.0, 2.0, 4.0], [2.0, 3.0, 5.0], "each wrong value is off by 1"),
        ([1.0, -2.0, 4.0], [-1.0, 2.0, -4.0], "opposite sign"),
        ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.5, 7.0]], "index 1 on axis 0"),
        ([[1.0, 2.0, 3.0]], [[1.0], [2.0], [3.0]], "transpose"),
        ([[1.0, 2.0, 3.0]], [1.0, 2.0, 3.0], "axis of length 1"),
        (1.0, 2.0, "expected `1`, yours `2`"),
        ([3, 1], [1, 3], "at [0] expected `3`, yours `1`; at [1] expected `1`"),
        (["cat", "dog"], ["dog"], 'expected `["cat", "dog"]`; yours is `["dog"]`'),
    ],
)
def test_the_bottom_of_a_wrong_visible_case_is_the_difference(
    expected: Any, got: Any, words: str
) -> None:
    wrong = result("single", label="edge: one sample", expected=expected, got=got)
    ladder = ladder_for(toy_spec(), toy_report(PASSED, wrong), open_cases=ALL_OPEN)
    assert ladder is not None and len(ladder.hints) == 3
    assert ladder.hints[2].startswith("On `single` (edge: one sample): ")
    assert words.lower() in ladder.hints[2].lower()


def test_wrong_visible_cases_none_of_them_shown_give_two_levels() -> None:
    ladder = ladder_for(toy_spec(), toy_report(PASSED, result("single")), open_cases=())
    assert ladder is not None
    assert len(ladder.hints) == 2
    assert "1 visible case(s)" in ladder.hints[0]


def test_wrong_hidden_cases_only_list_the_situations_the_student_can_see() -> None:
    shown = [
        result("batch", passed=True, label="edge: a batch"),
        result("single", passed=True, label="edge: one sample"),
        result("twin", passed=True, label="edge: one sample"),
        result("r1", passed=True, label="random"),
        result("extra", passed=True, label="edge: not shown"),
    ]
    report = toy_report(*shown, result("h1", hidden=True, label="edge: hidden one"))
    ladder = ladder_for(toy_spec(), report, open_cases=ALL_OPEN)
    assert ladder is not None
    assert "wrong on 1 hidden case(s)" in ladder.hints[0]
    assert ladder.hints[1].endswith("\n\n- edge: a batch\n- edge: one sample")
    assert "The statement promises" in ladder.hints[2]


def test_a_broken_law_is_named_then_shown_where_it_broke() -> None:
    broken = BrokenProperty("sym", "IoU(A, B) = IoU(B, A)", "single: 0.2 != 0.3")
    report = toy_report(PASSED, result("single"), properties=(broken,))
    ladder = ladder_for(toy_spec(), report, open_cases=ALL_OPEN)
    assert ladder is not None
    assert "**IoU(A, B) = IoU(B, A)**" in ladder.hints[0]
    assert "treated differently" in ladder.hints[1]
    assert "visible case `single`: `0.2 != 0.3`" in ladder.hints[2]
    unseen = ladder_for(toy_spec(), report, open_cases=())
    assert unseen is not None and "0.2" not in unseen.hints[2]


@pytest.mark.parametrize(
    ("verdict", "what"), [("time_limit", "time"), ("memory_limit", "memory")]
)
def test_running_out_of_a_limit_points_at_complexity(verdict: str, what: str) -> None:
    ladder = ladder_for(toy_spec(), toy_report(verdict=verdict), open_cases=ALL_OPEN)
    assert ladder is not None and len(ladder.hints) == 3
    assert ladder.hints[0].startswith(f"Your code ran out of {what}.")


def test_a_run_error_before_any_case_still_gets_the_exception_ladder() -> None:
    report = toy_report(verdict="runtime_error", message="Runtime error: NameError: np")
    ladder = ladder_for(toy_spec(), report, open_cases=ALL_OPEN)
    assert ladder is not None
    assert "stopped with an error before it returned" in ladder.hints[0]
    assert "This report shows no visible case in full" in ladder.hints[2]


@pytest.mark.parametrize(
    ("message", "named"),
    [
        (
            "raised numpy.linalg.LinAlgError: Singular matrix",
            "`numpy.linalg.LinAlgError`",
        ),
        ("raised an error", "`an exception`"),
    ],
)
def test_the_exception_is_named_only_by_its_class(message: str, named: str) -> None:
    raised = result("single", message=message)
    ladder = ladder_for(toy_spec(), toy_report(raised), open_cases=ALL_OPEN)
    assert ladder is not None
    assert ladder.hints[0].startswith(f"Your code raised {named} on the visible case")
