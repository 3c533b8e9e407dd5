"""Exam-level variants for lecture 7.1, word representations: a linear layer
applied to one-hot, count and bag-of-words vectors (a row lookup and sums of
rows), the weight budget of sparse inputs against an embedding table, and a
count function that matches substrings instead of tokens."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from engine.reference import text
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, differs, matrix_text, shaped

WORDS = ("dogs", "cats", "chase", "love", "birds", "and", "not", "fish")


def _vocabulary(rng: np.random.Generator, pool: Sequence[str], size: int) -> list[str]:
    """Distinct words in a given order that is not alphabetical."""
    while True:
        words = [str(w) for w in rng.choice(pool, size=size, replace=False)]
        if words != sorted(words):
            return words


# ------------------------------------------- a linear layer on sparse vectors


def _linear_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    vocabulary = _vocabulary(rng, WORDS, 5)
    tokens = [str(w) for w in rng.choice(vocabulary, size=int(rng.integers(5, 8)))]
    weights = rng.integers(-2, 3, size=(5, 2)).astype(float)
    word = str(rng.choice(vocabulary))
    counts = text.count_vector(tokens, vocabulary).numpy()
    bow = text.bag_of_words(tokens, vocabulary).numpy()
    if np.abs(weights).sum(axis=1).min() == 0 or len({tuple(r) for r in weights}) < 5:
        return None
    if bow.min() > 0 or not differs(counts @ weights, bow @ weights, 0.5):
        return None
    if not differs(bow @ weights, weights.sum(axis=0), 0.5):
        return None
    return {"vocabulary": vocabulary, "tokens": tokens, "weights": weights,
            "word": word, "counts": counts, "bow": bow}  # fmt: skip


def _linear_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if not differs(answer["dense_counts"], answer["dense_bow"], 0.5):
        return "counts and the bag of words give the same output"
    return None


@generator(
    "exam_wr_linear_layer",
    guarantees=(
        "a 5-word vocabulary in non-alphabetical order; a sentence of 5 to 7 of its words",
        "some word repeats and some vocabulary word is missing from the sentence",
        "W is 5×2 with whole entries −2…2, no zero row and no two rows equal",
        "xᵀW differs between counts and bag of words, and from the sum of all rows",
        "answers from the engine's one_hot, count_vector and bag_of_words times W (torch)",
        "follow: both products from the student's own count vector",
    ),
    holds=_linear_holds,
)
def exam_wr_linear_layer(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    draw = bounded_draw(rng, _linear_draw)
    vocabulary, weights = draw["vocabulary"], draw["weights"]
    matrix = torch.as_tensor(weights)
    lookup = text.one_hot(draw["word"], vocabulary) @ matrix
    answer = {
        "lookup": lookup.numpy(),
        "counts": draw["counts"],
        "dense_counts": (torch.as_tensor(draw["counts"]) @ matrix).numpy(),
        "dense_bow": (torch.as_tensor(draw["bow"]) @ matrix).numpy(),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """xᵀW from the student's own count vector (and its 0/1 version)."""
        own = shaped(earlier["counts"], (5,)) if "counts" in earlier else None
        if own is None:
            return None
        if part == "dense_counts":
            return own @ weights
        if part == "dense_bow":
            return (own > 0).astype(float) @ weights
        return None

    values = {
        **draw,
        **answer,
        "sentence": " ".join(draw["tokens"]),
        "position": vocabulary.index(draw["word"]) + 1,
        "all_rows": weights.sum(axis=0),
        "all_rows_text": matrix_text(weights.sum(axis=0)),
    }
    return Variant(values=values, answer=answer, follow=follow)


# --------------------------------------------- the weight budget of the input


