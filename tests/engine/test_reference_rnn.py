"""The simple RNN references against independent computations: PyTorch's
RNNCell and RNN, the notes' worked numbers, autograd for the hand-written
Jacobian ∂h_T/∂h_1 (vanishing and exploding), and hypothesis laws.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.reference import recurrent
from tests.engine.recurrent_tensors import DT, H, I, K, N, T, rows, weights


def numpy_softmax_rows(scores: torch.Tensor) -> np.ndarray:
    exp = np.exp(scores.numpy())
    return exp / exp.sum(axis=-1, keepdims=True)


# ------------------------------------------------------------------ simple RNN


def rnn_weights(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    return weights(seed, H, H), weights(seed + 1, H, I), weights(seed + 2, K, H)


def test_rnn_step_matches_rnn_cell_without_bias() -> None:
    W, U, V = rnn_weights()
    x, h_prev = weights(5, N, I, scale=1.0), torch.tanh(weights(6, N, H))
    cell = torch.nn.RNNCell(I, H, bias=False, dtype=DT)
    with torch.no_grad():
        cell.weight_hh.copy_(W)  # the notes' W acts on h: weight_hh
        cell.weight_ih.copy_(U)
        expected_h = cell(x, h_prev)
    h, o = recurrent.rnn_step(x, h_prev, W, U, V)
    torch.testing.assert_close(h, expected_h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(o.numpy(), numpy_softmax_rows(expected_h @ V.T))


def test_rnn_step_accepts_one_vector_and_a_batch_of_one() -> None:
    W, U, V = rnn_weights()
    x, h_prev = weights(7, I, scale=1.0), torch.tanh(weights(8, H))
    h_single, o_single = recurrent.rnn_step(x, h_prev, W, U, V)
    h_batch, o_batch = recurrent.rnn_step(x[None], h_prev[None], W, U, V)
    assert h_single.shape == (H,) and o_single.shape == (K,)
    assert h_batch.shape == (1, H) and o_batch.shape == (1, K)
    torch.testing.assert_close(h_batch[0], h_single)
    torch.testing.assert_close(o_batch[0], o_single)


def test_rnn_worked_numbers() -> None:
    # h = tanh(W h_prev + U x) with H = I = 1: tanh(0.5·0.2 + 1.0·0.3) = tanh(0.4).
    h, o = recurrent.rnn_step([0.3], [0.2], [[0.5]], [[1.0]], [[2.0], [0.0]])
    assert h.item() == pytest.approx(math.tanh(0.4), abs=1e-15)
    scores = [2.0 * math.tanh(0.4), 0.0]
    assert o.tolist() == pytest.approx(
        [math.exp(s) / sum(map(math.exp, scores)) for s in scores]
    )
    # Zero state and input: h = 0 and o uniform over the K classes.
    W, U, V = rnn_weights()
    h, o = recurrent.rnn_step(np.zeros((2, I)), np.zeros((2, H)), W, U, V)
    assert h.abs().max() == 0.0
    torch.testing.assert_close(o, torch.full((2, K), 1 / K, dtype=DT))


def test_rnn_sequence_matches_nn_rnn() -> None:
    W, U, V = rnn_weights(3)
    xs, h0 = weights(9, T, N, I, scale=1.0), torch.tanh(weights(10, N, H))
    rnn = torch.nn.RNN(
        I, H, bias=False, dtype=DT
    )  # time-first by default, like the notes
    with torch.no_grad():
        rnn.weight_hh_l0.copy_(W)
        rnn.weight_ih_l0.copy_(U)
        expected, last = rnn(xs, h0[None])
    hs, os = recurrent.rnn_sequence(xs, h0, W, U, V)
    torch.testing.assert_close(hs, expected, rtol=0, atol=1e-12)
    torch.testing.assert_close(hs[-1], last[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(os.numpy(), numpy_softmax_rows(expected @ V.T))


def test_rnn_sequence_starts_from_h0_and_one_step_is_rnn_step() -> None:
    W, U, V = rnn_weights(4)
    xs, h0 = weights(11, 1, N, I), torch.tanh(weights(12, N, H))
    hs, os = recurrent.rnn_sequence(xs, h0, W, U, V)
    h, o = recurrent.rnn_step(xs[0], h0, W, U, V)
    torch.testing.assert_close(hs[0], h)
    torch.testing.assert_close(os[0], o)
    from_zero, _ = recurrent.rnn_sequence(xs, np.zeros((N, H)), W, U, V)
    assert (from_zero - hs).abs().max() > 1e-3


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), rows, st.integers(1, 4), st.integers(1, 6))
def test_rnn_outputs_are_distributions_and_states_stay_in_range(
    seed: int, n: int, hidden: int, steps: int
) -> None:
    W, U, V = (
        weights(seed, hidden, hidden),
        weights(seed + 1, hidden, 3),
        weights(seed + 2, 4, hidden, scale=2.0),
    )
    xs, h0 = (
        weights(seed + 3, steps, n, 3, scale=2.0),
        torch.tanh(weights(seed, n, hidden)),
    )
    hs, os = recurrent.rnn_sequence(xs, h0, W, U, V)
    assert hs.shape == (steps, n, hidden) and os.shape == (steps, n, 4)
    assert bool((hs.abs() < 1).all())
    assert bool(((os > 0) & (os < 1)).all())
    torch.testing.assert_close(os.sum(-1), torch.ones(steps, n, dtype=DT))


# --------------------------------------------------------------- the Jacobian


def autograd_jacobian(
    xs: torch.Tensor, h0: torch.Tensor, w: torch.Tensor, u: torch.Tensor
) -> torch.Tensor:
    """∂h_T/∂h_1 by autograd: run steps 2..T as a function of h_1."""
    h1 = torch.tanh(w @ h0 + u @ xs[0])

    def from_h1(h: torch.Tensor) -> torch.Tensor:
        for x in xs[1:]:
            h = torch.tanh(w @ h + u @ x)
        return h

    return torch.autograd.functional.jacobian(from_h1, h1)


@pytest.mark.parametrize(
    ("seed", "steps", "hidden"), [(0, 1, 3), (1, 2, 2), (2, 4, 4), (3, 6, 3)]
)
def test_rnn_jacobian_matches_autograd(seed: int, steps: int, hidden: int) -> None:
    W, U = weights(seed, hidden, hidden, scale=0.9), weights(seed + 1, hidden, 2)
    xs, h0 = (
        weights(seed + 2, steps, 2, scale=1.0),
        torch.tanh(weights(seed + 3, hidden)),
    )
    jacobian, norm = recurrent.rnn_jacobian(xs, h0, W, U)
    torch.testing.assert_close(
        jacobian, autograd_jacobian(xs, h0, W, U), rtol=1e-10, atol=1e-12
    )
    assert norm == pytest.approx(np.linalg.svd(jacobian.numpy(), compute_uv=False)[0])


def test_notes_formula_takes_the_derivative_one_step_early() -> None:
    """Erratum: the notes write ∂h_t/∂h_1 = Π_{k=1}^{t−1} W·diag(1 − h_k²).
    Read in the chain-rule order, W D_{t−1} ⋯ W D_1, it differs from autograd,
    which gives D_t W ⋯ D_2 W (the derivative at the state each step produces)."""
    W, U = weights(20, 3, 3, scale=0.9), weights(21, 3, 2)
    xs, h0 = weights(22, 4, 2, scale=1.0), torch.tanh(weights(23, 3))
    states = recurrent.rnn_hidden_states(xs, h0, W, U)  # h_1..h_4
    notes = torch.eye(3, dtype=DT)
    for h in states[:-1]:  # k = 1..t−1
        notes = W @ torch.diag(1 - h**2) @ notes
    truth = autograd_jacobian(xs, h0, W, U)
    assert (notes - truth).abs().max() > 1e-2
    torch.testing.assert_close(recurrent.rnn_jacobian(xs, h0, W, U)[0], truth)


def test_vanishing_and_exploding() -> None:
    rotation = torch.tensor([[0.6, -0.8], [0.8, 0.6]], dtype=DT)  # orthogonal, ‖·‖₂ = 1
    at_rest = (np.zeros((6, 1)), np.zeros(2), np.zeros((2, 1)))
    # With h ≡ 0 every tanh derivative is 1 and J = W^(T−1): 1.5^5 for W = 1.5 R.
    _, exploding = recurrent.rnn_jacobian(
        at_rest[0], at_rest[1], 1.5 * rotation, at_rest[2]
    )
    assert exploding == pytest.approx(1.5**5)
    # ‖W‖₂ < 1 always vanishes: ‖J‖ ≤ ‖W‖₂^(T−1).
    xs, h0 = weights(30, 6, 1, scale=1.0), np.array([0.5, -0.5])
    _, vanishing = recurrent.rnn_jacobian(xs, h0, 0.5 * rotation, np.ones((2, 1)))
    assert vanishing <= 0.5**5
    # ‖W‖₂ > 1 does not guarantee exploding: saturated units (1 − h² ≈ 0) stop
    # the gradient, contrary to the notes' "if ‖W‖ > 1: product → ∞".
    _, saturated = recurrent.rnn_jacobian(at_rest[0], h0, 3 * np.eye(2), at_rest[2])
    assert saturated < 1e-3


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10_000), st.integers(1, 4), st.integers(1, 6), st.floats(0.2, 3.0)
)
def test_rnn_jacobian_norm_is_bounded_by_the_weight_norm(
    seed: int, hidden: int, steps: int, scale: float
) -> None:
    W, U = weights(seed, hidden, hidden, scale=scale), weights(seed + 1, hidden, 2)
    xs, h0 = (
        weights(seed + 2, steps, 2, scale=1.0),
        torch.tanh(weights(seed + 3, hidden)),
    )
    jacobian, norm = recurrent.rnn_jacobian(xs, h0, W, U)
    bound = float(torch.linalg.matrix_norm(W, ord=2)) ** (steps - 1)
    assert 0 <= norm <= bound * (1 + 1e-9) + 1e-12
    assert norm == pytest.approx(float(torch.linalg.svdvals(jacobian)[0]), abs=1e-12)
