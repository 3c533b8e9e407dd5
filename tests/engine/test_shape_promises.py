"""Statements promise exact output shapes, and the reference keeps them.

A solution written to the letter of its statement must pass: when a statement
says "(h, C), both of shape (N, H)" but a single sample must give (H,), the
student who believed it fails. Each spec that returns arrays therefore lists
its shape promises (`ExerciseSpec.shapes`): the statement's own words, which
inputs they are about, and the shape they promise. Here every promise is held
against the reference's outputs on the fixed cases, and every fixed case must
fall under some promise, so that each form of input the grader sends has its
shape stated.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from engine import all_specs, get_spec
from engine.sandbox.runtime import to_plain
from engine.specs import ExerciseSpec
from engine.specs.base import Case


def _fixed(spec: ExerciseSpec) -> list[Case]:
    return [case for case in spec.cases(0) if not case.label.startswith("random")]


def _arrays_in(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return value.ndim >= 1
    if isinstance(value, (list, tuple)):
        return any(isinstance(part, np.ndarray) and part.ndim >= 1 for part in value)
    return False


def _shape_of(value: Any) -> tuple[Any, ...]:
    if isinstance(value, tuple):
        return tuple(tuple(np.shape(part)) for part in value)
    return tuple(np.shape(value))


def _output(spec: ExerciseSpec, case: Case) -> Any:
    return to_plain(spec.reference(**copy.deepcopy(case.kwargs)))


def _array_specs() -> list[str]:
    return [
        spec.id
        for spec in all_specs()
        if any(_arrays_in(_output(spec, case)) for case in _fixed(spec))
    ]


@pytest.mark.parametrize("exercise", _array_specs())
def test_the_statement_promises_every_shape_the_reference_returns(
    exercise: str,
) -> None:
    spec = get_spec(exercise)
    assert spec.shapes, f"{exercise}: returns arrays but promises no shapes"
    for promise in spec.shapes:
        assert promise.says in spec.statement, (
            f"{exercise}: the statement does not say {promise.says!r}"
        )
    used = set()
    for case in _fixed(spec):
        promises = [p for p in spec.shapes if p.applies(copy.deepcopy(case.kwargs))]
        assert promises, f"{exercise}: no promised shape covers {case.name}"
        got = _shape_of(_output(spec, case))
        for promise in promises:
            used.add(promise.says)
            want = promise.shape(copy.deepcopy(case.kwargs))
            assert got == want, (
                f"{exercise}, {case.name}: the statement says {promise.says!r} "
                f"(shape {want}) but the reference returns shape {got}"
            )
    unused = [p.says for p in spec.shapes if p.says not in used]
    assert unused == [], f"{exercise}: promises no fixed case exercises: {unused}"