def _parameters(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _first_layer(inputs: int, units: int) -> int:
    return _parameters(torch.nn.Linear(inputs, units, device="meta"))


def _table(words: int, dimensions: int) -> int:
    # Its weight given, the table skips initialising it: a random init on the
    # meta device imports torch's compiler stack (36 MiB in the web process).
    weight = torch.empty(words, dimensions, device="meta")
    return _parameters(torch.nn.Embedding(words, dimensions, _weight=weight))


def _trained(words: int, dimensions: int, units: int) -> int:
    return _table(words, dimensions) + _first_layer(dimensions, units)


def _budget_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    words, units, d_max = values["words"], values["units"], answer["d_max"]
    sparse = answer["sparse"]
    if not _trained(words, d_max, units) < sparse <= _trained(words, d_max + 1, units):
        return "d_max is not the largest size that stays below the sparse layer"
    if not answer["trained"] > sparse:
        return "training the table does not cost more than the sparse layer"
    return None


@generator(
    "exam_wr_weight_budget",
    guarantees=(
        "|V| in {20 000, 30 000, 50 000}; D in {150, 200, 300}; H in {32, 64, 128}, so D > H",
        "counts from torch modules (Linear, Embedding) built on the meta device",
        (
            "training the table costs more than the count-vector layer; d_max is the "
            "largest D that costs less, checked on both sides"
        ),
    ),
    holds=_budget_holds,
)
def exam_wr_weight_budget(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    words = int(rng.choice([20_000, 30_000, 50_000]))
    dimensions = int(rng.choice([150, 200, 300]))
    units = int(rng.choice([32, 64, 128]))
    sparse = _first_layer(words, units)
    # The largest D with |V|·D + D·H + H < |V|·H + H, i.e. D < |V|H / (|V| + H).
    d_max = -(-words * units // (words + units)) - 1
    answer = {
        "sparse": sparse,
        "frozen": _first_layer(dimensions, units),
        "trained": _trained(words, dimensions, units),
        "d_max": d_max,
    }
    values = {
        "words": words,
        "dimensions": dimensions,
        "units": units,
        "table": _table(words, dimensions),
        "bound": words * units / (words + units),
        "ratio": sparse / answer["frozen"],
        **answer,
    }
    return Variant(values=values, answer=answer)


# ------------------------------------------------ counting substrings, not tokens


# Shown to students exactly as written (inspect.getsource), bug included; the
# generator runs it to find what it returns.
def count_vector(text: str, vocabulary: list[str]) -> list[int]:
    return [text.count(word) for word in vocabulary]


SUBSTRING_COUNT_CODE = inspect.getsource(count_vector)
NESTED_WORDS = (
    "cat", "cats", "at", "the", "then", "he", "on", "one", "dog", "dogs", "do",
    "and", "sand", "is", "this", "in",
)  # fmt: skip


def _substring_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    tokens = [str(w) for w in rng.choice(NESTED_WORDS, size=int(rng.integers(6, 9)))]
    vocabulary = [str(w) for w in rng.choice(NESTED_WORDS, size=5, replace=False)]
    sentence = " ".join(tokens)
    returned = np.array(count_vector(sentence, vocabulary), dtype=float)
    correct = text.count_vector(tokens, vocabulary).numpy()
    wrong_entries = int((returned != correct).sum())
    if not 2 <= wrong_entries <= 4 or correct.sum() < 2 or returned.max() > 6:
        return None
    return {"tokens": tokens, "sentence": sentence, "vocabulary": vocabulary,
            "returned": returned, "correct": correct}  # fmt: skip


@generator(
    "exam_wr_substring_count",
    guarantees=(
        "a sentence of 6 to 8 words and a 5-word vocabulary from words nested in each other",
        "the substring count differs from the token count in 2 to 4 entries",
        (
            "the returned vector by running the shown function; the right one from the "
            "engine's count_vector on the tokens"
        ),
    ),
    holds=lambda v: (
        None
        if differs(v.answer["returned"], v.answer["correct"], 0.5)
        else "the substring count equals the token count"
    ),
)
def exam_wr_substring_count(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    draw = bounded_draw(rng, _substring_draw)
    answer = {"returned": draw["returned"], "correct": draw["correct"]}
    rows = [
        {"word": w, "returned": int(r), "correct": int(c)}
        for w, r, c in zip(
            draw["vocabulary"], draw["returned"], draw["correct"], strict=True
        )
    ]
    values = {**draw, "code": SUBSTRING_COUNT_CODE, "rows": rows}
    return Variant(values=values, answer=answer)
