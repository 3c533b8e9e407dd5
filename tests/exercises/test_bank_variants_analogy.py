"""The analogy and cosine-ranking generators never give a degenerate variant:
1000 seeds each, distinct options, one clear key, no ties."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from exercises.variants import Variant, get_generator, variant_for
from exercises.variants._common import (
    FALLBACK_SEED,
    MAX_TRIES,
    NEAR,
    bounded_draw,
)
from exercises.variants.analogy import ANALOGIES, _clear_draw, _ranking_draw
from exercises.variants.cosine import _cosine_ranking_draw

SEEDS = range(1000)
INTENDED = {a: d for a, _, _, d, _ in ANALOGIES}


def _variants(name: str) -> list[Variant]:
    return [variant_for({"generator": name}, seed) for seed in SEEDS]


def _gaps(values: Any) -> np.ndarray:
    return np.diff(np.sort(np.asarray(values, dtype=float)))


def _holds(name: str, variant: Variant) -> str | None:
    check = get_generator(name).holds
    assert check is not None
    return check(variant)


def test_analogy_steps_has_one_sensible_key_at_every_seed() -> None:
    for variant in _variants("analogy_steps"):
        values, answer = variant.values, variant.answer
        words = [row["word"] for row in values["candidates"]]
        vectors = [tuple(row["vector"]) for row in values["candidates"]]
        assert len(set(words)) == 3 and len(set(vectors)) == 3
        # The key is the analogy's own answer (bigger − big + small: smaller).
        assert answer["word"] == [INTENDED[values["a"]]] == [values["winner"]]
        cosines = np.asarray(answer["cosines"])
        assert words[int(np.argmax(cosines))] == values["winner"]
        assert _gaps(cosines)[-1] >= 0.05  # no tie for first place
        assert np.all(np.abs(cosines) <= 1 + 1e-12)
        assert _holds("analogy_steps", variant) is None


def test_analogy_ranking_has_one_sensible_key_at_every_seed() -> None:
    for variant in _variants("analogy_ranking"):
        values, ranking = variant.values, variant.answer
        candidates = values["names"].split(", ")
        assert len(set(candidates)) == 3 and sorted(ranking) == sorted(candidates)
        assert ranking[0] == INTENDED[values["a"]] == values["winner"]
        gaps = _gaps(values["candidate_cosines"])
        assert gaps[-1] >= 0.05 and gaps[0] >= NEAR
        key = ", ".join(ranking)
        wrongs = {values["by_dot_text"], values["no_exclusion_text"]}
        assert len(wrongs) == 2 and key not in wrongs
        assert _holds("analogy_ranking", variant) is None


def test_cosine_ranking_has_no_ties_at_every_seed() -> None:
    for variant in _variants("cosine_ranking"):
        values, ranking = variant.values, variant.answer
        rows = values["rows"]
        words = [row["word"] for row in rows]
        assert len(set(words)) == 4 and values["query"] not in words
        assert sorted(ranking) == sorted(words)
        cosines = [row["cosine"] for row in rows]
        assert _gaps(cosines).min() >= NEAR
        assert _gaps([row["distance"] for row in rows]).min() >= NEAR
        assert ranking == [words[i] for i in np.argsort(cosines)[::-1]]
        assert values["by_distance_text"] != values["answer_text"]
        assert _holds("cosine_ranking", variant) is None


@pytest.mark.parametrize("name", ["analogy_steps", "analogy_ranking", "cosine_ranking"])
def test_the_same_seed_gives_the_same_variant(name: str) -> None:
    first = variant_for({"generator": name}, 52)
    again = variant_for({"generator": name}, 52)
    assert first.values.keys() == again.values.keys()
    assert str(first.answer) == str(again.answer)
    assert str(first.values) == str(again.values)


@pytest.mark.parametrize("draw", [_clear_draw, _ranking_draw, _cosine_ranking_draw])
def test_the_fallback_seed_gives_a_draw_within_the_bound(
    draw: Callable[[np.random.Generator], Any],
) -> None:
    rng = np.random.default_rng(FALLBACK_SEED)
    assert any(draw(rng) is not None for _ in range(MAX_TRIES))


def test_bounded_draw_falls_back_then_gives_up() -> None:
    calls: list[np.random.Generator] = []

    def never(source: np.random.Generator) -> None:
        calls.append(source)

    with pytest.raises(RuntimeError):
        bounded_draw(np.random.default_rng(5), never)
    assert len(calls) == 2 * MAX_TRIES

    first = np.random.default_rng(5)

    def only_the_fallback(source: np.random.Generator) -> float | None:
        return None if source is first else float(source.random())

    expected = float(np.random.default_rng(FALLBACK_SEED).random())
    assert bounded_draw(first, only_the_fallback) == expected
