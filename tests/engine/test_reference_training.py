"""The training references (BCE, cyclical LR, freezing, min-norm solution,
rotations, augmentations) against PyTorch, NumPy and the notes."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch.nn import functional as F  # noqa: N812

from engine.reference import training

# ------------------------------------------------------------ cross-entropy

probabilities = arrays(
    np.float64, st.integers(1, 12), elements=st.floats(1e-4, 1 - 1e-4)
)


@given(probabilities, st.data())
def test_bce_matches_pytorch(p: np.ndarray, data: st.DataObject) -> None:
    y = data.draw(arrays(np.float64, p.shape, elements=st.sampled_from([0.0, 1.0])))
    expected = F.binary_cross_entropy(torch.tensor(p), torch.tensor(y))
    assert training.binary_cross_entropy(y, p) == pytest.approx(
        float(expected), rel=1e-12
    )
    assert training.binary_cross_entropy(y, p) >= 0


def test_bce_is_the_negative_of_the_notes_log_likelihood() -> None:
    y, p = np.array([1.0, 0.0, 1.0]), np.array([0.8, 0.3, 0.6])
    notes = y * np.log(p) + (1 - y) * np.log(1 - p)  # the notes' expression
    assert notes.mean() < 0
    assert training.binary_cross_entropy(y, p) == pytest.approx(
        -notes.mean(), rel=1e-12
    )
    assert training.binary_cross_entropy([1.0], [0.5]) == pytest.approx(math.log(2))


def test_bce_averages_a_2d_batch_like_keras() -> None:
    y = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    p = np.array([[0.75, 0.125, 0.5], [0.25, 0.375, 0.875]])
    per_row = [training.binary_cross_entropy(y[i], p[i]) for i in range(2)]
    assert training.binary_cross_entropy(y, p) == pytest.approx(np.mean(per_row))
    soft = torch.nn.BCELoss()(
        torch.tensor([0.5, 0.25], dtype=torch.float64),
        torch.tensor([0.25, 0.75], dtype=torch.float64),
    )
    assert training.binary_cross_entropy([0.25, 0.75], [0.5, 0.25]) == pytest.approx(
        float(soft), rel=1e-12
    )


def test_keras_clipping_is_a_no_op_but_an_epsilon_in_the_log_is_not() -> None:
    """What the statement tells students about p at the graded extremes."""
    y, p = np.array([1.0, 0.0, 1.0]), np.array([0.9999, 0.0001, 0.999])
    loss = training.binary_cross_entropy(y, p)
    clipped = np.clip(p, 1e-7, 1 - 1e-7)
    assert training.binary_cross_entropy(y, clipped) == loss
    eps = 1e-7
    shifted = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
    assert abs(shifted - loss) > 1e-4 * loss  # a thousand times rtol 1e-7


logits = arrays(np.float64, st.integers(1, 10), elements=st.floats(-1000, 1000))


@given(logits, st.data())
def test_bce_with_logits_matches_pytorch_even_for_huge_logits(
    z: np.ndarray, data: st.DataObject
) -> None:
    y = data.draw(arrays(np.float64, z.shape, elements=st.sampled_from([0.0, 1.0])))
    expected = float(
        F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y))
    )
    value = training.bce_with_logits(y, z)
    assert math.isfinite(value) and value >= 0
    # PyTorch computes (1 − y)·z − log σ(z), which cancels to ~1e-15 absolute when
    # the loss is tiny (z = −15, y = 0); the reference's log1p form does not.
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-13)


@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-8, 8)), st.data())
def test_bce_with_logits_equals_bce_of_the_sigmoid(
    z: np.ndarray, data: st.DataObject
) -> None:
    y = data.draw(arrays(np.float64, z.shape, elements=st.floats(0, 1)))
    p = 1 / (1 + np.exp(-z))
    assert training.bce_with_logits(y, z) == pytest.approx(
        training.binary_cross_entropy(y, p), rel=1e-9
    )


def test_large_logits_where_the_sigmoid_rounds_to_one() -> None:
    assert 1 / (1 + math.exp(-50.0)) == 1.0  # why the naive route fails
    assert training.bce_with_logits([1.0, 0.0], [800.0, 800.0]) == 400.0
    assert training.bce_with_logits([1.0], [-800.0]) == 800.0


# ------------------------------------------------------ cyclical learning rate


def pytorch_cyclic_rates(
    lr_min: float, lr_max: float, step_size: int, count: int
) -> list[float]:
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=lr_min)
    scheduler = torch.optim.lr_scheduler.CyclicLR(
        optimizer,
        base_lr=lr_min,
        max_lr=lr_max,
        step_size_up=step_size,
        mode="triangular",
        cycle_momentum=False,
    )
    rates = []
    for _ in range(count):
        rates.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    return rates


@pytest.mark.parametrize("step_size", [1, 2, 3, 4, 7])
def test_cyclical_lr_matches_pytorch_cycliclr(step_size: int) -> None:
    count = 5 * step_size + 3
    expected = pytorch_cyclic_rates(0.001, 0.006, step_size, count)
    got = training.cyclical_lr(list(range(count)), 0.001, 0.006, step_size)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_cyclical_lr_worked_numbers() -> None:
    got = training.cyclical_lr(list(range(9)), 0.0, 1.0, 4)
    assert got.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0, 0.75, 0.5, 0.25, 0.0]


@given(
    st.lists(st.integers(0, 500), min_size=1, max_size=20),
    st.floats(1e-5, 0.1),
    st.floats(1.0, 10.0),
    st.integers(1, 50),
)
def test_cyclical_lr_stays_in_bounds_and_repeats(
    steps: list[int], lr_min: float, ratio: float, step_size: int
) -> None:
    lr_max = lr_min * ratio
    rates = training.cyclical_lr(steps, lr_min, lr_max, step_size)
    assert np.all(rates >= lr_min - 1e-15) and np.all(rates <= lr_max + 1e-15)
    later = training.cyclical_lr(
        [s + 2 * step_size for s in steps], lr_min, lr_max, step_size
    )
    np.testing.assert_allclose(rates, later, rtol=1e-12)


# ------------------------------------------------------------ transfer learning


def build(
    base_layers: list[list[int]], num_classes: int
) -> tuple[torch.nn.Module, ...]:
    base = torch.nn.Sequential()
    for c_in, c_out, kh, kw in base_layers:
        base.append(torch.nn.Conv2d(c_in, c_out, (kh, kw)))
        base.append(torch.nn.ReLU())
    head = torch.nn.Sequential(
        torch.nn.AdaptiveAvgPool2d(1),  # GlobalAveragePooling2D
        torch.nn.Flatten(),
        torch.nn.Linear(base_layers[-1][1], 256),
        torch.nn.ReLU(),
        torch.nn.Linear(256, num_classes),  # softmax lives in the loss
    )
    return base, head


def trainable(*modules: torch.nn.Module) -> int:
    return sum(p.numel() for m in modules for p in m.parameters() if p.requires_grad)


@pytest.mark.parametrize(
    ("base_layers", "num_classes"),
    [
        ([[3, 4, 1, 1]], 2),
        ([[1, 8, 3, 3], [8, 16, 3, 3]], 1),
        ([[3, 6, 1, 3], [6, 5, 3, 1]], 4),
        ([[3, 16, 5, 5], [16, 32, 3, 3], [32, 64, 1, 1]], 10),
    ],
)
def test_trainable_counts_match_pytorch_requires_grad(
    base_layers: list[list[int]], num_classes: int
) -> None:
    base, head = build(base_layers, num_classes)
    before = trainable(base, head)
    base.requires_grad_(False)
    assert training.trainable_parameters(base_layers, num_classes) == (
        before,
        trainable(base, head),
    )


def test_only_the_head_changes_after_a_step_with_the_base_frozen() -> None:
    torch.manual_seed(0)
    base, head = build([[3, 4, 3, 3], [4, 5, 3, 3]], 3)
    base.requires_grad_(False)
    frozen = [p.clone() for p in base.parameters()]
    old_head = [p.clone() for p in head.parameters()]
    optimizer = torch.optim.SGD(
        [p for p in head.parameters() if p.requires_grad], lr=0.1
    )
    loss = F.cross_entropy(head(base(torch.randn(2, 3, 8, 8))), torch.tensor([0, 2]))
    loss.backward()
    optimizer.step()
    assert all(
        torch.equal(a, b) for a, b in zip(frozen, base.parameters(), strict=True)
    )
    assert any(
        not torch.equal(a, b) for a, b in zip(old_head, head.parameters(), strict=True)
    )
    assert training.trainable_parameters([[3, 4, 3, 3], [4, 5, 3, 3]], 3)[1] == sum(
        p.numel() for p in head.parameters()
    )


def test_resnet50_head_size() -> None:
    # GAP on 2048 channels → Dense 256 → Dense 10: the notes' "only the 2 Dense layers".
    assert training.head_parameters(2048, 10) == 2048 * 256 + 256 + 256 * 10 + 10


# ------------------------------------------------------------- double descent


@settings(max_examples=40)
@given(st.integers(1, 6), st.integers(3, 6), st.integers(0, 2**32 - 1))
def test_min_norm_matches_lstsq_and_the_interpolating_formula(
    n: int, extra: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(n, n + extra)), rng.normal(size=n)
    w = training.min_norm_solution(X, y)
    np.testing.assert_allclose(w, np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-9)
    np.testing.assert_allclose(w, X.T @ np.linalg.solve(X @ X.T, y), atol=1e-9)
    np.testing.assert_allclose(X @ w, y, atol=1e-9)  # p > n: it interpolates


@settings(max_examples=40)
@given(st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_min_norm_is_ordinary_least_squares_when_p_is_small(
    p: int, extra: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(p + extra, p)), rng.normal(size=p + extra)
    w = training.min_norm_solution(X, y)
    np.testing.assert_allclose(w, np.linalg.solve(X.T @ X, X.T @ y), atol=1e-9)


def test_gradient_descent_from_zero_finds_the_min_norm_solution() -> None:
    # The notes: beyond the interpolation threshold "gradient descent finds the
    # MINIMUM NORM solution" (it never leaves the row space of X).
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(4, 9)), rng.normal(size=4)
    w = np.zeros(9)
    rate = 1 / np.linalg.norm(X, 2) ** 2
    for _ in range(20_000):
        w -= rate * X.T @ (X @ w - y)
    np.testing.assert_allclose(w, training.min_norm_solution(X, y), atol=1e-9)


def test_min_norm_worked_numbers_and_the_intercept_difference() -> None:
    X, y = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 2.0]]), np.array([2.0, 4.0])
    np.testing.assert_allclose(training.min_norm_solution(X, y), [1.0, 1.0, 2.0])
    np.testing.assert_allclose(training.min_norm_solution([[1, 2, 2]], [9]), [1, 2, 2])
    rng = np.random.default_rng(0)
    A, b = rng.normal(size=(8, 3)), rng.normal(size=8)
    centred = np.linalg.lstsq(A - A.mean(0), b - b.mean(), rcond=None)[0]
    assert not np.allclose(centred, training.min_norm_solution(A, b), atol=1e-3)


# --------------------------------------------------------------- self-supervision


def test_a_quarter_turn_is_counter_clockwise() -> None:
    assert training.rotate([[1, 2], [3, 4]], 1).tolist() == [[2, 4], [1, 3]]
    image = np.arange(12.0).reshape(3, 4)
    turned = training.rotate(image, 1)
    assert turned.shape == (4, 3)
    for r in range(4):
        for c in range(3):
            assert turned[r, c] == image[c, 3 - r]


@given(st.integers(1, 3), st.integers(1, 5), st.booleans(), st.integers(0, 2**32 - 1))
def test_rotation_pretext_matches_numpy(
    batch: int, size: int, channels: bool, seed: int
) -> None:
    shape = (batch, 2) if channels else (batch,)
    images = np.random.default_rng(seed).integers(0, 10, size=(*shape, size, size))
    rotated, labels = training.rotation_pretext(images.astype(float))
    assert rotated.shape == (4 * batch, *images.shape[1:])
    for i, image in enumerate(images):
        for k in range(4):
            np.testing.assert_array_equal(
                rotated[4 * i + k], np.rot90(image, k, axes=(-2, -1))
            )
            assert labels[4 * i + k] == k


def test_rotation_pretext_refuses_non_square_images() -> None:
    with pytest.raises(ValueError, match="non-square"):
        training.rotation_pretext(np.zeros((1, 2, 3)))


# ---------------------------------------------------------------- augmentation


def test_horizontal_flip_mirrors_columns() -> None:
    image = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(training.horizontal_flip(image), np.fliplr(image))
    batch = np.arange(24.0).reshape(2, 1, 3, 4)
    flipped = training.horizontal_flip(batch)
    np.testing.assert_array_equal(flipped, batch[..., ::-1])
    np.testing.assert_array_equal(training.horizontal_flip(flipped), batch)


def test_brightness_is_a_clamped_shift() -> None:
    image = np.array([[0.0, 0.25], [0.75, 1.0]])
    np.testing.assert_array_equal(
        training.adjust_brightness(image, 0.5), [[0.5, 0.75], [1.0, 1.0]]
    )
    np.testing.assert_array_equal(
        training.adjust_brightness(image, -0.5), [[0.0, 0.0], [0.25, 0.5]]
    )
    rng = np.random.default_rng(1)
    values = rng.uniform(0, 1, size=(3, 4, 5))
    np.testing.assert_allclose(
        training.adjust_brightness(values, 0.3), np.clip(values + 0.3, 0, 1)
    )


def test_crop_is_rows_then_columns() -> None:
    image = np.arange(30.0).reshape(5, 6)
    window = training.crop(image, 1, 3, 3, 2)
    assert window.tolist() == [[9, 10], [15, 16], [21, 22]]
    rgb = np.arange(40.0).reshape(2, 4, 5)
    np.testing.assert_array_equal(training.crop(rgb, 1, 2, 2, 3), rgb[:, 1:3, 2:5])
    with pytest.raises(ValueError, match="inside"):
        training.crop(image, 4, 0, 2, 2)
