"""The class-score ascent step (lecture 6.7) against an independent derivation:
backpropagation written out in NumPy, central finite differences of J, the
relation to Simonyan's raw-score step, and the worked example of the bank's
prompt."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
import yaml

from engine import get_spec
from engine.reference.class_ascent import (
    class_objective,
    class_score_ascent_step,
    class_scores,
)
from engine.reference.style import as_tensor

SPEC = get_spec("class_score_ascent_step")
BANK = (
    Path(__file__).resolve().parents[2]
    / "exercises/bank/lecture-6/6.07-visualising-networks.yaml"
)
SEEDS = (0, 1, 2, 3, 17, 199)


def _cases(seed: int) -> list[dict[str, Any]]:
    return [case.kwargs for case in SPEC.cases(seed)]


def _by_hand(case: dict[str, Any]) -> np.ndarray:
    """x + lr·(Jᵀ(onehot − p) through the ReLU mask − 2λx), in NumPy."""
    x = np.asarray(case["x"], dtype=float)
    w1, b1, w2, b2 = (
        np.asarray(case[k], dtype=float) for k in ("w1", "b1", "w2", "b2")
    )
    z = w1 @ x.reshape(-1) + b1
    s = w2 @ np.maximum(z, 0.0) + b2
    p = np.exp(s - s.max())
    p /= p.sum()
    d_scores = np.eye(len(s))[case["target"]] - p
    d_v = w1.T @ ((w2.T @ d_scores) * (z > 0))
    grad = d_v.reshape(x.shape) - 2 * case["lam"] * x
    result: np.ndarray = x + case["lr"] * grad
    return result


def _objective(case: dict[str, Any], x: np.ndarray) -> float:
    """J(x) in NumPy: log softmax(s)[target] − λ Σ x²."""
    w1, b1, w2, b2 = (
        np.asarray(case[k], dtype=float) for k in ("w1", "b1", "w2", "b2")
    )
    s = w2 @ np.maximum(w1 @ x.reshape(-1) + b1, 0.0) + b2
    log_p = s - s.max() - np.log(np.exp(s - s.max()).sum())
    return float(log_p[case["target"]] - case["lam"] * (x**2).sum())


@pytest.mark.parametrize("seed", SEEDS)
def test_the_reference_matches_backpropagation_by_hand(seed: int) -> None:
    for case in _cases(seed):
        np.testing.assert_allclose(
            class_score_ascent_step(**case), _by_hand(case), rtol=1e-12, atol=1e-12
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_step_is_lr_times_the_finite_difference_gradient(seed: int) -> None:
    for case in _cases(seed):
        x = np.asarray(case["x"], dtype=float)
        numeric = np.zeros_like(x)
        h = 1e-6
        for index in np.ndindex(x.shape):
            up, down = x.copy(), x.copy()
            up[index] += h
            down[index] -= h
            numeric[index] = (_objective(case, up) - _objective(case, down)) / (2 * h)
        step = (class_score_ascent_step(**case) - x) / case["lr"]
        np.testing.assert_allclose(step, numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_small_step_raises_the_objective(seed: int) -> None:
    for case in _cases(seed):
        x = np.asarray(case["x"], dtype=float)
        small = dict(case, lr=1e-3)
        assert _objective(case, class_score_ascent_step(**small)) > _objective(case, x)


def test_the_raw_score_step_differs_by_the_probability_weighted_score_gradients() -> (
    None
):
    """∇ log p_t = ∇s_t − Σ_k p_k ∇s_k: Simonyan's raw-score step minus the
    notes' step is lr·Σ_k p_k ∇s_k."""
    raw = next(m for m in SPEC.mistakes if m.id == "class-ascent-raw-score").function
    for case in _cases(5):
        image = as_tensor(case["x"])
        params = [case[k] for k in ("w1", "b1", "w2", "b2")]
        jacobian = torch.autograd.functional.jacobian(
            lambda im, params=params: class_scores(im, *params), image
        )  # (K, C, H, W)
        p = torch.softmax(class_scores(image, *params), dim=0)
        expected = case["lr"] * torch.einsum("k,k...->...", p, jacobian).numpy()
        np.testing.assert_allclose(
            raw(**case) - class_score_ascent_step(**case), expected, atol=1e-12
        )


def test_the_objective_is_the_log_probability_minus_the_squared_norm() -> None:
    case = _cases(0)[2]
    image = as_tensor(case["x"])
    value = class_objective(
        image, case["w1"], case["b1"], case["w2"], case["b2"], case["target"], 0.25
    )
    scores = class_scores(image, case["w1"], case["b1"], case["w2"], case["b2"])
    log_p = torch.log(torch.softmax(scores, 0)[case["target"]])
    assert float(value) == pytest.approx(float(log_p - 0.25 * image.pow(2).sum()))


def test_the_fixed_cases_hold_what_their_labels_say() -> None:
    from engine.specs.visualisation_class_ascent import (
        _pre_activations,
        _probabilities,
    )

    fixed = {case.name: case.kwargs for case in SPEC.cases(0) if case.label != "random"}
    for case in fixed.values():
        assert np.abs(_pre_activations(case)).min() > 1e-3
    assert fixed["no penalty"]["lam"] == 0.0
    assert np.shape(fixed["one pixel"]["x"]) == (1, 1, 1)
    assert np.shape(fixed["two channels"]["x"])[0] == 2
    confident = fixed["confident class"]
    assert _probabilities(confident)[confident["target"]] > 0.95
    unlikely = fixed["unlikely target"]
    p = _probabilities(unlikely)
    assert unlikely["target"] == int(p.argmin()) and p.min() < 0.2


def _prompt() -> str:
    topic = yaml.safe_load(BANK.read_text())
    [exercise] = [e for e in topic["coding"] if e["slug"] == "class_score_ascent_step"]
    return re.sub(r"\s+", " ", str(exercise["prompt"]))


def test_the_prompts_worked_example_is_what_the_reference_computes() -> None:
    example = {
        "x": [[[0.5, -0.5]]],
        "w1": [[1, 0], [0, -1]],
        "b1": [0, 0],
        "w2": [[1, 0], [0, 1]],
        "b2": [0, 0],
        "target": 0,
        "lam": 0.1,
        "lr": 0.5,
    }
    prompt = _prompt()
    assert "**Example.**" in prompt
    for name, value in example.items():
        assert f"`{name} = {value}`" in prompt, name
    result = class_score_ascent_step(**example)
    assert f"`{np.round(result, 6).tolist()}`" in prompt
    np.testing.assert_allclose(result, [[[0.7, -0.2]]], atol=1e-12)
    # the intermediate numbers the example quotes
    image = as_tensor(example["x"])
    scores = class_scores(
        image, example["w1"], example["b1"], example["w2"], example["b2"]
    )
    np.testing.assert_allclose(scores.numpy(), [0.5, 0.5])
    np.testing.assert_allclose(torch.softmax(scores, 0).numpy(), [0.5, 0.5])
    step = (result - np.asarray(example["x"])) / example["lr"]
    penalty = -2 * example["lam"] * np.asarray(example["x"])
    np.testing.assert_allclose(penalty, [[[-0.1, 0.1]]])
    np.testing.assert_allclose(step - penalty, [[[0.5, 0.5]]], atol=1e-12)
    for quoted in ("s = (0.5, 0.5)", "p = (0.5, 0.5)", "(0.5, 0.5)", "(-0.1, 0.1)"):
        assert quoted in prompt, quoted
