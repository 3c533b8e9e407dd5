"""Running an instructor's own case generator and reference solution.

Instructor code is as untrusted as a student's (an account can be careless or
compromised), so both run in the sandbox, through the same runner and the
same data-only wire as a submission; only their outputs come back, and they
are checked here. A problem in the instructor's code raises `AuthoringError`
with a message written for the instructor; a sandbox fault raises the
runner's own error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from engine.sandbox.types import Job, Limits, RunOutcome
from engine.stored import StoredDataError, to_stored

SEEDS = (0, 1, 2)
MAX_CASES = 100
MAX_ARGUMENTS = 20
MAX_LABEL = 200
MAX_STORED_CHARS = 2_000_000
CASE_KEYS = {"inputs", "label", "hidden"}


class Runner(Protocol):
    def run(self, job: Job, limits: Limits) -> RunOutcome: ...


class AuthoringError(Exception):
    """A fault of the instructor's code, said so that it can be fixed."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class GeneratedCase:
    inputs: tuple[tuple[str, Any], ...]  # (argument, stored value), in order
    label: str
    hidden: bool

    def kwargs(self) -> dict[str, Any]:
        from engine.stored import from_stored

        return {name: from_stored(value) for name, value in self.inputs}


def generate_cases(
    source: str, *, runner: Runner, limits: Limits, seeds: Sequence[int] = SEEDS
) -> list[GeneratedCase]:
    """`cases(seed)` for every seed, twice (the second time in the other order,
    in another process): the cases must be well-formed plain data, depend on
    the seed alone, and keep to the size limits. Duplicates across seeds
    (fixed edge cases) are kept once."""
    what = "The case generator"
    first = _values(_run(runner, Job(source, "cases", _seeds(seeds)), limits, what))
    again = _values(
        _run(runner, Job(source, "cases", _seeds(reversed(seeds))), limits, what)
    )
    found: dict[str, GeneratedCase] = {}
    for seed, value, twin in zip(seeds, first, reversed(again), strict=True):
        _require_returned(value, f"cases({seed})")
        cases = _check_cases(value["value"], seed)
        _require_returned(twin, f"cases({seed}), called a second time,")
        if not _same(twin["value"], value["value"]):
            raise AuthoringError(
                f"cases({seed}) returned different cases when called again: the "
                "cases must depend on the seed alone (use "
                "np.random.default_rng(seed), not the global random state)."
            )
        for case in cases:
            found.setdefault(_canonical(case.inputs), case)
    return _within_limits(list(found.values()))


def expected_outputs(
    source: str,
    entry_point: str,
    cases: Sequence[GeneratedCase],
    *,
    runner: Runner,
    limits: Limits,
) -> list[Any]:
    """The reference's output on every case, as stored data (`to_stored`),
    computed twice (the second run in another process, in the other order)
    and required to be identical."""
    what = "The reference solution"
    calls = [case.kwargs() for case in cases]
    first = _values(_run(runner, Job(source, entry_point, calls), limits, what))
    again = _values(_run(runner, Job(source, entry_point, calls[::-1]), limits, what))[
        ::-1
    ]
    outputs = []
    for number, (case, value, twin) in enumerate(
        zip(cases, first, again, strict=True), start=1
    ):
        where = f"case {number}" + (f" ({case.label})" if case.label else "")
        _require_returned(value, f"The reference on {where}")
        output = _stored(value["value"], f"The reference's output on {where}")
        _require_returned(twin, f"The reference, run a second time on {where},")
        if not _same(twin["value"], value["value"]):
            raise AuthoringError(
                f"The reference gave different outputs on {where} in two runs: "
                "it must be deterministic (seed any randomness, do not depend on "
                "the order of the calls or on global state)."
            )
        outputs.append(output)
    if all(output is None for output in outputs):
        raise AuthoringError(
            f"The reference returned None on every case: does `{entry_point}` "
            "return its result?"
        )
    size = len(_canonical(outputs))
    if size > MAX_STORED_CHARS:
        raise AuthoringError(
            f"The reference's outputs take {size:,} characters as JSON; at most "
            f"{MAX_STORED_CHARS:,} are allowed: use smaller cases."
        )
    return outputs


# ------------------------------------------------------------------ running


_RUN_PROBLEMS = {
    "syntax_error": "has a syntax error",
    "import_error": "raised an error while loading",
    "wrong_signature": "cannot be called with the case's arguments",
}


