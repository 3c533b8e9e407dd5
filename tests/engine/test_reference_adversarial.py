"""The adversarial references against independent computations: PyTorch's own
modules and loss, hand-derived and finite-difference gradients."""

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engine.reference import adversarial
from engine.specs import get_spec


def model(seed: int, features: int = 5, hidden: int = 4, classes: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "w1": rng.uniform(-1.5, 1.5, (hidden, features)),
        "b1": rng.uniform(-0.3, 0.3, hidden),
        "w2": rng.uniform(-1.5, 1.5, (classes, hidden)),
        "b2": rng.uniform(-0.3, 0.3, classes),
    }


def torch_module(m: dict) -> torch.nn.Sequential:
    """The same MLP as nn.Linear layers: nn.Linear stores W as (out, in), as we do."""
    net = torch.nn.Sequential(
        torch.nn.Linear(m["w1"].shape[1], m["w1"].shape[0]),
        torch.nn.ReLU(),
        torch.nn.Linear(m["w2"].shape[1], m["w2"].shape[0]),
    ).double()
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor(m["w1"]))
        net[0].bias.copy_(torch.tensor(m["b1"]))
        net[2].weight.copy_(torch.tensor(m["w2"]))
        net[2].bias.copy_(torch.tensor(m["b2"]))
    return net.eval()


def numpy_gradient(x: np.ndarray, y: np.ndarray, m: dict) -> np.ndarray:
    """∇ₓ of the mean cross-entropy, by hand: W1ᵀ(relu' ⊙ W2ᵀ(p − onehot(y)))/N."""
    pre = x @ m["w1"].T + m["b1"]
    logits = np.maximum(pre, 0) @ m["w2"].T + m["b2"]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return ((p @ m["w2"]) * (pre > 0)) @ m["w1"] / len(y)


# ----------------------------------------------------------- linear fooling


def test_fool_linear_worked_numbers() -> None:
    got = adversarial.fool_linear([0.2, 0.5, 0.9], [1.0, -2.0, 0.5], 0.1)
    np.testing.assert_allclose(got, [0.3, 0.3, 0.95], rtol=0, atol=1e-15)


@settings(max_examples=50, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 6)),
        elements=st.floats(-1, 1),
    ),
    st.floats(0, 1),
    st.integers(0, 2**32 - 1),
)
def test_fool_linear_raises_every_score_by_alpha_w_squared(
    x: np.ndarray, alpha: float, seed: int
) -> None:
    w = np.random.default_rng(seed).normal(size=x.shape[1])
    moved = adversarial.fool_linear(x, w, alpha)
    np.testing.assert_allclose(moved @ w - x @ w, alpha * w @ w, rtol=1e-9, atol=1e-9)


def test_sign_direction_raises_the_score_by_the_l1_norm_instead() -> None:
    """Goodfellow's linear argument (α·sign(w)) is a different attack from the notes'."""
    w, alpha = np.array([3.0, -0.5, 0.25]), 0.1
    x = np.zeros(3)
    notes = adversarial.fool_linear(x, w, alpha) @ w
    assert np.isclose(notes, alpha * np.sum(w**2))
    assert np.isclose((alpha * np.sign(w)) @ w, alpha * np.abs(w).sum())
    assert not np.isclose(notes, alpha * np.abs(w).sum())


# --------------------------------------------------------------------- FGSM


def test_logits_match_torch_linear_layers() -> None:
    m = model(0)
    x = np.random.default_rng(1).uniform(0, 1, (3, 5))
    expected = torch_module(m)(torch.tensor(x))
    got = adversarial.mlp_logits(torch.tensor(x), m["w1"], m["b1"], m["w2"], m["b2"])
    torch.testing.assert_close(got, expected.detach())


def test_input_gradient_matches_hand_derivation_and_finite_differences() -> None:
    m = model(2)
    x = np.random.default_rng(3).uniform(0, 1, (4, 5))
    y = np.array([0, 2, 1, 2])
    got = adversarial.input_gradient(x, y, **m).numpy()
    np.testing.assert_allclose(got, numpy_gradient(x, y, m), rtol=1e-10, atol=1e-14)

    def loss(inputs: np.ndarray) -> float:
        with torch.no_grad():
            logits = torch_module(m)(torch.tensor(inputs))
        return float(torch.nn.CrossEntropyLoss()(logits, torch.tensor(y)))

    h, numeric = 1e-6, np.zeros_like(x)
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (loss(up) - loss(down)) / (2 * h)
    np.testing.assert_allclose(got, numeric, rtol=0, atol=1e-8)


def test_fgsm_equals_the_pytorch_tutorial_attack_without_its_clamp() -> None:
    m = model(4)
    x = np.random.default_rng(5).uniform(0.2, 0.8, (3, 5))
    y = np.array([1, 0, 2])
    inputs = torch.tensor(x, requires_grad=True)
    torch.nn.functional.nll_loss(
        torch.log_softmax(torch_module(m)(inputs), dim=1), torch.tensor(y)
    ).backward()
    expected = inputs + 0.05 * inputs.grad.sign()
    got = adversarial.fgsm(x, y, **m, epsilon=0.05, clamp=False)
    np.testing.assert_allclose(got, expected.detach().numpy(), rtol=0, atol=1e-15)
    clamped = adversarial.fgsm(x, y, **m, epsilon=0.05, clamp=True)
    np.testing.assert_allclose(clamped, expected.clamp(0, 1).detach().numpy())


