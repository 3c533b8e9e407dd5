"""The style-transfer references against independent computations: NumPy loops,
PyTorch's own modules, finite differences, and the published scale factors."""

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engine.reference import style


def numpy_conv_relu(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """ReLU of a valid cross-correlation, written as loops."""
    c_out, _, kh, kw = w.shape
    rows, cols = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    out = np.zeros((c_out, rows, cols))
    for o in range(c_out):
        for i in range(rows):
            for j in range(cols):
                out[o, i, j] = np.sum(x[:, i : i + kh, j : j + kw] * w[o]) + b[o]
    return np.maximum(out, 0.0)


def numpy_gram(features: np.ndarray) -> np.ndarray:
    """GM_ij = Σ over positions of F_i · F_j, the notes' definition entry by entry."""
    c = features.shape[0]
    return np.array(
        [[np.sum(features[i] * features[j]) for j in range(c)] for i in range(c)]
    )


def numpy_total(problem: dict, alpha: float, beta: float) -> float:
    weights = [np.asarray(problem[k], float) for k in ("w1", "b1", "w2", "b2")]

    def layers(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        h1 = numpy_conv_relu(image, weights[0], weights[1])
        return h1, numpy_conv_relu(h1, weights[2], weights[3])

    c, s, g = (
        layers(np.asarray(problem[k], float)) for k in ("content", "style", "generated")
    )
    content = np.sum((c[1] - g[1]) ** 2)
    styles = sum(
        np.sum((numpy_gram(a) - numpy_gram(b)) ** 2) for a, b in zip(s, g, strict=True)
    )
    return alpha * content + beta * styles


def random_problem(seed: int, channels: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "content": rng.uniform(0, 1, (channels, 5, 4)),
        "style": rng.uniform(0, 1, (channels, 5, 4)),
        "generated": rng.uniform(0, 1, (channels, 5, 4)),
        "w1": rng.uniform(-1, 1, (3, channels, 2, 2)),
        "b1": rng.uniform(-0.3, 0.3, 3),
        "w2": rng.uniform(-1, 1, (4, 3, 2, 2)),
        "b2": rng.uniform(-0.3, 0.3, 4),
    }


# ---------------------------------------------------------------- Gram matrix


def test_gram_worked_example() -> None:
    features = np.array([[[1.0, 2.0], [0.0, 1.0]], [[3.0, 0.0], [1.0, 1.0]]])
    # channel 0 = (1, 2, 0, 1), channel 1 = (3, 0, 1, 1)
    assert style.gram_matrix(features).tolist() == [[6.0, 4.0], [4.0, 11.0]]


def test_gram_matches_entrywise_definition_and_einsum() -> None:
    features = np.random.default_rng(0).normal(size=(4, 3, 5))
    expected = numpy_gram(features)
    np.testing.assert_allclose(style.gram_matrix(features), expected, rtol=1e-12)
    np.testing.assert_allclose(
        np.einsum("chw,dhw->cd", features, features), expected, rtol=1e-12
    )


def test_gram_of_a_channels_last_array_needs_a_transpose() -> None:
    hwc = np.random.default_rng(1).normal(size=(3, 4, 2))  # (H, W, C)
    chw = hwc.transpose(2, 0, 1)
    correct = style.gram_matrix(chw)
    np.testing.assert_allclose(hwc.reshape(-1, 2).T @ hwc.reshape(-1, 2), correct)
    assert not np.allclose(style.gram_matrix(hwc.reshape(2, 3, 4)), correct)


@settings(max_examples=50, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 5), st.integers(1, 5)),
        elements=st.floats(-10, 10),
    )
)
def test_gram_is_symmetric_positive_semidefinite(features: np.ndarray) -> None:
    gram = style.gram_matrix(features)
    assert gram.shape == (features.shape[0],) * 2
    np.testing.assert_allclose(gram, gram.T, rtol=1e-12, atol=1e-12)
    scale = max(1.0, float(np.abs(gram).max()))
    assert np.linalg.eigvalsh(gram).min() >= -1e-9 * scale


