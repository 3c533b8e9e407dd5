"""The recurrent references against independent computations.

PyTorch's own modules where the notes' convention can be mapped onto them
(RNNCell/RNN, LSTMCell/LSTM with the gate order and column split written out),
autograd for the hand-written Jacobian, a scalar loop for the GRU (which no
PyTorch module computes), the notes' worked numbers, and hypothesis laws.
"""

from __future__ import annotations

import copy
import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.reference import recurrent
from engine.specs import get_spec

DT = torch.float64


def weights(seed: int, *shape: int, scale: float = 0.7) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator, dtype=DT) * scale


def numpy_softmax_rows(scores: torch.Tensor) -> np.ndarray:
    exp = np.exp(scores.numpy())
    return exp / exp.sum(axis=-1, keepdims=True)


# ------------------------------------------------------------------ simple RNN

N, H, I, K, T = 3, 4, 2, 3, 5  # noqa: E741 - the notes' names


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


rows = st.integers(1, 3)


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


# ------------------------------------------------------------------------ LSTM


def lstm_cell_from_notes(
    weight: torch.Tensor, b: torch.Tensor, hidden: int
) -> torch.nn.LSTMCell:
    """nn.LSTMCell with the notes' stacked W (rows f, i, C̃, o; columns [h, x]).

    PyTorch stacks its gates as i, f, g, o; weight_hh holds the columns acting
    on h (the first H), weight_ih those acting on x; its second bias is zero.
    """
    f, i, g, o = weight.split(hidden)
    b_f, b_i, b_g, b_o = b.split(hidden)
    cell = torch.nn.LSTMCell(weight.shape[1] - hidden, hidden, dtype=DT)
    with torch.no_grad():
        cell.weight_hh.copy_(torch.cat([m[:, :hidden] for m in (i, f, g, o)]))
        cell.weight_ih.copy_(torch.cat([m[:, hidden:] for m in (i, f, g, o)]))
        cell.bias_ih.copy_(torch.cat([b_i, b_f, b_g, b_o]))
        cell.bias_hh.zero_()
    return cell


def lstm_inputs(seed: int, n: int = N) -> tuple[torch.Tensor, ...]:
    return (
        weights(seed, n, I, scale=1.0),
        torch.tanh(weights(seed + 1, n, H)),
        weights(seed + 2, n, H, scale=1.0),
        weights(seed + 3, 4 * H, H + I),
        weights(seed + 4, 4 * H, scale=0.5),
    )


@pytest.mark.parametrize("n", [1, 3])
def test_lstm_cell_matches_lstm_cell_with_the_weights_mapped(n: int) -> None:
    x, h_prev, C_prev, W, b = lstm_inputs(40, n)
    with torch.no_grad():
        expected_h, expected_C = lstm_cell_from_notes(W, b, H)(x, (h_prev, C_prev))
    h, C = recurrent.lstm_cell(x, h_prev, C_prev, W, b)
    torch.testing.assert_close(h, expected_h, rtol=0, atol=1e-12)
    torch.testing.assert_close(C, expected_C, rtol=0, atol=1e-12)


def test_lstm_gate_order_matters() -> None:
    """Loading the notes' W into LSTMCell without reordering the gates gives other numbers."""
    x, h_prev, C_prev, W, b = lstm_inputs(41)
    cell = torch.nn.LSTMCell(I, H, dtype=DT)
    with torch.no_grad():
        cell.weight_hh.copy_(W[:, :H])
        cell.weight_ih.copy_(W[:, H:])
        cell.bias_ih.copy_(b)
        cell.bias_hh.zero_()
        unmapped_h, _ = cell(x, (h_prev, C_prev))
    h, _ = recurrent.lstm_cell(x, h_prev, C_prev, W, b)
    assert (h - unmapped_h).abs().max() > 1e-2


def test_lstm_worked_numbers() -> None:
    # W = 0, b = 0: every gate is 1/2 and C̃ = 0, so C = C_prev/2, h = tanh(C)/2.
    C_prev = torch.tensor([[1.0, -2.0]], dtype=DT)
    h, C = recurrent.lstm_cell(
        [[0.3, -0.7]], [[0.1, 0.2]], C_prev, np.zeros((8, 4)), np.zeros(8)
    )
    torch.testing.assert_close(C, C_prev / 2)
    torch.testing.assert_close(h, torch.tanh(C_prev / 2) / 2)
    # W = 0 with one bias per gate, H = 1: f = σ(2), i = σ(−2), C̃ = tanh(1), o = σ(0).
    sigma = lambda a: 1 / (1 + math.exp(-a))  # noqa: E731
    h, C = recurrent.lstm_cell(
        [0.0], [0.0], [1.0], np.zeros((4, 2)), [2.0, -2.0, 1.0, 0.0]
    )
    expected_C = sigma(2) * 1.0 + sigma(-2) * math.tanh(1)
    assert C.item() == pytest.approx(expected_C, abs=1e-15)
    assert h.item() == pytest.approx(0.5 * math.tanh(expected_C), abs=1e-15)


