"""The LSTM references against independent computations: PyTorch's LSTMCell
and LSTM with the gate order and column split written out, the notes' worked
numbers, and hypothesis laws.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.reference import recurrent
from tests.engine.recurrent_tensors import DT, H, I, N, T, lstm_inputs, rows, weights


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
