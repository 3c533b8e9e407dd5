"""What an exercise spec is: data plus a few small functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from engine.compare import Comparator
from engine.sandbox.types import Limits


@dataclass(frozen=True)
class Case:
    """One call of the student's function: keyword arguments as plain data.

    `label` says what the case is for ("edge: disjoint boxes", "random");
    hidden cases are graded like the rest but a front end may keep their
    inputs from the student.
    """

    name: str
    kwargs: dict[str, Any]
    label: str = ""
    hidden: bool = False


@dataclass(frozen=True)
class Mistake:
    """A known-wrong variant of the reference: a misconception with a name.

    Its hint ladder has three levels (Andes' pointing, teaching and bottom-out
    hints): `point` directs attention to where the mistake lives without
    giving the answer; `explanation` teaches the principle; `fix` states the
    corrected formula or lines."""

    id: str
    title: str
    explanation: str
    function: Callable[..., Any]
    point: str = ""
    fix: str = ""

    @property
    def hints(self) -> tuple[str, str, str]:
        return (self.point, self.explanation, self.fix)


@dataclass(frozen=True)
class Property:
    """A law the maths guarantees (IoU symmetric and in [0, 1], Gram symmetric
    PSD, FGSM moves every value by exactly ±ε …), checked on the student's
    outputs. `check` receives every case and the student's output for each
    (None where that case raised) and returns a message when the law breaks.
    Relational laws (symmetry, idempotence) pair cases by name."""

    id: str
    description: str
    check: Callable[[Sequence[Case], Sequence[Any]], str | None]


@dataclass(frozen=True)
class ShapePromise:
    """What the statement promises about the output's shape for one form of
    input ("a single sample x of shape (D,) gives h and C of shape (H,)").

    `says` is the statement's own words for the promise (the statement must
    contain them); `applies` tells whether a case's inputs have this form;
    `shape` gives the promised shape of the output for those inputs: a tuple
    of ints, or for a function returning several arrays a tuple of such
    tuples, one per part. A test holds every promise against the reference's
    outputs on the fixed cases, and every fixed case to some promise."""

    says: str
    applies: Callable[[dict[str, Any]], bool]
    shape: Callable[[dict[str, Any]], tuple[Any, ...]]


def per_case(
    test: Callable[[dict[str, Any], Any], str | None],
) -> Callable[[Sequence[Case], Sequence[Any]], str | None]:
    """Lift a check of one case's output into a Property check over all cases."""

    def check(cases: Sequence[Case], outputs: Sequence[Any]) -> str | None:
        for case, output in zip(cases, outputs, strict=True):
            if output is None:
                continue
            try:
                problem = test(case.kwargs, output)
            except Exception:  # noqa: BLE001, S112 - malformed output: the comparator says so
                continue
            if problem:
                return f"{case.name}: {problem}"
        return None

    return check


@dataclass(frozen=True)
class ExerciseSpec:
    id: str
    title: str
    topic: str
    entry_point: str
    signature: str
    statement: str
    reference: Callable[..., Any]
    make_cases: Callable[[int], Sequence[Case]]
    compare: Comparator
    mistakes: tuple[Mistake, ...] = ()
    properties: tuple[Property, ...] = ()
    forbidden: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    # The output shapes the statement promises, for specs returning arrays.
    shapes: tuple[ShapePromise, ...] = ()
    # The reference's outputs, one per case, when they were computed ahead of
    # time (an instructor's own exercise: in the sandbox, at validation); its
    # cases are then the same for every seed. None: call `reference`.
    expected: tuple[Any, ...] | None = None

    def cases(self, seed: int = 0) -> list[Case]:
        return list(self.make_cases(seed))


def with_inputs(cases: Sequence[Case], convert: Callable[[Any], Any]) -> list[Case]:
    """The cases with every input passed through `convert`."""
    return [
        replace(
            case, kwargs={key: convert(value) for key, value in case.kwargs.items()}
        )
        for case in cases
    ]


def as_lists(cases: Sequence[Case]) -> list[Case]:
    """The cases with array inputs as nested lists: plain data, shown to
    students and compared by value."""
    return with_inputs(cases, lambda v: v.tolist() if isinstance(v, np.ndarray) else v)


def swapped_pairs_agree(
    describe: Callable[[float, float], str], tolerance: float = 1e-9
) -> Callable[[Sequence[Case], Sequence[Any]], str | None]:
    """A symmetry law over cases paired by name: case "X swapped" holds the
    arguments of case "X" in the other order, and both must give one value.
    `describe(value, twin)` words the failure."""

    def check(cases: Sequence[Case], outputs: Sequence[Any]) -> str | None:
        by_name = dict(zip((case.name for case in cases), outputs, strict=True))
        for name, value in by_name.items():
            twin = by_name.get(f"{name} swapped")
            if value is None or twin is None:
                continue
            if abs(float(value) - float(twin)) > tolerance:
                return describe(float(value), float(twin))
        return None

    return check