def _run(runner: Runner, job: Job, limits: Limits, what: str) -> RunOutcome:
    outcome = runner.run(job, limits)
    if outcome.status == "ok":
        if len(outcome.results) != len(job.cases):
            raise AuthoringError(f"{what} returned no result for some calls.")
        return outcome
    if outcome.status == "missing_entry_point":
        raise AuthoringError(f"{what} does not define a function `{job.entry_point}`.")
    error = outcome.error.strip()
    last = error.splitlines()[-1] if error else ""
    where = f" (line {outcome.line}, column {outcome.column})" if outcome.line else ""
    # Limits, crashes: the runner's error says what happened.
    problem = _RUN_PROBLEMS.get(outcome.status, "was stopped")
    raise AuthoringError(
        f"{what} {problem}{where}" + (f": {last}" if last else "."), detail=error
    )


def _values(outcome: RunOutcome) -> list[dict[str, Any]]:
    return list(outcome.results)


def _seeds(seeds: Iterable[int]) -> list[dict[str, Any]]:
    return [{"seed": seed} for seed in seeds]


def _require_returned(result: dict[str, Any], what: str) -> None:
    if result.get("ok"):
        return
    error = str(result.get("error", "")).strip()
    last = error.splitlines()[-1] if error else "an error"
    raise AuthoringError(f"{what} raised {last}", detail=error)


# ------------------------------------------------------------------ checking


def _check_cases(value: Any, seed: int) -> list[GeneratedCase]:
    where = f"cases({seed})"
    if not isinstance(value, (list, tuple)) or not value:
        raise AuthoringError(
            f"{where} must return a non-empty list of cases, not {_kind(value)}."
        )
    cases = [_check_case(item, f"{where}[{i}]") for i, item in enumerate(value)]
    arguments = [name for name, _ in cases[0].inputs]
    for i, case in enumerate(cases):
        names = [name for name, _ in case.inputs]
        if names != arguments:
            raise AuthoringError(
                f"{where}[{i}] has the arguments ({', '.join(names)}), but the first "
                f"case has ({', '.join(arguments)}): every case must give the same "
                "arguments in the same order (they are passed by position)."
            )
    return cases


def _check_case(item: Any, where: str) -> GeneratedCase:
    if not isinstance(item, dict) or "inputs" not in item:
        raise AuthoringError(
            f'{where} must be a dictionary with "inputs" (and optionally "label" '
            f'and "hidden"), not {_kind(item)}.'
        )
    unknown = sorted(set(item) - CASE_KEYS)
    if unknown:
        raise AuthoringError(f"{where} has unknown keys: {', '.join(unknown)}.")
    inputs, label, hidden = item["inputs"], item.get("label", ""), item.get("hidden")
    if not isinstance(inputs, dict) or len(inputs) > MAX_ARGUMENTS:
        raise AuthoringError(
            f'{where}["inputs"] must be a dictionary of at most {MAX_ARGUMENTS} '
            f"arguments, not {_kind(inputs)}."
        )
    bad = [name for name in inputs if not str(name).isidentifier()]
    if bad:
        raise AuthoringError(f"{where}: {bad[0]!r} is not a valid argument name.")
    if not isinstance(label, str) or len(label) > MAX_LABEL:
        raise AuthoringError(f'{where}["label"] must be text of at most {MAX_LABEL}.')
    if hidden not in (None, True, False):
        raise AuthoringError(f'{where}["hidden"] must be true or false.')
    stored = tuple(
        (name, _stored(value, f'{where}["inputs"][{name!r}]'))
        for name, value in inputs.items()
    )
    return GeneratedCase(stored, label, bool(hidden))


def _stored(value: Any, what: str) -> Any:
    try:
        return to_stored(value)
    except StoredDataError as exc:
        raise AuthoringError(f"{what} is not plain data: {exc}.") from None


def _stored_or_none(value: Any) -> Any:
    try:
        return to_stored(value)
    except StoredDataError:
        return None


def _same(value: Any, other: Any) -> bool:
    return _canonical(_stored_or_none(value)) == _canonical(_stored_or_none(other))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _within_limits(cases: list[GeneratedCase]) -> list[GeneratedCase]:
    if len(cases) > MAX_CASES:
        raise AuthoringError(
            f"The generator made {len(cases)} distinct cases over seeds "
            f"{', '.join(map(str, SEEDS))}; at most {MAX_CASES} are allowed."
        )
    size = sum(len(_canonical(case.inputs)) for case in cases)
    if size > MAX_STORED_CHARS:
        raise AuthoringError(
            f"The cases' inputs take {size:,} characters as JSON; at most "
            f"{MAX_STORED_CHARS:,} are allowed: use smaller arrays."
        )
    return cases


def _kind(value: Any) -> str:
    if isinstance(value, (list, tuple)) and not value:
        return "an empty list"
    return f"a value of type {type(value).__name__}"
