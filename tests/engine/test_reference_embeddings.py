"""The word-embedding references against independent computations: pairs by
position arithmetic, PyTorch's BCE-with-logits and autograd, nn.EmbeddingBag,
a gensim-style analogy written here, the notes' worked numbers (and their
errata), and hypothesis laws."""

import copy
import itertools
import math
from collections import Counter

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F  # noqa: N812

from engine.reference import embeddings
from engine.specs import get_spec
from engine.specs.base import Case

EMBEDDING_SPECS = (
    "skipgram_pairs",
    "noise_distribution",
    "skipgram_objective",
    "skipgram_gradients",
    "analogy",
    "cbow_average",
)
SENTENCE = ["lemon", "a", "tablespoon", "of", "apricot", "jam", "a", "pinch"]

# ------------------------------------------------------------------------ pairs


def test_notes_apricot_window_and_its_erratum() -> None:
    """The notes' ±2 window around 'apricot' in "lemon, a tablespoon of apricot
    jam, a pinch" lists c1 = "a", c2 = "tablespoon", c3 = "jam", c4 = "a". The
    two words before 'apricot' are "tablespoon" and "of": the notes skip "of"
    and reach three positions back for "a". The reference follows the window."""
    pairs = embeddings.skipgram_pairs(SENTENCE, window=2)
    around_apricot = [c for t, c in pairs if t == "apricot"]
    assert around_apricot == ["tablespoon", "of", "jam", "a"]
    notes = ["a", "tablespoon", "jam", "a"]
    assert Counter(around_apricot) != Counter(notes)


def by_positions(tokens: list[str], window: int) -> Counter:
    return Counter(
        (tokens[i], tokens[j])
        for i, j in itertools.permutations(range(len(tokens)), 2)
        if abs(i - j) <= window
    )


sentences = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=12)


@given(sentences, st.integers(1, 4))
def test_pairs_are_every_two_positions_within_the_window(
    tokens: list[str], window: int
) -> None:
    pairs = embeddings.skipgram_pairs(tokens, window)
    assert Counter(pairs) == by_positions(tokens, window)
    n = len(tokens)
    assert len(pairs) == sum(min(i, window) + min(n - 1 - i, window) for i in range(n))
    # Context is a symmetric relation: (t, c) occurs as often as (c, t).
    assert Counter(pairs) == Counter((c, t) for t, c in pairs)


def test_the_window_property_names_what_is_wrong_with_a_pair() -> None:
    law = get_spec("skipgram_pairs").properties[0]
    case = Case("c", {"tokens": ["very", "very", "good"], "window": 1})
    pairs = embeddings.skipgram_pairs(["very", "very", "good"], 1)
    assert law.check([case], [pairs]) is None
    assert "not two different positions" in law.check([case], [[("good", "good")]])
    doubled = law.check([case], [[*pairs, ("very", "good")]])
    assert "appears 2 times, but only 1" in doubled


def test_a_repeated_word_pairs_with_its_neighbouring_copy() -> None:
    pairs = embeddings.skipgram_pairs(["very", "very", "good"], 1)
    assert Counter(pairs) == Counter(
        [("very", "very"), ("very", "very"), ("very", "good"), ("good", "very")]
    )


# ------------------------------------------------------------------------ noise


def test_noise_distribution_exact_numbers() -> None:
    # 16^(3/4) = 8, 81^(3/4) = 27, 0^(3/4) = 0.
    got = embeddings.noise_distribution([16, 0, 81])
    assert got.tolist() == pytest.approx([8 / 35, 0.0, 27 / 35])


