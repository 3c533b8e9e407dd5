"""The balanced style-transfer losses against independent computations: the
notes' Gram matrix entry by entry in NumPy loops, the existing references of
the style loss and of the whole network's total loss, and the prompt's worked
example."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine import get_spec
from engine.reference import style, style_balanced
from engine.specs.style_balanced import balanced_cases
from tests.engine.prompt_examples import check_example


def loop_gram(features: np.ndarray) -> np.ndarray:
    c = features.shape[0]
    return np.array(
        [[np.sum(features[i] * features[j]) for j in range(c)] for i in range(c)]
    )


@pytest.mark.parametrize("seed", range(10))
def test_the_losses_match_numpy_loops(seed: int) -> None:
    for case in balanced_cases(seed):
        kw = case.kwargs
        c, s, g = (
            [np.asarray(f, dtype=float) for f in kw[name]]
            for name in ("content_features", "style_features", "generated_features")
        )
        content = sum(np.sum((c[i] - g[i]) ** 2) for i in kw["content_layers"])
        styled = sum(
            np.sum((loop_gram(s[i]) - loop_gram(g[i])) ** 2) for i in kw["style_layers"]
        )
        got = style_balanced.balanced_losses(**kw)
        np.testing.assert_allclose(
            got, [content, styled, 0.5 * content + 0.5 * styled], rtol=1e-12
        )


def test_the_style_term_is_the_style_loss_of_the_style_layers() -> None:
    case = balanced_cases(3)[0].kwargs
    layers = case["style_layers"]
    expected = style.style_loss(
        [case["style_features"][i] for i in layers],
        [case["generated_features"][i] for i in layers],
    )
    assert style_balanced.balanced_losses(**case)[1] == pytest.approx(
        expected, rel=1e-12
    )


def test_through_the_frozen_network_it_is_the_total_loss_at_one_half() -> None:
    """With the maps of the two-layer network of `style_transfer_loss`
    (content at h2, style at h1 and h2), the total equals that exercise's
    reference at alpha = beta = 0.5."""
    rng = np.random.default_rng(5)
    w1, b1 = rng.normal(size=(3, 2, 2, 2)), rng.normal(size=3) * 0.1
    w2, b2 = rng.normal(size=(4, 3, 2, 2)), rng.normal(size=4) * 0.1
    images = [rng.uniform(size=(2, 5, 5)) for _ in range(3)]
    maps = [
        [f.numpy() for f in style.network_features(torch.as_tensor(x), w1, b1, w2, b2)]
        for x in images
    ]
    total = style.style_transfer_loss(*images, w1, b1, w2, b2, 0.5, 0.5)
    got = style_balanced.balanced_losses(*maps, [1], [0, 1])
    assert got[2] == pytest.approx(total, rel=1e-12)


def test_a_layer_in_neither_list_does_not_count() -> None:
    case = balanced_cases(0)[2].kwargs  # layer 2 is in neither list
    assert 2 not in case["content_layers"] + case["style_layers"]
    changed = {**case, "generated_features": list(case["generated_features"])}
    changed["generated_features"][2] = np.zeros_like(
        np.asarray(case["generated_features"][2])
    ).tolist()
    assert style_balanced.balanced_losses(**changed) == style_balanced.balanced_losses(
        **case
    )


def test_the_edge_cases_have_a_zero_loss_where_their_labels_say() -> None:
    cases = {case.name: case.kwargs for case in balanced_cases(0)}
    assert style_balanced.balanced_losses(**cases["G is C"])[0] == 0.0
    assert style_balanced.balanced_losses(**cases["G is S"])[1] == 0.0


def test_the_prompts_example_is_the_references() -> None:
    claims = check_example(
        "lecture-6/6.09-style-transfer.yaml",
        "balanced_style_loss",
        "balanced_style_loss",
        style_balanced.balanced_losses,
    )
    assert claims == {"losses": (1.0, 12.0, 6.5)}


def test_the_spec_grades_with_this_reference() -> None:
    assert get_spec("balanced_style_loss").reference is style_balanced.balanced_losses
