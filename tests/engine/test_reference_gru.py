"""The notes' GRU (z weighs the new candidate, the reset applied to h_prev
before the matrix) against a scalar loop, which no PyTorch module computes;
its mapping onto PyTorch's GRUCell and GRU where the two agree; and
hypothesis laws.
"""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.reference import recurrent
from tests.engine.recurrent_tensors import DT, H, I, N, T, gru_weights, rows, weights


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