def test_notes_negative_sampling_example_and_its_erratum() -> None:
    """The notes: P(a) = 0.99, P(b) = 0.01 give 0.99^(3/4) = 0.992 and
    0.01^(3/4) = 0.018, a ratio of ≈ 55. The first is right; the second is not:
    0.01^(3/4) = 10^(−1.5) ≈ 0.0316, and the ratio is 99^(3/4) ≈ 31.4. The
    conclusion (the 3/4 power gives rare words more weight) holds."""
    common, rare = 0.99**0.75, 0.01**0.75
    assert common == pytest.approx(0.992, abs=5e-4)
    assert rare == pytest.approx(0.0316, abs=5e-5)
    assert abs(rare - 0.018) > 0.01  # the notes' 0.018 does not follow
    ratio = common / rare
    assert ratio == pytest.approx(99**0.75)
    assert ratio == pytest.approx(31.39, abs=0.01)
    assert abs(ratio - 55) > 20  # nor does the ratio ≈ 55
    p = embeddings.noise_distribution([0.99, 0.01])
    assert p.tolist() == pytest.approx([0.9691, 0.0309], abs=1e-4)
    assert p[1] > 0.01  # the rare word is sampled more often than its frequency
    assert torch.allclose(p, embeddings.noise_distribution([99, 1]))


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=10).filter(any))
def test_noise_distribution_is_a_flatter_distribution(counts: list[int]) -> None:
    p = embeddings.noise_distribution(counts)
    unigram = np.asarray(counts, float) / sum(counts)
    assert float(p.sum()) == pytest.approx(1.0)
    assert (p >= 0).all()
    np.testing.assert_allclose(p.numpy()[unigram == 0], 0.0)
    # The most frequent word loses probability, the rarest present word gains.
    assert float(p.max()) <= unigram.max() + 1e-12
    present = unigram > 0
    assert float(p.numpy()[present].min()) >= unigram[present].min() - 1e-12
    # The order of the words by frequency is kept.
    assert (
        np.argsort(p.numpy(), kind="stable") == np.argsort(unigram, kind="stable")
    ).all()


# -------------------------------------------------------------------- objective


def bce_objective(t: torch.Tensor, c: torch.Tensor, n: torch.Tensor) -> torch.Tensor:
    """J as minus PyTorch's summed binary cross-entropy: contexts labelled 1,
    noise words 0, the logits being the dot products with t."""
    logits = torch.cat([c @ t, n @ t])
    labels = torch.cat([torch.ones(len(c)), torch.zeros(len(n))]).double()
    return -F.binary_cross_entropy_with_logits(logits, labels, reduction="sum")


