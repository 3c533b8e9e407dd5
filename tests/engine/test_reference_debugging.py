"""The layer-statistics references against the notes' code and a real
convolution."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engine.reference import debugging


def notes_loop(p: np.ndarray) -> list[tuple[float, float]]:
    """The notes' Keras loop, channel by channel on a channels-last output."""
    return [
        (float(np.min(p[..., channel])), float(np.max(p[..., channel])))
        for channel in range(p.shape[-1])
    ]


nhwc = arrays(
    np.float64,
    st.tuples(
        st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)
    ),
    elements=st.floats(-100, 100, allow_nan=False),
)


@given(nhwc)
def test_channels_last_matches_the_notes_loop(p: np.ndarray) -> None:
    low, high, mean = debugging.channel_stats(p, "channels_last")
    assert list(zip(low.tolist(), high.tolist(), strict=True)) == notes_loop(p)
    for channel in range(p.shape[-1]):
        assert mean[channel] == pytest.approx(p[..., channel].mean(), abs=1e-9)


@given(nhwc)
def test_layouts_agree_and_min_mean_max_are_ordered(p: np.ndarray) -> None:
    last = debugging.channel_stats(p, "channels_last")
    first = debugging.channel_stats(p.transpose(0, 3, 1, 2), "channels_first")
    for a, b in zip(last, first, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-9)
    low, high, mean = last
    assert np.all(low <= mean + 1e-9) and np.all(mean <= high + 1e-9)


def test_channels_first_reduces_batch_and_space() -> None:
    x = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)
    low, high, mean = debugging.channel_stats(x, "channels_first")
    # channel c holds 4c … 4c + 3 in sample 0 and 12 + 4c … 15 + 4c in sample 1
    assert low.tolist() == [0, 4, 8]
    assert high.tolist() == [15, 19, 23]
    assert mean.tolist() == [7.5, 11.5, 15.5]


def test_dense_outputs_are_the_same_in_both_layouts() -> None:
    x = np.array([[1.0, -2.0], [3.0, -4.0], [0.5, -0.5]])
    for layout in debugging.LAYOUTS:
        low, high, _ = debugging.channel_stats(x, layout)
        assert low.tolist() == [0.5, -4.0] and high.tolist() == [3.0, -0.5]


def test_the_notes_printed_filters() -> None:
    ranges = [
        (-0.0030, 0.0030),
        (-2.4972, 1.5494),
        (-2.4191, 1.7075),
        (-1.8190, -1.4244),
    ]
    labels = [debugging.classify(lo, hi, 0.01) for lo, hi in ranges]
    assert labels == ["dead", "healthy", "healthy", "all-negative"]
    # With an absolute τ of 1e-6 the notes' "dead" filter (range ±0.003) is not
    # dead: the tolerance has to be stated with the exercise.
    assert debugging.classify(-0.003, 0.003, 1e-6) == "healthy"


def test_boundaries() -> None:
    assert debugging.classify(-0.25, 0.25, 0.25) == "dead"  # ≤ τ
    assert debugging.classify(-0.5, -0.25 - 1e-9, 0.25) == "all-negative"
    assert debugging.classify(-0.5, -0.25, 0.25) == "healthy"  # max < −τ is strict
    assert debugging.classify(-0.5, -0.125, 0.25) == "healthy"  # −τ < max < 0
    assert debugging.classify(1.5, 1.5, 1e-6) == "healthy"  # constant, not zero


def test_a_convolution_with_a_dead_a_blocked_and_a_live_filter() -> None:
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(2, 3, kernel_size=3, padding=1, dtype=torch.float64)
    with torch.no_grad():
        conv.weight[0].zero_()
        conv.bias[0] = 0.0  # dead: always exactly 0
        conv.weight[1].zero_()
        conv.bias[1] = -1.5  # always −1.5: ReLU would block it
        conv.weight[2] = torch.randn(2, 3, 3, dtype=torch.float64)
        conv.bias[2] = 0.0
        out = conv(torch.randn(4, 2, 5, 5, dtype=torch.float64))
    expected = ["dead", "all-negative", "healthy"]
    assert debugging.classify_channels(out.numpy(), "channels_first", 1e-6) == expected
    as_keras = out.permute(0, 2, 3, 1).numpy()
    assert debugging.classify_channels(as_keras, "channels_last", 1e-6) == expected
    relu = torch.relu(out).numpy()
    # After the ReLU the blocked filter looks dead: nothing is ever negative.
    assert debugging.classify_channels(relu, "channels_first", 1e-6) == [
        "dead",
        "dead",
        "healthy",
    ]


@settings(max_examples=50)
@given(nhwc, st.sampled_from([1e-6, 1e-3, 0.1]))
def test_labels_agree_with_the_statistics(p: np.ndarray, tau: float) -> None:
    low, high, _ = debugging.channel_stats(p, "channels_last")
    labels = debugging.classify_channels(p, "channels_last", tau)
    for lo, hi, label in zip(low, high, labels, strict=True):
        if label == "dead":
            assert -tau <= lo <= hi <= tau
        elif label == "all-negative":
            assert hi < -tau
        else:
            assert hi >= -tau and max(abs(lo), abs(hi)) > tau
    relu = debugging.classify_channels(np.maximum(p, 0.0), "channels_last", tau)
    assert "all-negative" not in relu


def test_bad_layouts_are_refused() -> None:
    with pytest.raises(ValueError, match="layout"):
        debugging.channel_stats(np.zeros((2, 3)), "NHWC")
    with pytest.raises(ValueError, match="batch"):
        debugging.channel_stats(np.zeros(3), "channels_last")
