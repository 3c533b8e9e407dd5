"""The text-representation references against independent computations: plain
Python counting, math.log, PyTorch's F.cosine_similarity, the notes' worked
numbers, and hypothesis laws."""

import copy
import math
from collections import Counter

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F  # noqa: N812

from engine.reference import text
from engine.specs import get_spec

TEXT_SPECS = (
    "bag_of_words",
    "count_vector",
    "term_frequency",
    "inverse_document_frequency",
    "tf_idf",
    "cosine_similarity",
    "pairwise_cosine",
)
# The notes' TF-IDF example: document 1 has 1 + 1 + 2 + 4 = 8 words, document 2
# has 1 + 2 + 1 + 1 = 5, and "This" is in both.
DOC1 = ["This", "is", "a", "a", "sample", "sample", "sample", "sample"]
DOC2 = ["This", "another", "another", "example", "text"]

words = st.sampled_from(["a", "b", "c", "d", "A"])
documents = st.lists(words, min_size=1, max_size=12)
corpora = st.lists(documents, min_size=1, max_size=5)


def plain_tf_idf(docs: list[list[str]], vocabulary: list[str]) -> list[list[float]]:
    """TF-IDF written from the notes' formulas with dictionaries and math.log."""
    n = len(docs)
    df = {w: sum(1 for doc in docs if w in doc) for w in vocabulary}
    rows = []
    for doc in docs:
        counts = Counter(doc)
        rows.append([counts[w] / len(doc) * math.log(n / df[w]) for w in vocabulary])
    return rows


# ------------------------------------------------------------- one-hot and BOW


def test_one_hot_puts_a_single_one_at_the_word() -> None:
    vocabulary = ["cat", "kitten", "dog"]
    assert text.one_hot("kitten", vocabulary).tolist() == [0.0, 1.0, 0.0]
    assert text.one_hot("dog", vocabulary).tolist() == [0.0, 0.0, 1.0]
    with pytest.raises(ValueError):
        text.one_hot("puppy", vocabulary)
    with pytest.raises(ValueError):
        text.one_hot("cat", ["cat", "cat"])


def test_one_hot_vectors_of_different_words_are_orthogonal() -> None:
    # The notes' complaint: one-hot 'cat' and 'kitten' have nothing in common.
    vocabulary = ["cat", "kitten", "dog"]
    cat, kitten = text.one_hot("cat", vocabulary), text.one_hot("kitten", vocabulary)
    assert text.cosine_similarity(cat, kitten) == 0.0


def test_bag_of_words_loses_word_order_as_the_notes_say() -> None:
    vocabulary = ["I", "love", "dogs", "not", "cats"]
    first = ["I", "love", "dogs", ",", "not", "cats"]
    second = ["I", "love", "cats", ",", "not", "dogs"]
    assert torch.equal(
        text.bag_of_words(first, vocabulary), text.bag_of_words(second, vocabulary)
    )


@given(documents, st.permutations(["a", "b", "c", "d", "e"]))
def test_counts_and_bag_of_words_match_plain_counting(
    tokens: list[str], vocabulary: list[str]
) -> None:
    counts = text.count_vector(tokens, vocabulary).tolist()
    assert counts == [float(tokens.count(w)) for w in vocabulary]
    bag = text.bag_of_words(tokens, vocabulary).tolist()
    assert bag == [1.0 if w in tokens else 0.0 for w in vocabulary]
    assert text.term_frequency(tokens, vocabulary).tolist() == pytest.approx(
        [tokens.count(w) / len(tokens) for w in vocabulary]
    )


def test_tokens_match_case_sensitively() -> None:
    assert text.count_vector(["The", "the", "The"], ["the", "The"]).tolist() == [1, 2]


def test_tokens_match_whole_with_their_punctuation() -> None:
    tokens = ["cats", "category", "dogs,", "cat", "!"]
    assert text.count_vector(tokens, ["cat", "at", "dogs", "!"]).tolist() == [
        1,
        0,
        0,
        1,
    ]


# --------------------------------------------------------------------- TF-IDF


def test_notes_worked_example_tf_idf_of_this_is_zero() -> None:
    vocabulary = ["This", "sample", "another"]
    assert text.term_frequency(DOC1, vocabulary)[0] == 1 / 8
    assert text.term_frequency(DOC2, vocabulary)[0] == 1 / 5
    idf = text.inverse_document_frequency([DOC1, DOC2], vocabulary)
    assert idf[0] == 0.0  # ln(2 / 2)
    assert idf[1] == pytest.approx(math.log(2))  # natural log, not log10
    matrix = text.tf_idf([DOC1, DOC2], vocabulary)
    assert matrix[0, 0] == 0.0 and matrix[1, 0] == 0.0  # 1/8 × 0 and 1/5 × 0
    assert matrix[0, 1] == pytest.approx(4 / 8 * math.log(2))
    assert matrix[1, 2] == pytest.approx(2 / 5 * math.log(2))