def test_lstm_sequence_matches_nn_lstm() -> None:
    _, h0, C0, W, b = lstm_inputs(50)
    xs = weights(55, T, N, I, scale=1.0)
    mapped = lstm_cell_from_notes(W, b, H)
    lstm = torch.nn.LSTM(I, H, dtype=DT)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(lstm, f"{name}_l0").copy_(getattr(mapped, name))
        expected, (_, last_C) = lstm(xs, (h0[None], C0[None]))
    hs, C_T = recurrent.lstm_sequence(xs, h0, C0, W, b)
    torch.testing.assert_close(hs, expected, rtol=0, atol=1e-12)
    torch.testing.assert_close(C_T, last_C[0], rtol=0, atol=1e-12)
    single_hs, single_C = recurrent.lstm_sequence(xs[:, 0], h0[0], C0[0], W, b)
    torch.testing.assert_close(single_hs, hs[:, 0])
    torch.testing.assert_close(single_C, C_T[0])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), rows, st.integers(1, 4), st.floats(0.1, 4.0))
def test_lstm_state_laws(seed: int, n: int, hidden: int, scale: float) -> None:
    W, b = (
        weights(seed, 4 * hidden, hidden + 2, scale=scale),
        weights(seed + 1, 4 * hidden),
    )
    x, C_prev = (
        weights(seed + 2, n, 2, scale=scale),
        weights(seed + 3, n, hidden, scale=3.0),
    )
    h, C = recurrent.lstm_cell(
        x, torch.tanh(weights(seed + 4, n, hidden)), C_prev, W, b
    )
    assert bool((h.abs() <= 1).all())  # tanh and σ round to ±1 when saturated
    assert bool((C.abs() <= C_prev.abs() + 1).all())


# ------------------------------------------------------------------------- GRU


def scalar_gru(
    x: list[float], h: list[float], w_z: list, w_r: list, w_h: list
) -> list[float]:
    """The notes' GRU for one sample, one number at a time (no tensors)."""
    sigma = lambda a: 1 / (1 + math.exp(-a))  # noqa: E731
    hx = h + x
    z = [sigma(sum(w * v for w, v in zip(row, hx, strict=True))) for row in w_z]
    r = [sigma(sum(w * v for w, v in zip(row, hx, strict=True))) for row in w_r]
    reset = [r_j * h_j for r_j, h_j in zip(r, h, strict=True)] + x
    candidate = [
        math.tanh(sum(w * v for w, v in zip(row, reset, strict=True))) for row in w_h
    ]
    return [(1 - z[j]) * h[j] + z[j] * candidate[j] for j in range(len(h))]


