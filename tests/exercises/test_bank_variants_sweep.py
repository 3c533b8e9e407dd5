"""No parameterised question ever gets a degenerate variant (issue 17, item 5).

Every question of the bank that names a generator is swept (the bank files are
read here, so a question added tomorrow is swept too). At every seed 0 … 999:

- the generator draws without an error (NumPy's division by zero and invalid
  operations raise during the draw) and its own `holds` check passes: that is
  where each generator states its key's range (a probability in (0, 1), an
  IoU in (0.05, 0.95), a rate in [lr_min, lr_max] …) and its other promises;
- every number of the answer and of the values is finite;
- for a numeric, matrix, ordering or choice question, the key passes the
  question's checker and every typical wrong answer (its `wrong:` list, filled
  with the variant's values) fails it with the question's own tolerance, and
  can be read: a slip that equals the key would make two answers right
  (bank_checks' correct_input, wrong_inputs and check);
- the options of a choice question and the items of an ordering question, as
  filled with the variant's values, are distinct;
- a promised figure (`figure:` in the spec) has something to draw.

At every CHECK_EVERY-th seed a multi-step question goes through the checker
too: its key passes, a slip in the first part fails, and is marked once, not
again in the parts computed from it (error carried forward). Its parts'
values are checked at every seed above; reading them back through the checker
at all 1000 would cost more than the rest of the sweep.

At every PRESENT_EVERY-th seed the question is rendered as a student sees it
(validate_course's own check: nothing left unfilled, every formula typesets;
validate_course renders seeds 0 … 19).

A generator no question names yet is swept with empty parameters (draw, holds,
finite numbers), and every generator must have a `holds` check. Each failure
names the question, the generator and the seed.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import pytest
import torch

from exercises.bank import course_objects, course_read
from exercises.bank_checks import (
    _carried_forward_problems,
    correct_input,
    validate_question,
    wrong_inputs,
)
from exercises.checkers import check
from exercises.models import Question
from exercises.presentation import Presented, fill
from exercises.variants import Generator, Variant, all_generators, get_generator
from tests.exercises.test_bank_options import _shown

SEEDS = range(1000)
CHECK_EVERY = 10  # multi-step questions through the checker: seeds 0, 10, 20 …
PRESENT_EVERY = 200  # rendered in full: seeds 0, 200, … 800
SHOWN = 12  # failures printed per question (all are counted)


@cache
def _questions() -> dict[str, Question]:
    questions, _, _ = course_objects(course_read())
    return {q.slug: q for q in questions if q.spec.get("generator")}


def _orphans() -> list[str]:
    named = {q.spec["generator"] for q in _questions().values()}
    return [g.name for g in all_generators() if g.name not in named]


# ------------------------------------------------------------------ the checks


def _draw(generator: Generator, spec: dict[str, Any], seed: int) -> Variant:
    """The variant for `seed`, drawn as variant_for draws it, with NumPy's
    division by zero and invalid operations raised rather than turned into
    inf or NaN."""
    with np.errstate(divide="raise", invalid="raise"):
        return generator.make(np.random.default_rng(seed), dict(spec.get("params", {})))


def _holds(generator: Generator, variant: Variant) -> list[str]:
    broken = generator.holds(variant) if generator.holds else None
    return [f"guarantee broken: {broken}"] if broken else []


def _non_finite(value: Any, where: str, found: list[str]) -> None:
    """Add where a number inside a value (dicts, lists, arrays, tensors) is NaN
    or infinite to `found`; strings, labels and other objects are skipped."""
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            found.append(f"{where} is {value}")
    elif isinstance(value, dict):
        for key, item in value.items():
            _non_finite(item, f"{where}.{key}", found)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _non_finite(item, f"{where}[{index}]", found)
    elif isinstance(value, np.ndarray):
        if np.issubdtype(value.dtype, np.inexact) and not np.isfinite(value).all():
            for entry in np.argwhere(~np.isfinite(value)):
                found.append(f"{where}{entry.tolist()} is {value[tuple(entry)]}")
    elif isinstance(value, torch.Tensor) and value.is_floating_point():
        meta = value.device.type == "meta"  # a shape without numbers
        _non_finite(None if meta else value.detach().numpy(), where, found)


def _not_finite(variant: Variant) -> list[str]:
    found: list[str] = []
    _non_finite(variant.answer, "answer", found)
    _non_finite(variant.values, "values", found)
    return [f"{where} (a division by zero or an overflow)" for where in found]


def _answer_problems(question: Question, variant: Variant) -> list[str]:
    """The key passes the checker; every typical wrong answer is read and
    fails; for a multi-step question, a first-part slip is marked once."""
    kind, spec = question.kind, question.spec
    problems = []
    right = check(kind, spec, correct_input(kind, spec, variant), variant)
    if not (right.readable and right.correct):
        problems.append(f"the key fails its own checker: {right.message}")
    for wrong in wrong_inputs(kind, spec, variant):
        result = check(kind, spec, wrong, variant)
        if result.correct:
            problems.append(
                f"the typical wrong answer {wrong} passes too (two right answers)"
            )
        elif not result.readable:
            problems.append(
                f"the typical wrong answer {wrong} cannot be read: {result.message}"
            )
    if kind == "multistep" and variant.follow is not None:
        problems += _carried_forward_problems(spec, variant)
    return problems


def _repeats(texts: list[str]) -> list[str]:
    shown = [_shown(text) for text in texts]
    return sorted({text for text in shown if shown.count(text) > 1})


def _choice_problems(question: Question, variant: Variant) -> list[str]:
    spec, values = question.spec, variant.values
    problems = []
    if spec.get("options"):
        texts = [fill(str(option["text"]), values) for option in spec["options"]]
        problems += [f"two options read {text!r}" for text in _repeats(texts)]
    if question.kind == "ordering" and spec.get("items"):
        texts = [fill(str(item), values) for item in spec["items"]]
        problems += [f"two items read {text!r}" for text in _repeats(texts)]
    return problems


def _figure_problems(question: Question, seed: int, variant: Variant) -> list[str]:
    if not question.spec.get("figure"):
        return []
    shown = Presented(question, seed, variant)
    if "<rect" not in shown.figure:
        return [f"the {question.spec['figure']!r} figure has nothing to draw"]
    return []


def _variant_problems(question: Question, generator: Generator, seed: int) -> list[str]:
    try:
        variant = _draw(generator, question.spec, seed)
    except Exception as exc:
        return [f"could not be drawn: {type(exc).__name__}: {exc}"]
    problems = _holds(generator, variant) + _not_finite(variant)
    if question.kind != "multistep" or seed % CHECK_EVERY == 0:
        try:
            problems += _answer_problems(question, variant)
        except Exception as exc:
            problems.append(f"could not be checked: {type(exc).__name__}: {exc}")
    problems += _choice_problems(question, variant)
    problems += _figure_problems(question, seed, variant)
    return problems


def _untypeset(latex: str, display: bool = False) -> str:
    return latex


def _report(where: str, problems: list[str]) -> str:
    lines = problems[:SHOWN]
    more = len(problems) - len(lines)
    return f"{where}: {len(problems)} degenerate draw(s):\n  " + "\n  ".join(
        lines + ([f"… and {more} more"] if more > 0 else [])
    )


# ------------------------------------------------------------------- the tests


@pytest.mark.slow
@pytest.mark.parametrize(
    "slug",
    [
        pytest.param(slug, id=f"{slug}[{q.spec['generator']}]")
        for slug, q in sorted(_questions().items())
    ],
)
def test_no_variant_is_degenerate(slug: str, monkeypatch: pytest.MonkeyPatch) -> None:
    question = _questions()[slug]
    name = question.spec["generator"]
    generator = get_generator(name)
    # The matrix checker typesets how it read the answer, for the student; the
    # verdict does not depend on it, and typesetting it 1000 times would cost
    # as much as the rest of the sweep. The rendered seeds typeset everything.
    monkeypatch.setattr("exercises.checkers.matrix.latex_to_mathml", _untypeset)
    problems = []
    for seed in SEEDS:
        where = f"{slug} ({name}, seed {seed})"
        found = _variant_problems(question, generator, seed)
        problems += [f"{where}: {p}" for p in found]
    monkeypatch.undo()
    for seed in SEEDS[::PRESENT_EVERY]:
        try:
            rendered = validate_question(question, range(seed, seed + 1))
        except Exception as exc:
            rendered = [f"{slug} (seed {seed}): {type(exc).__name__}: {exc}"]
        for problem in rendered:
            shown = problem.replace(f"{slug} (seed", f"{slug} ({name}, seed", 1)
            problems.append(f"{shown} (as rendered)")
    assert not problems, _report(f"{slug} ({name})", problems)


@pytest.mark.slow
def test_a_generator_no_question_names_is_not_degenerate() -> None:
    """Today every generator is named by a question, so this sweeps nothing;
    one loop (not a parametrisation, which would skip when empty) keeps it
    ready for a generator written before its question."""
    problems = []
    for name in _orphans():
        generator = get_generator(name)
        for seed in SEEDS:
            where = f"generator {name} (no question yet, seed {seed})"
            try:
                variant = _draw(generator, {}, seed)
            except Exception as exc:
                problems.append(
                    f"{where}: could not be drawn: {type(exc).__name__}: {exc}"
                )
                continue
            found = _holds(generator, variant) + _not_finite(variant)
            problems += [f"{where}: {p}" for p in found]
    assert not problems, _report("generators no question names", problems)


def test_every_generator_checks_its_guarantees() -> None:
    """A generator without `holds` states nothing the sweep can hold it to."""
    unchecked = sorted(g.name for g in all_generators() if g.holds is None)
    assert unchecked == [], f"generators without a holds check: {unchecked}"
