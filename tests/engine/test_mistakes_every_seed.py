"""Every known-wrong solution fails at every seed.

The worker grades with a different seed for every submission, so a mistake
that only random cases catch passes for some students: one seed in twenty is
a false accept for one student in twenty. Two rules close that door:

- the fixed cases (edge and convention cases, the same at every seed) alone
  catch every named mistake of the spec;
- every named mistake and every wrong sample of tests/engine/samples/ (the
  `wrong-*` and `broken-*` files: at least four `broken-*` variants per
  exercise beyond the named mistakes) fails at each of the seeds 0–199.

The sweep runs in this process, without the sandbox: a sample is executed the
way the child runs a submission (inputs passed by position, return values made
plain data), and judged by the spec's own comparator.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from engine import all_specs, get_spec
from engine.sandbox.runtime import to_plain
from engine.specs import ExerciseSpec
from engine.specs.base import Case

SAMPLES = Path(__file__).parent / "samples"
SEEDS = range(200)
MIN_BROKEN_VARIANTS = 4

Variant = tuple[str, Callable[..., Any]]


def _load_sample(path: Path, entry_point: str) -> Callable[..., Any]:
    namespace: dict[str, Any] = {"__name__": f"sample_{path.stem}"}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace[entry_point]


def _variants(spec: ExerciseSpec) -> list[Variant]:
    found: list[Variant] = [
        (f"mistake {mistake.id}", mistake.function) for mistake in spec.mistakes
    ]
    folder = SAMPLES / spec.id
    for path in sorted(folder.glob("wrong-*.py")) + sorted(folder.glob("broken-*.py")):
        found.append((f"sample {path.name}", _load_sample(path, spec.entry_point)))
    return found


def _is_fixed(case: Case) -> bool:
    return not case.label.startswith("random")


class _Judge:
    """The cases of one seed, with the reference's outputs computed once and
    only for the cases some variant reaches."""

    def __init__(self, spec: ExerciseSpec, cases: Sequence[Case]) -> None:
        self.spec = spec
        self.cases = list(cases)
        self._expected: dict[int, Any] = {}

    def expected(self, index: int) -> Any:
        if index not in self._expected:
            case = self.cases[index]
            self._expected[index] = self.spec.reference(**copy.deepcopy(case.kwargs))
        return self._expected[index]

    def first_failure(self, function: Callable[..., Any]) -> str | None:
        """The name of the first case the function gets wrong, or None."""
        for index, case in enumerate(self.cases):
            try:
                got = to_plain(function(*copy.deepcopy(case.kwargs).values()))
            except Exception:
                return case.name
            try:
                passed = self.spec.compare(self.expected(index), got).passed
            except Exception:
                passed = False
            if not passed:
                return case.name
        return None


def _ids() -> list[str]:
    return [spec.id for spec in all_specs()]


@pytest.mark.parametrize("exercise", _ids())
def test_the_fixed_cases_are_the_same_at_every_seed(exercise: str) -> None:
    spec = get_spec(exercise)
    first = [case for case in spec.cases(0) if _is_fixed(case)]
    assert first, f"{exercise}: no fixed (edge or convention) case"
    for seed in (1, 7, 199):
        again = [case for case in spec.cases(seed) if _is_fixed(case)]
        assert [(c.name, repr(c.kwargs)) for c in again] == [
            (c.name, repr(c.kwargs)) for c in first
        ], f"{exercise}: the fixed cases change with the seed"


@pytest.mark.parametrize("exercise", _ids())
def test_the_fixed_cases_alone_catch_every_named_mistake(exercise: str) -> None:
    spec = get_spec(exercise)
    judge = _Judge(spec, [case for case in spec.cases(0) if _is_fixed(case)])
    escaped = [
        mistake.id
        for mistake in spec.mistakes
        if judge.first_failure(mistake.function) is None
    ]
    assert escaped == [], f"{exercise}: no fixed case catches {escaped}"


@pytest.mark.parametrize("exercise", _ids())
def test_every_exercise_has_a_bank_of_wrong_variants(exercise: str) -> None:
    broken = list((SAMPLES / exercise).glob("broken-*.py"))
    assert len(broken) >= MIN_BROKEN_VARIANTS, (
        f"{exercise}: {len(broken)} broken-*.py variants, at least "
        f"{MIN_BROKEN_VARIANTS} are needed"
    )


@pytest.mark.slow
@pytest.mark.parametrize("exercise", _ids())
def test_every_wrong_variant_fails_at_every_seed(exercise: str) -> None:
    spec = get_spec(exercise)
    variants = _variants(spec)
    assert variants, f"{exercise}: no named mistake and no wrong sample"
    passes: dict[str, list[int]] = {}
    for seed in SEEDS:
        judge = _Judge(spec, spec.cases(seed))
        for name, function in variants:
            if judge.first_failure(function) is None:
                passes.setdefault(name, []).append(seed)
    assert passes == {}, f"{exercise}: wrong variants that pass at some seeds: " + (
        "; ".join(f"{name} at seeds {seeds[:10]}" for name, seeds in passes.items())
    )


def test_a_variant_that_only_random_cases_catch_is_found() -> None:
    """The sweep itself can fail: a 'variant' that is right on every fixed
    case and wrong on random ones passes at no seed, and one that is right
    everywhere passes at every seed."""
    spec = get_spec("iou")
    reference = spec.reference
    fixed = [case.kwargs for case in spec.cases(0) if _is_fixed(case)]

    def wrong_on_random(box_a: Any, box_b: Any) -> float:
        if {"box_a": box_a, "box_b": box_b} in fixed:
            return float(reference(box_a, box_b))
        return -1.0

    judge = _Judge(spec, spec.cases(3))
    assert judge.first_failure(wrong_on_random) is not None
    assert (
        _Judge(spec, [c for c in spec.cases(3) if _is_fixed(c)]).first_failure(
            wrong_on_random
        )
        is None
    )
    assert judge.first_failure(lambda a, b: float(reference(a, b))) is None