def test_gram_entries_are_inner_products_not_correlations() -> None:
    """The notes call the Gram matrix "pairwise correlations between all
    filters"; its entries are uncentred, unnormalised inner products, so they
    are not bounded by 1 and scale with the activations."""
    features = np.array([[[2.0, 1.0]], [[4.0, 2.0]]])  # perfectly correlated channels
    gram = style.gram_matrix(features)
    assert gram[0, 1] == 10.0
    correlation = gram[0, 1] / np.sqrt(gram[0, 0] * gram[1, 1])
    assert np.isclose(correlation, 1.0)
    assert style.gram_matrix(3 * features)[0, 1] == 9 * gram[0, 1]


# ----------------------------------------------------------------- style loss


def test_style_loss_is_the_summed_squared_gram_difference() -> None:
    rng = np.random.default_rng(2)
    shapes = [(2, 4, 4), (3, 3, 2)]
    s = [rng.uniform(0, 2, shape) for shape in shapes]
    g = [rng.uniform(0, 2, shape) for shape in shapes]
    expected = sum(
        np.sum((numpy_gram(a) - numpy_gram(b)) ** 2) for a, b in zip(s, g, strict=True)
    )
    assert np.isclose(style.style_loss(s, g), expected, rtol=1e-12)


def test_style_loss_worked_numbers() -> None:
    assert style.style_loss([[[[1.0]]]], [[[[3.0]]]]) == 64.0  # (1 − 9)²
    assert style.style_loss([np.ones((2, 2, 2))], [np.ones((2, 2, 2))]) == 0.0


def test_published_conventions_are_positive_rescalings_of_the_notes() -> None:
    """Per layer with N channels and M positions: Gatys = notes / (4N²M²); the
    PyTorch tutorial (Gram / (N·M), then F.mse_loss) = notes / (N⁴M²)."""
    rng = np.random.default_rng(3)
    a, b = rng.uniform(0, 1, (4, 3, 5)), rng.uniform(0, 1, (4, 3, 5))
    n, m = 4, 15
    notes = style.style_loss([a], [b])
    ta, tb = torch.tensor(a).reshape(n, m), torch.tensor(b).reshape(n, m)
    tutorial = torch.nn.functional.mse_loss(ta @ ta.T / (n * m), tb @ tb.T / (n * m))
    assert np.isclose(float(tutorial) * n**4 * m**2, notes, rtol=1e-10)
    gatys = np.sum((numpy_gram(a) - numpy_gram(b)) ** 2) / (4 * n**2 * m**2)
    assert np.isclose(gatys * 4 * n**2 * m**2, notes, rtol=1e-12)


def test_content_loss_is_a_sum_without_half() -> None:
    a, b = np.random.default_rng(4).normal(size=(2, 3, 2, 2))
    expected = torch.nn.functional.mse_loss(
        torch.tensor(a), torch.tensor(b), reduction="sum"
    )
    assert np.isclose(float(style.content_loss_of(a, b)), float(expected), rtol=1e-12)


# ------------------------------------------------------------ network and loss


def test_network_matches_torch_conv_modules() -> None:
    p = random_problem(5, channels=2)
    conv1, conv2 = torch.nn.Conv2d(2, 3, 2).double(), torch.nn.Conv2d(3, 4, 2).double()
    with torch.no_grad():
        conv1.weight.copy_(torch.tensor(p["w1"]))
        conv1.bias.copy_(torch.tensor(p["b1"]))
        conv2.weight.copy_(torch.tensor(p["w2"]))
        conv2.bias.copy_(torch.tensor(p["b2"]))
        x = torch.tensor(p["content"])[None]
        h1 = torch.relu(conv1(x))
        h2 = torch.relu(conv2(h1))
    got = style.network_features(
        style.as_tensor(p["content"]), p["w1"], p["b1"], p["w2"], p["b2"]
    )
    torch.testing.assert_close(got[0], h1[0])
    torch.testing.assert_close(got[1], h2[0])
    np.testing.assert_allclose(
        got[0].numpy(), numpy_conv_relu(p["content"], p["w1"], p["b1"])
    )


