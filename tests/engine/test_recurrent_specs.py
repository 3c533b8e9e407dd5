"""The recurrent exercise specs: every named mistake is exposed by the cases
and distinct from the others, single forms agree with a batch of one, a right
part beside a wrong one earns no credit, and the first case is a plain batch.
"""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
import torch

from engine.reference import recurrent
from engine.specs import get_spec
from tests.engine.recurrent_tensors import H, I, K, T, gru_weights, lstm_inputs, weights

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
