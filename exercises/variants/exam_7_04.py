"""Exam-level variants for lecture 7.4 (Word2Vec): the skip-gram training set
of a sentence with repeated words, and CBOW's input at the edge of a sentence
against a zero-padded version (error carried forward in both)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from engine.reference import embeddings
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, differs, scalar, shaped

REPEATING = (
    "the cat saw the dog chase the ball",
    "a tablespoon of apricot jam and a pinch of sugar",
    "we like tea and they like tea too",
    "rain fell on the roof and on the road",
    "the old man and the old dog slept",
    "to be or not to be",
)
SIX_WORDS = (
    "spread apricot jam on warm toast",
    "a tablespoon of brown sugar please",
    "the cat chased two red mice",
    "cold rain fell all night long",
    "we trained dense word vectors today",
)
TABLE_VALUES = np.arange(-1.0, 2.5, 0.5)  # −1, −0.5, …, 2


# ------------------------------------------------ the training set, repeats


PairsDraw = dict[str, Any]


def _pairs_draw(rng: np.random.Generator) -> PairsDraw | None:
    """A sentence with a repeated word w, a window, a context c of w whose
    pair (w, c) occurs at least twice, and k; None when no such c exists."""
    tokens = str(rng.choice(REPEATING)).split()
    window = int(rng.integers(1, 4))
    k = int(rng.integers(2, 6))
    pairs = embeddings.skipgram_pairs(tokens, window)
    repeated = sorted(w for w, n in Counter(tokens).items() if n >= 2)
    target = str(rng.choice(repeated))
    tally = Counter(c for t, c in pairs if t == target)
    doubled = sorted(
        c
        for c, n in tally.items()
        if n >= 2 and c != target and n < sum(tally.values())
    )
    if not doubled or len(pairs) >= 2 * window * len(tokens):
        return None
    context = str(rng.choice(doubled))
    return {
        "tokens": tokens,
        "window": window,
        "k": k,
        "target": target,
        "context": context,
        "pairs": pairs,
        "tally": tally,
    }


def _pairs_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if answer["pair"] < 2:
        return "the asked pair occurs only once"
    if answer["pair"] >= answer["target_pairs"]:
        return "every pair of the target is the asked pair"
    if answer["positives"] >= variant.values["no_edges"]:
        return "no window is cut at an edge"
    return None


@generator(
    "exam_pair_multiset",
    guarantees=(
        "a sentence of 6 to 10 words in which a word w occurs two or three times",
        "a fixed window of ±1, ±2 or ±3, cut at an edge; k from 2 to 5",
        "a context c of w (c ≠ w) whose pair (w, c) occurs at least twice, but not all of w's pairs are (w, c)",
        "the counts from the engine's skipgram_pairs (every occurrence, a multiset)",
    ),
    holds=_pairs_holds,
)
def exam_pair_multiset(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    drawn = bounded_draw(rng, _pairs_draw)
    tokens, window, k = drawn["tokens"], drawn["window"], drawn["k"]
    target, context, pairs = drawn["target"], drawn["context"], drawn["pairs"]
    positives = len(pairs)
    target_pairs = sum(1 for t, _ in pairs if t == target)
    answer = {
        "positives": positives,
        "target_pairs": target_pairs,
        "pair": sum(1 for pair in pairs if pair == (target, context)),
        "examples": positives * (1 + k),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """All training examples from the student's own count of positives."""
        if part == "examples" and "positives" in earlier:
            return scalar(earlier["positives"]) * (1 + k)
        return None

    per_position = [
        min(i, window) + min(len(tokens) - 1 - i, window) for i in range(len(tokens))
    ]
    occurrences = [i + 1 for i, w in enumerate(tokens) if w == target]
    values = {
        "sentence": " ".join(tokens),
        "length": len(tokens),
        "window": window,
        "k": k,
        "target": target,
        "context": context,
        "occurrences": ", ".join(str(i) for i in occurrences),
        "target_contexts": [
            {
                "position": i,
                "contexts": ", ".join(
                    tokens[j - 1]
                    for j in range(max(1, i - window), min(len(tokens), i + window) + 1)
                    if j != i
                ),
            }
            for i in occurrences
        ],
        "per_position": " + ".join(str(n) for n in per_position),
        "no_edges": 2 * window * len(tokens),
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)


# --------------------------------------------------------- CBOW at an edge


def _cbow_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    words = str(rng.choice(SIX_WORDS)).split()
    position = int(rng.choice([0, 1, 4, 5]))  # 0-based, near an edge
    table = rng.choice(TABLE_VALUES, size=(len(words), 2))
    pairs = embeddings.skipgram_pairs(words, 2)
    context = [c for t, c in pairs if t == words[position]]
    mean = embeddings.cbow_average(table, words, context).numpy()
    padded = mean * len(context) / 4
    with_centre = embeddings.cbow_average(
        table, words, [*context, words[position]]
    ).numpy()
    if (
        np.abs(mean).max() < 0.25
        or not differs(mean, padded, 0.05)
        or not differs(mean, with_centre, 0.05)
        or not differs(padded, with_centre, 0.05)
    ):
        return None
    return {
        "words": words,
        "position": position,
        "table": table,
        "context": context,
        "mean": mean,
        "padded": padded,
        "with_centre": with_centre,
    }


def _cbow_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if answer["count"] >= 4:
        return "the centre is not near an edge"
    if not differs(answer["mean"], answer["padded"], 0.05):
        return "the padded input equals the true average"
    if not differs(answer["mean"], variant.values["with_centre"], 0.05):
        return "including the centre word does not change the average"
    return None


@generator(
    "exam_cbow_edge",
    guarantees=(
        "a 6-word phrase, window ±2, the centre word at position 1, 2, 5 or 6 (2 or 3 contexts)",
        "2-D embeddings with entries in {−1, −0.5, …, 2}; the average is not ~0",
        "the true average, the zero-padded one and the one with the centre differ by > 0.05",
        "answers from the engine's skipgram_pairs and cbow_average",
    ),
    holds=_cbow_holds,
)
def exam_cbow_edge(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    drawn = bounded_draw(rng, _cbow_draw)
    words, position, table = drawn["words"], drawn["position"], drawn["table"]
    context = drawn["context"]
    total = table[[words.index(c) for c in context]].sum(axis=0)
    answer = {
        "count": len(context),
        "mean": drawn["mean"],
        "padded": drawn["padded"],
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The average from the student's own count of context words; the
        padded vector from their own average and count."""
        if part == "mean" and "count" in earlier:
            count = scalar(earlier["count"])
            return total / count if count > 0 else None
        if part == "padded" and {"count", "mean"} <= earlier.keys():
            mean = shaped(earlier["mean"], (2,))
            count = scalar(earlier["count"])
            return mean * count / 4 if mean is not None else None
        return None

    values = {
        "phrase": " ".join(words),
        "centre": words[position],
        "position": position + 1,
        "rows": [{"word": w, "vector": v} for w, v in zip(words, table, strict=True)],
        "context_text": ", ".join(context),
        "total": total,
        "with_centre": drawn["with_centre"],
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)
