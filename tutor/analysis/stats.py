"""The small-sample statistics of item analysis (docs: TUTORING.md section 7.2),
as pure functions over plain numbers.

Conventions: abilities and difficulties are in logits; a difficulty shift is
positive when a group of answers was harder than the Rasch model predicted
(fewer right than expected) and negative when it was easier.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# A facility is shrunk towards the item's own by this many pseudo-answers.
PRIOR_STRENGTH = 8
# Difficulties are kept within ±LOGIT_LIMIT: an item everyone got right (or
# wrong) has no finite maximum-likelihood difficulty.
LOGIT_LIMIT = 10.0
# The share of answers at each end of the ability scale that the upper-lower
# discrimination index compares (Kelley's 27%).
EXTREME_SHARE = 0.27


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def shrunk_facility(
    right: int, n: int, overall: float, strength: float = PRIOR_STRENGTH
) -> float:
    """(c + m·p̄) / (n + m): the share right under a Beta prior centred on the
    item's overall facility p̄ with the weight of m answers, so that a bucket
    of two wrong answers moves from p̄ = 0.7 to 0.56, not to 0."""
    return (right + strength * overall) / (n + strength)


def rest_ability(right: int, answered: int) -> float:
    """A student's ability from their rest score (right first attempts out of
    those answered at other questions): logit((r + 1) / (n + 2)), Laplace's
    rule, so that a perfect or an empty record stays finite; 0 with no
    record at all."""
    return logit((right + 1) / (answered + 2))


def item_difficulty(abilities: Sequence[float], correct: Sequence[bool]) -> float:
    """The Rasch difficulty b of an item with the students' abilities fixed:
    the root of Σ σ(θᵢ − b) = Σ yᵢ, where the expected number right matches
    the observed. Newton's method kept inside a bracket (the left side falls
    as b grows), within ±LOGIT_LIMIT."""
    observed = sum(bool(y) for y in correct)
    if observed == 0:
        return LOGIT_LIMIT
    if observed == len(correct):
        return -LOGIT_LIMIT
    low, high, b = -LOGIT_LIMIT, LOGIT_LIMIT, 0.0
    for _ in range(200):
        predicted = [sigmoid(theta - b) for theta in abilities]
        excess = sum(predicted) - observed  # > 0: b too low
        if excess > 0:
            low = b
        else:
            high = b
        information = sum(p * (1.0 - p) for p in predicted)
        step = excess / information if information > 1e-12 else math.inf
        candidate = b + step
        if not low < candidate < high:
            candidate = (low + high) / 2
        if abs(candidate - b) < 1e-12:
            break
        b = candidate
    return b


@dataclass(frozen=True)
class Shift:
    """A difficulty shift in logits and its standard error."""

    logits: float
    se: float

    @property
    def z(self) -> float:
        return self.logits / self.se

    @property
    def p_value(self) -> float:
        """Two-sided, under a normal approximation."""
        return math.erfc(abs(self.z) / math.sqrt(2.0))


def difficulty_shift(
    predicted: Sequence[float], correct: Sequence[bool]
) -> Shift | None:
    """How much harder a group of answers was than the model predicted: one
    Newton step of the Rasch likelihood from a shift of 0 with abilities and
    the item's difficulty fixed, δ = Σ(pᵢ − yᵢ) / Σ pᵢ(1 − pᵢ), standard error
    1 / √Σ pᵢ(1 − pᵢ). This controls for who drew the group: strong students
    who happened to draw one value do not make it look easy. None when the
    predictions carry no information (all 0 or 1) or the group is empty."""
    information = sum(p * (1.0 - p) for p in predicted)
    if information < 1e-9:
        return None
    excess = sum(p - float(bool(y)) for p, y in zip(predicted, correct, strict=True))
    return Shift(excess / information, 1.0 / math.sqrt(information))


def benjamini_hochberg(p_values: Sequence[float], rate: float) -> list[bool]:
    """Which of several tests to call significant with the false discovery
    rate controlled at `rate`: the k smallest p-values, for the largest k
    with p₍ₖ₎ ≤ k·rate/m."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    cut = 0
    for rank, index in enumerate(order, start=1):
        if p_values[index] <= rank * rate / m:
            cut = rank
    chosen = set(order[:cut])
    return [i in chosen for i in range(m)]


def upper_lower_index(
    abilities: Sequence[float], correct: Sequence[bool]
) -> float | None:
    """The share right among the strongest 27% (by ability) minus the share
    right among the weakest 27%; ties in ability keep the input's order.
    None with fewer than two answers."""
    n = len(abilities)
    if n < 2:
        return None
    size = max(1, round(EXTREME_SHARE * n))
    ranked = sorted(range(n), key=lambda i: abilities[i])
    bottom, top = ranked[:size], ranked[n - size :]
    share = [sum(bool(correct[i]) for i in group) / size for group in (top, bottom)]
    return share[0] - share[1]