def test_total_loss_matches_a_numpy_implementation() -> None:
    p = random_problem(6)
    for alpha, beta in [(1.0, 1.0), (0.5, 0.5), (2.0, 0.0), (0.0, 0.3)]:
        got = style.style_transfer_loss(**p, alpha=alpha, beta=beta)
        assert np.isclose(got, numpy_total(p, alpha, beta), rtol=1e-10)


def test_total_loss_is_zero_when_all_images_agree() -> None:
    p = random_problem(7)
    p["style"] = p["generated"] = p["content"]
    assert style.style_transfer_loss(**p, alpha=1.0, beta=1.0) == 0.0


# ------------------------------------------------------------------- the step


def test_step_matches_finite_differences() -> None:
    p = random_problem(8, channels=2)
    alpha, beta, lr, h = 0.7, 0.3, 0.01, 1e-6
    g = p["generated"]
    numeric = np.zeros_like(g)
    for index in np.ndindex(g.shape):
        up, down = g.copy(), g.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (
            numpy_total({**p, "generated": up}, alpha, beta)
            - numpy_total({**p, "generated": down}, alpha, beta)
        ) / (2 * h)
    got = style.style_step(**p, alpha=alpha, beta=beta, lr=lr)
    np.testing.assert_allclose(got, g - lr * numeric, rtol=0, atol=1e-8)


def test_step_descends_and_leaves_the_weights_alone() -> None:
    p = random_problem(9)
    frozen = {k: torch.tensor(p[k]) for k in ("w1", "b1", "w2", "b2")}
    before = {k: v.clone() for k, v in frozen.items()}
    inputs = {k: p[k].copy() for k in ("content", "style", "generated")}
    moved = style.style_step(**inputs, **frozen, alpha=1.0, beta=1.0, lr=1e-3)
    for name, tensor in frozen.items():
        assert tensor.grad is None and not tensor.requires_grad
        torch.testing.assert_close(tensor, before[name], rtol=0, atol=0)
    np.testing.assert_array_equal(inputs["generated"], p["generated"])
    old = style.style_transfer_loss(**p, alpha=1.0, beta=1.0)
    new = style.style_transfer_loss(**{**p, "generated": moved}, alpha=1.0, beta=1.0)
    assert new < old


# ------------------------------------------------------ the cases of the specs


def test_the_cases_numpy_conv_matches_the_reference_network() -> None:
    """The specs draw their cases with a NumPy convolution (cheaper than torch
    there); it must agree with the reference's conv2d, or a case could sit on a
    ReLU kink the check did not see."""
    from engine.specs.style_transfer import _conv

    problem = random_problem(3, channels=2)
    pre = _conv(problem["generated"], problem["w1"], problem["b1"])
    expected = torch.nn.functional.conv2d(
        style.as_tensor(problem["generated"])[None],
        style.as_tensor(problem["w1"]),
        style.as_tensor(problem["b1"]),
    )[0]
    np.testing.assert_allclose(pre, expected.numpy(), rtol=0, atol=1e-12)


def test_every_generated_image_of_the_cases_is_clear_of_the_relu_kinks() -> None:
    from engine.specs import get_spec

    for seed in (0, 1, 2):
        for case in get_spec("style_step").cases(seed):
            k = case.kwargs
            x = style.as_tensor(k["generated"])[None]
            z1 = torch.nn.functional.conv2d(
                x, style.as_tensor(k["w1"]), style.as_tensor(k["b1"])
            )
            z2 = torch.nn.functional.conv2d(
                torch.relu(z1), style.as_tensor(k["w2"]), style.as_tensor(k["b2"])
            )
            assert z1.abs().min() > 1e-3 and z2.abs().min() > 1e-3, case.name
