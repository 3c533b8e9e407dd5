"""Exercise specs for lecture 7.4–7.5: skip-gram training pairs and the
negative-sampling noise distribution.

The objective and its gradients are in `engine.specs.embeddings_objective`,
analogies in `engine.specs.embeddings_analogy` and the CBOW average in
`engine.specs.embeddings_cbow`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from engine.compare import allclose, multiset
from engine.reference import embeddings
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)

NO_LIBRARIES = ("gensim", "sklearn", "nltk", "torchtext")
NOTES_SENTENCE = ["lemon", "a", "tablespoon", "of", "apricot", "jam", "a", "pinch"]
WORDS = ["the", "cat", "sat", "on", "mat", "dog", "ran"]

# ---------------------------------------------------------------- skip-gram pairs


def pair_cases(seed: int) -> list[Case]:
    edge = [
        ("one token", ["hello"], 2, "edge: a one-word sentence has no pairs"),
        ("two tokens", ["hot", "tea"], 2, "edge: two words"),
        ("notes", NOTES_SENTENCE, 2, "edge: the notes' sentence, window ±2"),
        ("wide window", ["a", "b", "c"], 5, "edge: window wider than the sentence"),
        ("repeated word", ["very", "very", "good"], 1,
         "convention: a word pairs with its other occurrence next to it"),
        ("window one", ["the", "cat", "sat", "on", "the", "cat"], 1,
         "convention: window ±1; 'the cat' occurs twice, so its pairs occur twice"),
    ]  # fmt: skip
    cases = [
        Case(name, {"tokens": tokens, "window": window}, label)
        for name, tokens, window, label in edge
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        tokens = [str(w) for w in rng.choice(WORDS, size=int(rng.integers(5, 11)))]
        window = int(rng.integers(1, 4))
        cases.append(
            Case(
                f"random {i + 1}",
                {"tokens": tokens, "window": window},
                "random",
                hidden=i >= 4,
            )
        )
    return cases


def _pairs_variant(
    *, include_self: bool = False, right_edge: int = 1, unique: bool = False,
    skip_same_word: bool = False,
) -> Any:  # fmt: skip
    def run(tokens: list[str], window: int) -> list[tuple[str, str]]:
        pairs = []
        for i, target in enumerate(tokens):
            stop = min(len(tokens), i + window + right_edge)
            for j in range(max(0, i - window), stop):
                if (j == i and not include_self) or (
                    skip_same_word and tokens[j] == target
                ):
                    continue
                pairs.append((target, tokens[j]))
        return sorted(set(pairs)) if unique else pairs

    return run


def _within_window(kwargs: dict[str, Any], got: Any) -> str | None:
    tokens, window = kwargs["tokens"], kwargs["window"]
    allowed = Counter(embeddings.skipgram_pairs(tokens, window))
    for pair, count in Counter(tuple(pair) for pair in got).items():
        if pair not in allowed:
            return f"{pair!r} is not two different positions at most {window} apart"
        if count > allowed[pair]:
            return (
                f"{pair!r} appears {count} times, but only {allowed[pair]} pairs "
                f"of different positions at most {window} apart hold those words"
            )
    return None


SKIPGRAM_PAIRS = register(
    ExerciseSpec(
        id="skipgram_pairs",
        title="Skip-gram (target, context) pairs",
        topic="7.4",
        entry_point="skipgram_pairs",
        signature="def skipgram_pairs(tokens, window) -> list[tuple[str, str]]",
        statement=(
            "tokens is a sentence as a list of strings. For every position i, pair the "
            "word tokens[i] (the target) with every word at a position j ≠ i such that "
            "|i − j| ≤ window (the context). Return the list of (target, context) "
            "tuples in any order. Every occurrence counts: a repeated word gives "
            "repeated pairs, and a word pairs with another occurrence of itself. The "
            "window is fixed (no random shrinking) and does not wrap around."
        ),
        reference=embeddings.skipgram_pairs,
        make_cases=pair_cases,
        compare=multiset(),
        mistakes=(
            Mistake(
                "skipgram-includes-target",
                "The target paired with itself",
                "You looped over the whole window, position i included, so every word "
                "is paired with itself. Skip j = i: a word is not its own context.",
                _pairs_variant(include_self=True),
                point="Look at your inner loop over the window: which position inside "
                "it should produce no pair? Count your pairs for the case 'one token'.",
                fix="`for j in range(max(0, i - window), min(len(tokens), i + window "
                "+ 1)):` then `if j != i: pairs.append((tokens[i], tokens[j]))`.",
            ),
            Mistake(
                "skipgram-window-off-by-one",
                "Window one short on the right",
                "range(i − window, i + window) stops before i + window: the last "
                "context word on the right is missing. The window is ±window "
                "positions on both sides.",
                _pairs_variant(right_edge=0),
                point="Look at the upper bound of your range over j: is position "
                "i + window itself ever visited?",
                fix="`range(max(0, i - window), min(len(tokens), i + window + 1))`: "
                "a range excludes its end, so the bound is i + window + 1.",
            ),
            Mistake(
                "skipgram-unique-pairs",
                "Repeated pairs removed",
                "Every occurrence of a word produces its own pairs, so a pair that "
                "occurs twice in the text appears twice in the training data. Do "
                "not put the pairs in a set.",
                _pairs_variant(unique=True),
                point="Look at how you collect the pairs: in the case 'window one', "
                "'the cat' occurs twice; how many ('the', 'cat') pairs do you return?",
                fix="Collect into a list, `pairs.append((tokens[i], tokens[j]))`, and "
                "`return pairs`, not `set(pairs)` or `sorted(set(pairs))`.",
            ),
            Mistake(
                "skipgram-skip-same-word",
                "Same word skipped instead of same position",
                "You skipped contexts equal to the target word. Only the target's own "
                "position is excluded; another occurrence of the same word inside "
                "the window is a real context.",
                _pairs_variant(skip_same_word=True),
                point="Look at the condition that skips a context: does it compare "
                "positions or words? Try the case 'repeated word'.",
                fix="`if j != i:` (positions), not `if tokens[j] != tokens[i]:` "
                "(words).",
            ),
        ),
        properties=(
            Property(
                "skipgram-within-window",
                "every pair is two different positions at most `window` apart",
                per_case(_within_window),
            ),
        ),
        forbidden=NO_LIBRARIES,
    )
)

# ------------------------------------------------------------ noise distribution


def noise_cases(seed: int) -> list[Case]:
    edge = [
        ("one word", [7], "edge: a single word"),
        ("equal counts", [5, 5, 5, 5], "edge: equal counts give a uniform distribution"),
        ("powers of 16", [1, 16, 256],
         "edge: counts 1, 16, 256 have weights 1, 8, 64 under the 3/4 power"),
        ("notes counts", [99, 1], "convention: the notes' example P(a) = 0.99 as counts"),
        ("notes frequencies", [0.99, 0.01],
         "convention: relative frequencies give the same distribution as counts"),
        ("zero count", [16, 0, 81],
         "edge: a count of 0 gets probability 0 and keeps its place"),
    ]  # fmt: skip
    cases = [Case(name, {"counts": counts}, label) for name, counts, label in edge]
    rng = np.random.default_rng(seed)
    for i in range(6):
        counts = [int(c) for c in rng.integers(1, 1000, size=int(rng.integers(3, 11)))]
        cases.append(
            Case(f"random {i + 1}", {"counts": counts}, "random", hidden=i >= 4)
        )
    return cases


NOISE_SHAPE = "a list or 1-D array of len(counts) floats, in the same order as counts"


def _sums_to_one(kwargs: dict[str, Any], got: Any) -> str | None:
    total = float(np.sum(np.asarray(got, float)))
    return None if abs(total - 1) < 1e-6 else f"the probabilities sum to {total:g}"


def _non_negative(kwargs: dict[str, Any], got: Any) -> str | None:
    values = np.asarray(got, float)
    return None if (values >= 0).all() else f"negative probability {values.min():g}"


NOISE_DISTRIBUTION = register(
    ExerciseSpec(
        id="noise_distribution",
        title="Negative-sampling noise distribution",
        topic="7.5",
        entry_point="noise_distribution",
        signature="def noise_distribution(counts) -> list[float]",
        statement=(
            "counts[w] is how often word w occurs in the corpus (a count or a "
            "relative frequency, ≥ 0, not all 0). Return the distribution negative "
            "samples are drawn from, p(w) = counts[w]^α / Σ_u counts[u]^α with "
            f"α = 3/4, as {NOISE_SHAPE}, summing to 1. A count of 0 gets "
            "probability 0; no word is left out."
        ),
        reference=embeddings.noise_distribution,
        make_cases=noise_cases,
        compare=allclose(rtol=1e-6, atol=1e-9),
        mistakes=(
            Mistake(
                "noise-no-power",
                "Unigram distribution without the 3/4 power",
                "count / Σ count is the plain unigram distribution. Raise each count "
                "to the power 3/4 before normalising: that gives rare words more "
                "negative samples than their frequency alone.",
                lambda counts: np.asarray(counts, float) / np.sum(counts),
                point="Where does α = 3/4 from the statement's formula appear in your "
                "code? Compare your answer with the expected one on 'powers of 16'.",
                fix="`weights = np.asarray(counts, float) ** 0.75`, then "
                "`return weights / weights.sum()`.",
            ),
            Mistake(
                "noise-not-normalised",
                "Powered counts not normalised",
                "count^(3/4) is only a weight. Divide by Σ_u count(u)^(3/4) so that "
                "the probabilities sum to 1.",
                lambda counts: np.asarray(counts, float) ** 0.75,
                point="Add up the values you return: do they sum to 1? Look at what "
                "your code does after the power.",
                fix="`weights = np.asarray(counts, float) ** 0.75`, then divide: "
                "`return weights / weights.sum()`.",
            ),
            Mistake(
                "noise-frequencies-not-renormalised",
                "P(w)^(3/4) not renormalised",
                "Raising the frequencies P(w) = count / total to the power 3/4 breaks "
                "their normalisation (0.99^0.75 + 0.01^0.75 ≈ 1.024). Divide by "
                "Σ_u P(u)^(3/4) afterwards.",
                lambda counts: (np.asarray(counts, float) / np.sum(counts)) ** 0.75,
                point="Look at the order of your two steps, dividing by the total and "
                "raising to 3/4: after the power, do your values still sum to 1?",
                fix="Normalise after the power: `weights = np.asarray(counts, float) "
                "** 0.75`, `return weights / weights.sum()` (dividing by the total "
                "first is then unnecessary).",
            ),
        ),
        properties=(
            Property("noise-sums-to-one", "p sums to 1", per_case(_sums_to_one)),
            Property("noise-non-negative", "p(w) ≥ 0", per_case(_non_negative)),
        ),
        shapes=(
            ShapePromise(
                NOISE_SHAPE, lambda kwargs: True, lambda kw: (len(kw["counts"]),)
            ),
        ),
        forbidden=NO_LIBRARIES,
    )
)