def gru_weights(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    return (
        weights(seed, H, H + I, scale=0.9),
        weights(seed + 1, H, H + I, scale=0.9),
        weights(seed + 2, H, H + I, scale=0.9),
    )


def grucell_from(
    w_z: torch.Tensor, w_r: torch.Tensor, w_h: torch.Tensor
) -> torch.nn.GRUCell:
    """nn.GRUCell (gate order r, z, n; h-columns in weight_hh) without biases."""
    cell = torch.nn.GRUCell(I, H, bias=False, dtype=DT)
    with torch.no_grad():
        cell.weight_hh.copy_(torch.cat([m[:, :H] for m in (w_r, w_z, w_h)]))
        cell.weight_ih.copy_(torch.cat([m[:, H:] for m in (w_r, w_z, w_h)]))
    return cell


def test_gru_cell_matches_a_scalar_loop() -> None:
    W_z, W_r, W_h = gru_weights(60)
    x, h_prev = weights(63, N, I, scale=1.0), torch.tanh(weights(64, N, H))
    got = recurrent.gru_cell(x, h_prev, W_z, W_r, W_h)
    for row in range(N):
        expected = scalar_gru(
            x[row].tolist(),
            h_prev[row].tolist(),
            W_z.tolist(),
            W_r.tolist(),
            W_h.tolist(),
        )
        assert got[row].tolist() == pytest.approx(expected, abs=1e-14)
    single = recurrent.gru_cell(x[0], h_prev[0], W_z, W_r, W_h)
    torch.testing.assert_close(single, got[0])


def test_gru_cell_equals_grucell_when_the_reset_is_uniform() -> None:
    """With W_r = 0, r = 1/2 in every unit, so resetting before or after the
    matrix agree; then the notes' GRU is GRUCell with W_z negated
    (σ(−a) = 1 − σ(a) turns GRUCell's z-on-the-old-state into the notes' z)."""
    W_z, _, W_h = gru_weights(70)
    W_r = torch.zeros(H, H + I, dtype=DT)
    x, h_prev = weights(73, N, I, scale=1.0), torch.tanh(weights(74, N, H))
    with torch.no_grad():
        expected = grucell_from(-W_z, W_r, W_h)(x, h_prev)
    torch.testing.assert_close(
        recurrent.gru_cell(x, h_prev, W_z, W_r, W_h), expected, rtol=0, atol=1e-12
    )


def test_grucell_is_the_notes_gru_with_the_reset_after_the_matrix() -> None:
    """The mapping that does hold in general: GRUCell(−W_z, W_r, W_h) computes
    h̃ = tanh(W_hx x + r ⊙ (W_hh h_prev)) with the notes' z, the 'reset-after'
    variant; the notes reset before the matrix, so the reference differs."""
    W_z, W_r, W_h = gru_weights(80)
    x, h_prev = weights(83, N, I, scale=1.0), torch.tanh(weights(84, N, H))
    joined = torch.cat([h_prev, x], dim=-1)
    z, r = torch.sigmoid(joined @ W_z.T), torch.sigmoid(joined @ W_r.T)
    candidate_after = torch.tanh(x @ W_h[:, H:].T + r * (h_prev @ W_h[:, :H].T))
    reset_after = (1 - z) * h_prev + z * candidate_after
    with torch.no_grad():
        z_flipped = grucell_from(-W_z, W_r, W_h)(x, h_prev)
        as_is = grucell_from(W_z, W_r, W_h)(x, h_prev)
    torch.testing.assert_close(z_flipped, reset_after, rtol=0, atol=1e-12)
    reference = recurrent.gru_cell(x, h_prev, W_z, W_r, W_h)
    assert (z_flipped - reference).abs().max() > 1e-3  # flipping z alone is not enough
    assert (as_is - reference).abs().max() > 1e-1  # nor is GRUCell as it comes


def test_gru_sequence_unrolls_the_cell_and_matches_nn_gru_with_uniform_reset() -> None:
    W_z, _, W_h = gru_weights(90)
    W_r = torch.zeros(H, H + I, dtype=DT)
    xs, h0 = weights(93, T, N, I, scale=1.0), torch.tanh(weights(94, N, H))
    cell = grucell_from(-W_z, W_r, W_h)
    gru = torch.nn.GRU(I, H, bias=False, dtype=DT)
    with torch.no_grad():
        gru.weight_ih_l0.copy_(cell.weight_ih)
        gru.weight_hh_l0.copy_(cell.weight_hh)
        expected, _ = gru(xs, h0[None])
    torch.testing.assert_close(
        recurrent.gru_sequence(xs, h0, W_z, W_r, W_h), expected, rtol=0, atol=1e-12
    )
    W_r = weights(95, H, H + I)
    hs = recurrent.gru_sequence(xs[:, 0], h0[0], W_z, W_r, W_h)
    h = h0[0].tolist()
    for t in range(T):
        h = scalar_gru(xs[t, 0].tolist(), h, W_z.tolist(), W_r.tolist(), W_h.tolist())
        assert hs[t].tolist() == pytest.approx(h, abs=1e-13)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), rows, st.integers(1, 4), st.floats(0.1, 4.0))
def test_gru_state_is_a_blend_of_the_old_state_and_the_candidate(
    seed: int, n: int, hidden: int, scale: float
) -> None:
    W_z, W_r, W_h = (
        weights(seed + k, hidden, hidden + 2, scale=scale) for k in range(3)
    )
    x, h_prev = (
        weights(seed + 3, n, 2, scale=scale),
        torch.tanh(weights(seed + 4, n, hidden)),
    )
    h = recurrent.gru_cell(x, h_prev, W_z, W_r, W_h)
    assert bool((h.abs() <= 1).all())  # tanh and σ round to ±1 when saturated
    halfway = recurrent.gru_cell(x, h_prev, torch.zeros_like(W_z), W_r, W_h)
    # With W_z = 0, z = 1/2: h is the midpoint of h_prev and h̃, so h̃ = 2h − h_prev.
    assert bool(((2 * halfway - h_prev).abs() <= 1 + 1e-12).all())