def test_fgsm_moves_each_value_by_exactly_epsilon() -> None:
    """Erratum: the notes state the constraint as ‖δ‖∞ < ε, but FGSM's own step
    δ = ε·sign(∇) has ‖δ‖∞ = ε exactly; the constraint is ‖δ‖∞ ≤ ε."""
    m = model(8)  # a model with no dead example on these inputs
    x = np.random.default_rng(7).uniform(0.2, 0.8, (5, 5))
    y = np.array([0, 1, 2, 0, 1])
    gradient = numpy_gradient(x, y, m)
    assert np.abs(gradient).min() > 1e-8
    moved = adversarial.fgsm(x, y, **m, epsilon=0.03, clamp=False)
    np.testing.assert_allclose(np.abs(moved - x), 0.03, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(np.sign(moved - x), np.sign(gradient))
    assert np.isclose(np.abs(moved - x).max(), 0.03)  # = ε, not < ε


def test_batched_fgsm_is_per_example_fgsm() -> None:
    """The mean over the batch scales each example's gradient by 1/N: same signs."""
    m = model(8)
    x = np.random.default_rng(9).uniform(0.2, 0.8, (3, 5))
    y = np.array([2, 2, 0])
    batch = adversarial.fgsm(x, y, **m, epsilon=0.1, clamp=False)
    for n in range(3):
        single = adversarial.fgsm(x[n], int(y[n]), **m, epsilon=0.1, clamp=False)
        np.testing.assert_array_equal(batch[n], single)


def test_zero_gradient_does_not_move() -> None:
    m = model(10)
    m["w1"][:, 2] = 0.0  # the model ignores pixel 2
    x = np.random.default_rng(11).uniform(0.2, 0.8, (2, 5))
    gradient = adversarial.input_gradient(x, [0, 1], **m).numpy()
    assert np.all(gradient[:, 2] == 0.0)
    moved = adversarial.fgsm(x, [0, 1], **m, epsilon=0.1, clamp=False)
    np.testing.assert_array_equal(moved[:, 2], x[:, 2])


def test_clamp_keeps_the_image_valid() -> None:
    m = model(12)
    x = np.array([[0.0, 1.0, 0.02, 0.98, 0.5]])
    moved = adversarial.fgsm(x, [1], **m, epsilon=0.1, clamp=True)
    assert moved.min() >= 0.0 and moved.max() <= 1.0
    free = adversarial.fgsm(x, [1], **m, epsilon=0.1, clamp=False)
    np.testing.assert_array_equal(moved, np.clip(free, 0, 1))


def test_fgsm_cases_keep_gradients_clear_of_zero() -> None:
    """Every gradient of a graded case is exactly 0 (by construction) or > 1e-6,
    so float32 solutions cannot disagree about a sign."""
    for case in get_spec("fgsm").cases(0):
        k = case.kwargs
        gradient = np.abs(
            adversarial.input_gradient(
                k["x"], k["y"], k["w1"], k["b1"], k["w2"], k["b2"]
            ).numpy()
        )
        assert np.all((gradient == 0) | (gradient > 1e-6)), case.name


def test_the_fgsm_spec_gradient_by_hand_matches_autograd() -> None:
    """The spec derives ∇ₓ by hand in NumPy (for its mistakes and case checks);
    it must agree with the reference's autograd on every graded case."""
    from engine.specs.adversarial_fgsm import _input_gradient

    for seed in range(5):
        for case in get_spec("fgsm").cases(seed):
            k = case.kwargs
            args = (k["x"], k["y"], k["w1"], k["b1"], k["w2"], k["b2"])
            by_hand = _input_gradient(*args)
            autograd = adversarial.input_gradient(*args).numpy()
            np.testing.assert_allclose(by_hand, autograd, rtol=1e-9, atol=1e-15)
            np.testing.assert_array_equal(np.sign(by_hand), np.sign(autograd))


def test_fgsm_clamp_cases_leave_the_unit_interval_on_the_side_they_name() -> None:
    """The clamp=True cases push values below 0 in one case and above 1 in the
    other, so clipping on one side only fails one of them."""
    cases = {case.name: case.kwargs for case in get_spec("fgsm").cases(0)}
    below = adversarial.fgsm(**{**cases["clamp below 0"], "clamp": False})
    above = adversarial.fgsm(**{**cases["clamp above 1"], "clamp": False})
    both = adversarial.fgsm(**cases["no clamp"])
    assert below.min() < 0 and below.max() <= 1
    assert above.max() > 1 and above.min() >= 0
    assert both.min() < 0 and both.max() > 1