def random_triple(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    d = int(torch.randint(1, 6, (1,), generator=g))
    sizes = torch.randint(1, 5, (2,), generator=g).tolist()
    return (
        torch.randn(d, generator=g, dtype=torch.float64),
        torch.randn(sizes[0], d, generator=g, dtype=torch.float64),
        torch.randn(sizes[1], d, generator=g, dtype=torch.float64),
    )


@pytest.mark.parametrize("seed", range(8))
def test_objective_equals_minus_summed_bce(seed: int) -> None:
    t, c, n = random_triple(seed)
    assert embeddings.skipgram_objective(t, c, n) == pytest.approx(
        float(bce_objective(t, c, n)), rel=1e-12
    )


def test_objective_worked_numbers() -> None:
    # t = 0: every σ is 1/2, so J = (L + k) ln(1/2).
    assert embeddings.skipgram_objective(
        [0.0, 0.0], [[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]]
    ) == pytest.approx(3 * math.log(0.5))
    # One context with t·c = 1, one noise word with t·n = 2, in plain math.
    value = embeddings.skipgram_objective([1.0, 0.0], [[1.0, 5.0]], [[2.0, -3.0]])
    expected = math.log(1 / (1 + math.exp(-1))) + math.log(1 / (1 + math.exp(2)))
    assert value == pytest.approx(expected, rel=1e-12)
    assert embeddings.positive_probability([1.0, 0.0], [1.0, 5.0]) == pytest.approx(
        1 / (1 + math.exp(-1))
    )


def test_objective_stays_finite_for_large_scores() -> None:
    value = embeddings.skipgram_objective([10.0, 0.0], [[12.0, 0.0]], [[12.0, 0.0]])
    assert value == pytest.approx(-120.0)
    # The naive form underflows in float32.
    score = torch.tensor(-120.0)
    assert torch.isinf(torch.sigmoid(score).log())


def test_summing_noise_scores_before_logsigmoid_is_a_different_quantity() -> None:
    t, c = [1.0, 0.0], [[0.5, 0.0]]
    noises = [[1.0, 0.0], [-1.0, 0.0]]  # scores +1 and −1 cancel in a sum
    right = embeddings.skipgram_objective(t, c, noises)
    bug = math.log(1 / (1 + math.exp(-0.5))) + math.log(0.5)
    assert right == pytest.approx(
        math.log(1 / (1 + math.exp(-0.5)))
        + math.log(1 / (1 + math.e))
        + math.log(1 / (1 + math.exp(-1)))
    )
    assert abs(right - bug) > 0.5


@pytest.mark.parametrize("seed", range(8))
def test_gradients_match_autograd(seed: int) -> None:
    t, c, n = (x.clone().requires_grad_(True) for x in random_triple(seed))
    bce_objective(t, c, n).backward()
    grad_t, grad_c, grad_n = embeddings.skipgram_gradients(
        t.detach(), c.detach(), n.detach()
    )
    torch.testing.assert_close(grad_t, t.grad, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(grad_c, c.grad, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(grad_n, n.grad, rtol=1e-12, atol=1e-12)


def test_a_small_ascent_step_increases_the_objective() -> None:
    t, c, n = random_triple(3)
    before = embeddings.skipgram_objective(t, c, n)
    grad_t, grad_c, grad_n = embeddings.skipgram_gradients(t, c, n)
    step = 1e-3
    after = embeddings.skipgram_objective(
        t + step * grad_t, c + step * grad_c, n + step * grad_n
    )
    assert after > before


# ---------------------------------------------------------------------- analogy

ROYAL_WORDS = ["man", "woman", "king", "queen", "prince", "apple"]
ROYAL_VECTORS = [
    [0.2, -1.0, 0.1],
    [0.2, 1.0, 0.1],
    [2.0, -1.0, 0.3],
    [1.8, 1.1, 0.2],
    [1.5, -0.5, 0.8],
    [-0.5, 0.0, 2.0],
]


def gensim_most_similar(vectors, vocabulary, a, b, c) -> str:
    """gensim's KeyedVectors.most_similar(positive=[a, c], negative=[b]), topn=1:
    unit-normalise the inputs, average with weights +1, −1, +1, normalise, rank
    all unit vectors by dot product, skip the input words."""
    unit = np.asarray(vectors, float)
    unit = unit / np.linalg.norm(unit, axis=1, keepdims=True)
    rows = [vocabulary.index(w) for w in (a, b, c)]
    mean = (unit[rows[0]] - unit[rows[1]] + unit[rows[2]]) / 3
    scores = unit @ (mean / np.linalg.norm(mean))
    return next(
        vocabulary[i] for i in np.argsort(-scores, kind="stable") if i not in rows
    )


def test_king_minus_man_plus_woman_is_queen() -> None:
    args = (ROYAL_VECTORS, ROYAL_WORDS, "king", "man", "woman")
    assert embeddings.analogy(*args) == "queen"
    assert gensim_most_similar(*args) == "queen"


def test_query_words_are_never_returned() -> None:
    # a − b + c = c when a = b's twin: c itself would win without exclusion.
    words = ["x", "x2", "y", "z"]
    vectors = [[1.0, 0.0], [1.0, 0.01], [0.0, 1.0], [0.2, 1.0]]
    assert embeddings.analogy(vectors, words, "x", "x2", "y") == "z"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_analogy_cases_agree_with_gensim_style_arithmetic(seed: int) -> None:
    spec = get_spec("analogy")
    for case in spec.cases(seed):
        kwargs = case.kwargs
        args = [kwargs[k] for k in ("embeddings", "vocabulary", "a", "b", "c")]
        assert spec.reference(**kwargs) == gensim_most_similar(*args), case.name


def test_the_exclusion_case_needs_the_exclusion() -> None:
    case = next(c for c in get_spec("analogy").cases(0) if c.name == "rome")
    vectors = np.asarray(case.kwargs["embeddings"], float)
    vocabulary = case.kwargs["vocabulary"]
    rows = [vocabulary.index(case.kwargs[k]) for k in "abc"]
    query = vectors[rows[0]] - vectors[rows[1]] + vectors[rows[2]]
    cosines = vectors @ query / np.linalg.norm(vectors, axis=1) / np.linalg.norm(query)
    assert vocabulary[int(np.argmax(cosines))] == "Italy"
    assert embeddings.analogy(**case.kwargs) == "Rome"


def _cosines(case_name: str) -> tuple[dict[str, float], dict]:
    case = next(c for c in get_spec("analogy").cases(0) if c.name == case_name)
    vectors = np.asarray(case.kwargs["embeddings"], float)
    vocabulary = case.kwargs["vocabulary"]
    rows = [vocabulary.index(case.kwargs[k]) for k in "abc"]
    query = vectors[rows[0]] - vectors[rows[1]] + vectors[rows[2]]
    cosines = vectors @ query / np.linalg.norm(vectors, axis=1) / np.linalg.norm(query)
    return dict(zip(vocabulary, cosines.tolist(), strict=True)), case.kwargs


def test_the_two_nearest_words_can_both_be_query_words() -> None:
    """Skipping only the first query word found is not enough: here a and c
    are the two nearest words, ahead of the answer."""
    cosines, kwargs = _cosines("query words nearest")
    ranked = sorted(cosines, key=cosines.__getitem__, reverse=True)
    assert set(ranked[:2]) == {kwargs["a"], kwargs["c"]}
    assert ranked[2] == embeddings.analogy(**kwargs) == "queen"


def test_the_best_remaining_word_may_have_a_negative_cosine() -> None:
    """Setting the query words' scores to 0 instead of removing them lets a
    query word win when every other cosine is negative."""
    cosines, kwargs = _cosines("negative cosines")
    query = [kwargs[k] for k in "abc"]
    others = {w: v for w, v in cosines.items() if w not in query}
    assert max(others.values()) < 0
    assert embeddings.analogy(**kwargs) == max(others, key=others.__getitem__)


# ------------------------------------------------------------------------- CBOW


@pytest.mark.parametrize("seed", range(4))
def test_cbow_average_matches_embedding_bag(seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    weights = torch.randn(6, 3, generator=g, dtype=torch.float64)
    vocabulary = ["a", "b", "c", "d", "e", "f"]
    context = ["b", "e", "b", "a"]
    bag = torch.nn.EmbeddingBag.from_pretrained(weights, mode="mean")
    indices = torch.tensor([[vocabulary.index(w) for w in context]])
    torch.testing.assert_close(
        embeddings.cbow_average(weights, vocabulary, context), bag(indices)[0]
    )


# ------------------------------------------------------------------------ specs


def _agrees(spec, f, g, case) -> bool:
    return spec.compare(
        f(**copy.deepcopy(case.kwargs)), g(**copy.deepcopy(case.kwargs))
    ).passed


@pytest.mark.parametrize("spec_id", EMBEDDING_SPECS)
def test_every_mistake_is_exposed_and_distinct(spec_id: str) -> None:
    spec = get_spec(spec_id)
    cases = spec.cases(0)
    assert 10 <= len(cases) <= 16
    for mistake in spec.mistakes:
        assert not all(
            _agrees(spec, mistake.function, spec.reference, c) for c in cases
        )
    for i, first in enumerate(spec.mistakes):
        for second in spec.mistakes[i + 1 :]:
            assert not all(
                _agrees(spec, first.function, second.function, c) for c in cases
            ), (first.id, second.id)


@pytest.mark.parametrize("spec_id", EMBEDDING_SPECS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_outputs_keep_every_property(spec_id: str, seed: int) -> None:
    spec = get_spec(spec_id)
    cases = spec.cases(seed)
    outputs = [spec.reference(**copy.deepcopy(case.kwargs)) for case in cases]
    plain = [
        tuple(x.numpy() for x in o) if isinstance(o, tuple) and isinstance(o[0], torch.Tensor)
        else o.numpy() if isinstance(o, torch.Tensor) else o
        for o in outputs
    ]  # fmt: skip
    for law in spec.properties:
        assert law.check(cases, plain) is None, law.id


@settings(deadline=None, max_examples=30)
@given(st.integers(0, 10_000))
def test_random_analogy_cases_are_generated_for_any_seed(seed: int) -> None:
    cases = get_spec("analogy").cases(seed)
    assert all(isinstance(embeddings.analogy(**case.kwargs), str) for case in cases)