# ------------------------------------------------------------------- the specs

SPEC_IDS = [
    "rnn_step",
    "rnn_sequence",
    "rnn_jacobian",
    "lstm_cell",
    "lstm_sequence",
    "gru_cell",
    "gru_sequence",
]


@pytest.mark.parametrize("spec_id", SPEC_IDS)
def test_every_mistake_is_exposed_and_distinct(spec_id: str) -> None:
    spec = get_spec(spec_id)
    cases = spec.cases(0)
    expected = [spec.reference(**copy.deepcopy(case.kwargs)) for case in cases]
    variants = {
        mistake.id: [mistake.function(**copy.deepcopy(case.kwargs)) for case in cases]
        for mistake in spec.mistakes
    }
    for mistake_id, outputs in variants.items():
        assert any(
            not spec.compare(want, got).passed
            for want, got in zip(expected, outputs, strict=True)
        ), mistake_id
    for a, b in itertools.combinations(variants, 2):
        assert any(
            not spec.compare(x, y).passed
            for x, y in zip(variants[a], variants[b], strict=True)
        ), (a, b)
    for law in spec.properties:
        assert law.check(cases, expected) is None, law.id


def test_single_forms_drop_the_batch_axis_and_agree_with_a_batch_of_one() -> None:
    """What the statements promise: a single sample gives (H,), a single
    sequence (T, H), and either equals the batch of one without its axis."""
    x, h_prev, C_prev, W, b = lstm_inputs(100, 1)
    h, C = recurrent.lstm_cell(x[0], h_prev[0], C_prev[0], W, b)
    assert h.shape == C.shape == (H,)
    batch = recurrent.lstm_cell(x, h_prev, C_prev, W, b)
    torch.testing.assert_close((h, C), (batch[0][0], batch[1][0]))
    xs = weights(101, T, 1, I, scale=1.0)
    hs, C_T = recurrent.lstm_sequence(xs[:, 0], h_prev[0], C_prev[0], W, b)
    assert hs.shape == (T, H) and C_T.shape == (H,)
    batch_hs, batch_C = recurrent.lstm_sequence(xs, h_prev, C_prev, W, b)
    assert batch_hs.shape == (T, 1, H) and batch_C.shape == (1, H)
    torch.testing.assert_close((hs, C_T), (batch_hs[:, 0], batch_C[0]))
    W_z, W_r, W_h = gru_weights(102)
    assert recurrent.gru_cell(x[0], h_prev[0], W_z, W_r, W_h).shape == (H,)
    gru_hs = recurrent.gru_sequence(xs[:, 0], h_prev[0], W_z, W_r, W_h)
    assert gru_hs.shape == (T, H)
    torch.testing.assert_close(
        gru_hs, recurrent.gru_sequence(xs, h_prev, W_z, W_r, W_h)[:, 0]
    )
    U, V = weights(103, H, I), weights(104, K, H)
    rnn_hs, rnn_os = recurrent.rnn_sequence(xs[:, 0], h_prev[0], W_z[:, :H], U, V)
    assert rnn_hs.shape == (T, H) and rnn_os.shape == (T, K)


@pytest.mark.parametrize("spec_id", SPEC_IDS)
def test_a_right_part_beside_a_wrong_one_earns_no_credit(spec_id: str) -> None:
    """h and C (hs and C_T, h and o, J and norm) are computed from one another,
    so a case with one of them wrong is wrong: no half credit per part."""
    spec = get_spec(spec_id)
    case = spec.cases(0)[0]
    expected = spec.reference(**copy.deepcopy(case.kwargs))
    if not isinstance(expected, tuple):
        pytest.skip("a single output")
    first, *rest = (np.asarray(part, dtype=float) for part in expected)
    outcome = spec.compare(expected, (first + 0.5, *rest))
    assert not outcome.passed and outcome.score == 0.0


@pytest.mark.parametrize("spec_id", SPEC_IDS)
def test_the_first_fixed_case_is_a_plain_batch(spec_id: str) -> None:
    """A submission wrong everywhere is shown its first failing case with that
    case's label: the first case is an ordinary one (a batch, or T > 1 for the
    Jacobian), so its label does not suggest an edge the student did not miss."""
    first = get_spec(spec_id).cases(0)[0]
    assert first.label.startswith("convention:"), first.label
    assert "edge" not in first.label and "one vector" not in first.name