def test_idf_counts_documents_not_occurrences() -> None:
    docs = [["spam", "spam", "spam"], ["eggs"], ["eggs", "spam"]]
    idf = text.inverse_document_frequency(docs, ["spam", "eggs"])
    assert idf.tolist() == pytest.approx([math.log(3 / 2), math.log(3 / 2)])


def test_idf_rejects_a_word_in_no_document() -> None:
    with pytest.raises(ValueError, match="ham"):
        text.inverse_document_frequency([["spam"]], ["spam", "ham"])


def test_term_frequency_counts_every_token_in_the_length() -> None:
    tf = text.term_frequency(["a", "b", "zzz", "a"], ["a", "b"])
    assert tf.tolist() == [0.5, 0.25]


@settings(deadline=None)
@given(corpora)
def test_tf_idf_matches_the_notes_formulas(docs: list[list[str]]) -> None:
    vocabulary = sorted({w for doc in docs for w in doc}, reverse=True)
    got = text.tf_idf(docs, vocabulary).numpy()
    np.testing.assert_allclose(got, plain_tf_idf(docs, vocabulary), atol=1e-12)
    assert (got >= 0).all()
    tf = np.array([text.term_frequency(doc, vocabulary).numpy() for doc in docs])
    np.testing.assert_allclose(tf.sum(axis=1), 1.0)


def test_log_bases_differ_by_a_constant_factor() -> None:
    # The diagnostic behind the idf-log10 / idf-log2 mistakes.
    docs = [["a", "b"], ["b", "c"], ["c", "a", "d"]]
    vocabulary = ["a", "b", "c", "d"]
    spec = get_spec("inverse_document_frequency")
    mistakes = {m.id: m.function for m in spec.mistakes}
    natural = text.inverse_document_frequency(docs, vocabulary).numpy()
    np.testing.assert_allclose(
        natural / mistakes["idf-log10"](docs, vocabulary), math.log(10)
    )
    np.testing.assert_allclose(
        natural / mistakes["idf-log2"](docs, vocabulary), math.log(2)
    )


def test_sklearn_style_idf_gives_the_notes_this_a_non_zero_weight() -> None:
    # scikit-learn's smoothed IDF ln((1 + N) / (1 + df)) + 1 = 1 for "This";
    # ln(N / (1 + df)) is negative: ln(2 / 3).
    spec = get_spec("inverse_document_frequency")
    mistakes = {m.id: m.function for m in spec.mistakes}
    assert mistakes["idf-sklearn-smooth"]([DOC1, DOC2], ["This"])[0] == 1.0
    assert mistakes["idf-plus-one-df"]([DOC1, DOC2], ["This"])[0] == pytest.approx(
        math.log(2 / 3)
    )


def test_sklearn_unsmoothed_idf_is_the_notes_idf_plus_one() -> None:
    # scikit-learn with smooth_idf=False: ln(N / df) + 1, so "This" keeps 1.
    spec = get_spec("inverse_document_frequency")
    mistakes = {m.id: m.function for m in spec.mistakes}
    vocabulary = ["This", "sample", "another"]
    natural = text.inverse_document_frequency([DOC1, DOC2], vocabulary).numpy()
    unsmoothed = mistakes["idf-sklearn-no-smooth"]([DOC1, DOC2], vocabulary)
    np.testing.assert_allclose(unsmoothed, natural + 1)
    assert unsmoothed[0] == 1.0


def test_idf_is_a_real_division_inside_the_log() -> None:
    docs = [["rain", "snow"], ["rain", "sun"], ["sun"]]
    idf = text.inverse_document_frequency(docs, ["rain", "snow"]).tolist()
    assert idf == pytest.approx([math.log(1.5), math.log(3)])


# --------------------------------------------------------------------- cosine


def test_notes_2d_example() -> None:
    digital, information, apricot = [1.0, 1.0], [2.0, 3.0], [6.0, 1.0]
    assert text.cosine_similarity(digital, information) == pytest.approx(
        5 / math.sqrt(2 * 13)
    )
    assert text.cosine_similarity(digital, apricot) == pytest.approx(
        7 / math.sqrt(2 * 37)
    )
    # 'digital' is closer in angle to 'information' than to 'apricot'.
    assert text.cosine_similarity(digital, information) > text.cosine_similarity(
        digital, apricot
    )


