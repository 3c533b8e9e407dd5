"""Error carried forward meets the student's earlier answers whatever their
shape: a follow that cannot use them carries nothing, and never raises."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest

from exercises.bank import course_read
from exercises.checkers import check
from exercises.checkers.multistep import check_multistep
from exercises.variants import Variant, variant_for

SEEDS = range(5)
WRONG_SIZES = [0.5, np.arange(7.0), np.ones((3, 3))]


def _variant(generator: str, seed: int) -> Variant:
    return variant_for({"generator": generator}, seed)


def _follows(variant: Variant, part: str, earlier: dict[str, Any]) -> Any:
    assert variant.follow is not None
    return variant.follow(part, earlier)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("wrong", WRONG_SIZES, ids=["scalar", "seven", "3x3"])
def test_it_carries_nothing_from_an_ascent_step_part_of_another_size(
    seed: int, wrong: Any
) -> None:
    variant = _variant("vis_ascent_step", seed)
    assert _follows(variant, "grad", {"h": wrong}) is None
    assert _follows(variant, "x_new", {"grad": wrong}) is None


@pytest.mark.parametrize("seed", SEEDS)
def test_it_still_carries_the_ascent_step_from_answers_of_the_right_size(
    seed: int,
) -> None:
    variant = _variant("vis_ascent_step", seed)
    answer = variant.answer
    grad = _follows(variant, "grad", {"h": answer["h"].reshape(1, 2)})
    assert np.allclose(grad, answer["grad"])
    x_new = _follows(variant, "x_new", {"grad": answer["grad"].ravel()})
    assert np.allclose(x_new, answer["x_new"])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("wrong", WRONG_SIZES, ids=["scalar", "seven", "3x3"])
def test_it_carries_nothing_from_an_adversarial_part_of_another_size(
    seed: int, wrong: Any
) -> None:
    linear = _variant("adv_linear_fool", seed)
    assert _follows(linear, "after", {"x_new": wrong}) is None
    mlp = _variant("adv_fgsm_mlp", seed)
    assert _follows(mlp, "sign", {"hidden": wrong}) is None
    assert _follows(mlp, "x_adv", {"sign": wrong}) is None


@pytest.mark.parametrize("seed", SEEDS)
def test_it_still_carries_the_adversarial_steps_from_answers_of_the_right_size(
    seed: int,
) -> None:
    linear = _variant("adv_linear_fool", seed)
    after = _follows(linear, "after", {"x_new": linear.answer["x_new"]})
    assert after == pytest.approx(linear.answer["after"])
    mlp = _variant("adv_fgsm_mlp", seed)
    sign = _follows(mlp, "sign", {"hidden": mlp.answer["hidden"]})
    assert np.array_equal(sign, mlp.answer["sign"])
    x_adv = _follows(mlp, "x_adv", {"sign": mlp.answer["sign"].reshape(1, 3)})
    assert np.allclose(x_adv, mlp.answer["x_adv"])


def test_it_marks_a_part_whose_follow_cannot_use_the_earlier_answers() -> None:
    def follow(part: str, earlier: dict[str, Any]) -> Any:
        if part == "b" and "a" in earlier:
            return np.ones(2) + np.asarray(earlier["a"])  # raises for 3 entries
        return None

    spec = {
        "parts": [
            {"name": "a", "kind": "matrix", "tolerance": {"abs": 0.001}},
            {"name": "b", "kind": "matrix", "tolerance": {"abs": 0.001}},
        ]
    }
    variant = Variant(answer={"a": np.ones(2), "b": np.full(2, 2.0)}, follow=follow)
    answer = {"parts": {"a": {"value": "1 2 3"}, "b": {"value": "2 3 4"}}}
    result = check_multistep(spec, answer, variant)
    assert result.readable and not result.correct
    assert [p["status"] for p in result.details["parts"].values()] == ["wrong"] * 2


@functools.cache
def _multistep_questions() -> list[dict[str, Any]]:
    return [
        question
        for topic in course_read().topics
        for question in topic.data.get("questions", [])
        if question.get("kind") == "multistep" and question.get("generator")
    ]


@pytest.mark.parametrize("value", ["0.5", "1 2 3 4 5 6 7", "1 2; 3 4; 5 6"])
def test_it_checks_every_multistep_question_whatever_shape_each_part_has(
    value: str,
) -> None:
    failures = []
    for question in _multistep_questions():
        answer = {"parts": {p["name"]: {"value": value} for p in question["parts"]}}
        try:
            result = check("multistep", question, answer, variant_for(question, 1))
        except Exception as exc:
            failures.append(f"{question['slug']}: {type(exc).__name__}: {exc}")
            continue
        assert result.readable or result.message, question["slug"]
    assert not failures, "\n".join(failures)
