"""Hint ladders (engine.hints): a named mistake's three levels, the class of
a failure without a name, and what a ladder may never quote (a hidden case, a
visible case the viewer does not see in full)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine import all_specs
from engine.hints import LEVELS, failure_class, ladder_for
from engine.hints.words import MAX_HINT_CHARS, code, plain
from engine.report import BrokenProperty, Report
from engine.sandbox.subprocess_runner import PROJECT_ROOT
from tests.engine.hint_cases import (
    ALL_OPEN,
    HIDDEN,
    PASSED,
    SECRET,
    named_match,
    result,
    toy_mistake,
    toy_report,
    toy_spec,
)


@pytest.mark.parametrize(
    ("verdict", "gradable"),
    [
        ("passed", True),
        ("syntax_error", False),
        ("forbidden", False),
        ("missing_entry_point", False),
        ("wrong_signature", False),
        ("interfered", True),
        ("internal_error", True),
        ("output_limit", True),
    ],
)
def test_a_pass_or_an_ungraded_submission_has_no_ladder(
    verdict: str, gradable: bool
) -> None:
    report = toy_report(result("single"), verdict=verdict, gradable=gradable)
    assert ladder_for(toy_spec(), report, open_cases=ALL_OPEN) is None


@pytest.mark.parametrize(
    ("report", "kind"),
    [
        (toy_report(verdict="time_limit"), "timeout"),
        (toy_report(verdict="memory_limit"), "memory"),
        (toy_report(verdict="runtime_error"), "exception"),
        (
            toy_report(PASSED, result("single", message="raised IndexError: x")),
            "exception",
        ),
        (
            toy_report(
                PASSED,
                result("single"),
                properties=(BrokenProperty("p", "f(a, b) = f(b, a)", "single: no"),),
            ),
            "property",
        ),
        (toy_report(PASSED, result("single")), "visible"),
        (toy_report(PASSED, result("h1", hidden=True)), "hidden"),
    ],
)
def test_a_failure_without_a_name_gets_the_ladder_of_its_class(
    report: Report, kind: str
) -> None:
    assert failure_class(report) == kind
    ladder = ladder_for(toy_spec(), report, open_cases=ALL_OPEN)
    assert ladder is not None
    assert ladder.mistake_id == f"generic:{kind}"
    assert not ladder.named
    assert 2 <= len(ladder.hints) <= LEVELS
    assert all(hint.strip() for hint in ladder.hints)


def test_a_named_mistake_climbs_from_point_to_teach_to_fix() -> None:
    report = toy_report(PASSED, result("single"), mistake=named_match())
    ladder = ladder_for(toy_spec(), report, open_cases=())
    assert ladder is not None and ladder.named
    assert ladder.mistake_id == "toy-transposed"
    assert ladder.title == "Weight used transposed"
    assert ladder.hints == (
        "POINT: which axis of W meets x?",
        "EXPLAIN: W maps I to O, so x @ W.T.",
        "FIX: `return x @ w.T`",
    )


def test_level_two_shows_the_mistake_on_a_visible_case_the_student_sees() -> None:
    failing = result("single", label="edge: one sample", message="expected 4, got 3")
    report = toy_report(PASSED, failing, HIDDEN, mistake=named_match())
    ladder = ladder_for(toy_spec(), report, open_cases=ALL_OPEN)
    assert ladder is not None
    assert ladder.hints[1] == (
        "EXPLAIN: W maps I to O, so x @ W.T.\n\n"
        "See it on the visible case `single` (edge: one sample): "
        "`expected 4, got 3`"
    )


def test_a_mistake_without_its_own_point_or_fix_still_points() -> None:
    spec = toy_spec(mistakes=(toy_mistake(point="", fix=""),))
    ladder = ladder_for(spec, toy_report(result("single"), mistake=named_match()))
    assert ladder is not None
    assert len(ladder.hints) == 2
    assert "Weight used transposed" in ladder.hints[0]


def test_a_mistake_the_spec_no_longer_has_gets_the_generic_ladder() -> None:
    report = toy_report(PASSED, result("single"), mistake=named_match("gone"))
    ladder = ladder_for(toy_spec(), report, open_cases=ALL_OPEN)
    assert ladder is not None and ladder.mistake_id == "generic:visible"


def _every_class() -> list[Report]:
    broken = BrokenProperty("p", "f(a, b) = f(b, a)", f"h1: {SECRET} != 2")
    return [
        toy_report(PASSED, HIDDEN, mistake=named_match()),
        toy_report(PASSED, HIDDEN),
        toy_report(PASSED, result("single"), HIDDEN),
        toy_report(PASSED, result("single"), HIDDEN, properties=(broken,)),
        toy_report(PASSED, result("h1", hidden=True, label=f"edge: {SECRET}")),
        toy_report(PASSED, HIDDEN, verdict="time_limit"),
    ]


@pytest.mark.parametrize("report", _every_class())
def test_nothing_of_a_hidden_case_reaches_a_hint(report: Report) -> None:
    # Even when a caller lists the hidden case among the open ones.
    ladder = ladder_for(toy_spec(), report, open_cases=ALL_OPEN)
    assert ladder is not None
    assert not any(SECRET in hint for hint in ladder.hints), ladder.hints


def test_a_visible_case_the_student_does_not_see_in_full_is_not_quoted() -> None:
    withheld = result("single", message="expected 4.25, got 3.75", got=3.75)
    for report in (
        toy_report(PASSED, withheld),
        toy_report(withheld, mistake=named_match()),
    ):
        ladder = ladder_for(toy_spec(), report, open_cases=("batch",))
        assert ladder is not None
        assert not any("4.25" in hint or "3.75" in hint for hint in ladder.hints)


def test_hints_are_bounded() -> None:
    spec = toy_spec(mistakes=(toy_mistake(explanation="x" * 10_000),))
    ladder = ladder_for(spec, toy_report(result("single"), mistake=named_match()))
    assert ladder is not None
    assert len(ladder.hints[1]) == MAX_HINT_CHARS


def test_run_output_is_quoted_and_spec_words_escaped() -> None:
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"
    assert code("costs $5 and $6") == r"`costs \$5 and \$6`"
    assert code("two\nlines") == "`two lines`"
    assert plain("h_prev * [W]$") == r"h\_prev \* \[W\]\$"


def test_every_named_mistake_has_three_different_levels() -> None:
    lacking = [
        f"{spec.id}/{mistake.id}"
        for spec in all_specs()
        for mistake in spec.mistakes
        if not (mistake.point.strip() and mistake.fix.strip())
        or len({mistake.point, mistake.explanation, mistake.fix}) < 3
    ]
    assert lacking == []


def test_the_hint_ladders_import_no_django() -> None:
    code_ = (
        "import sys, engine.hints\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code_], cwd=PROJECT_ROOT, check=True)