def test_cosine_of_a_zero_vector_is_defined_as_zero() -> None:
    assert text.cosine_similarity([0.0, 0.0], [1.0, 2.0]) == 0.0
    assert text.cosine_similarity([1.0, 2.0], [0.0, 0.0]) == 0.0
    assert text.cosine_similarity([0.0, 0.0], [0.0, 0.0]) == 0.0
    # PyTorch agrees on exact zeros ...
    zero = torch.zeros(2, dtype=torch.float64)
    assert F.cosine_similarity(zero, torch.tensor([1.0, 2.0]).double(), dim=0) == 0
    # ... but clamps each norm at eps = 1e-8, which the reference does not.
    tiny = torch.tensor([1e-9, 0.0], dtype=torch.float64)
    unit = torch.tensor([1.0, 0.0], dtype=torch.float64)
    assert F.cosine_similarity(tiny, unit, dim=0) == pytest.approx(0.1)
    assert text.cosine_similarity(tiny, unit) == pytest.approx(1.0)


vectors = st.integers(1, 6).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(-10, 10), min_size=n, max_size=n),
        st.lists(st.floats(-10, 10), min_size=n, max_size=n),
    )
)


@settings(deadline=None)
@given(vectors)
def test_cosine_matches_pytorch_and_its_laws(
    pair: tuple[list[float], list[float]],
) -> None:
    a, b = pair
    value = text.cosine_similarity(a, b)
    assert -1.0 <= value <= 1.0
    assert value == pytest.approx(text.cosine_similarity(b, a), abs=1e-12)
    if np.linalg.norm(a) > 1e-3 and np.linalg.norm(b) > 1e-3:
        ta = torch.tensor(a, dtype=torch.float64)
        tb = torch.tensor(b, dtype=torch.float64)
        assert value == pytest.approx(
            float(F.cosine_similarity(ta, tb, dim=0)), abs=1e-9
        )
        assert text.cosine_similarity([3 * x for x in a], b) == pytest.approx(
            value, abs=1e-9
        )


matrices = st.tuples(st.integers(1, 5), st.integers(1, 4)).flatmap(
    lambda shape: st.lists(
        st.lists(st.floats(-5, 5), min_size=shape[1], max_size=shape[1]),
        min_size=shape[0],
        max_size=shape[0],
    )
)


@settings(deadline=None)
@given(matrices)
def test_pairwise_cosine_matches_pytorch_on_rows(rows: list[list[float]]) -> None:
    x = torch.tensor(rows, dtype=torch.float64)
    got = text.pairwise_cosine(x)
    assert got.shape == (len(rows), len(rows))
    torch.testing.assert_close(got, got.T)
    nonzero = torch.linalg.vector_norm(x, dim=1) > 1e-3
    want = F.cosine_similarity(x[:, None, :], x[None, :, :], dim=-1)
    mask = nonzero[:, None] & nonzero[None, :]
    torch.testing.assert_close(got[mask], want[mask], rtol=0, atol=1e-9)
    torch.testing.assert_close(
        torch.diagonal(got)[nonzero], torch.ones(int(nonzero.sum())).double()
    )


def test_pairwise_cosine_zero_row_is_zero_everywhere() -> None:
    got = text.pairwise_cosine([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    assert got[1].tolist() == [0.0, 0.0, 0.0] and got[:, 1].tolist() == [0, 0, 0]
    assert got[0, 2] == pytest.approx(1 / math.sqrt(2))


# ---------------------------------------------------------------------- specs


def _agrees(spec, f, g, case) -> bool:
    return spec.compare(
        f(**copy.deepcopy(case.kwargs)), g(**copy.deepcopy(case.kwargs))
    ).passed


@pytest.mark.parametrize("spec_id", TEXT_SPECS)
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


@pytest.mark.parametrize("spec_id", TEXT_SPECS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_outputs_keep_every_property(spec_id: str, seed: int) -> None:
    spec = get_spec(spec_id)
    cases = spec.cases(seed)
    outputs = [spec.reference(**copy.deepcopy(case.kwargs)) for case in cases]
    plain = [o.numpy() if isinstance(o, torch.Tensor) else o for o in outputs]
    for law in spec.properties:
        assert law.check(cases, plain) is None, law.id


def test_random_cosine_cases_have_no_zero_or_tiny_vectors() -> None:
    for seed in range(5):
        for case in get_spec("cosine_similarity").cases(seed):
            if case.label == "random":
                assert min(np.linalg.norm(v) for v in case.kwargs.values()) > 0.5
        for case in get_spec("pairwise_cosine").cases(seed):
            if case.label == "random":
                assert np.linalg.norm(case.kwargs["matrix"], axis=1).min() > 0.5
