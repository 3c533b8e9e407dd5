"""Every ladder against the real engine and sandbox: the model solution
passes, any order the dependency graph allows passes, and each distractor
fails as exactly its named mistake."""

from __future__ import annotations

import random

import pytest

from engine import grade
from engine.ladder import get_ladder, ladder_ids
from tests.engine.ladder.orders import blank_texts, placed_for, random_order

pytestmark = pytest.mark.slow
SEEDS = range(20)


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_the_model_solution_passes_at_20_seeds(spec_id: str) -> None:
    source = get_ladder(spec_id).source()
    for seed in SEEDS:
        report = grade(spec_id, source, seed=seed)
        assert report.verdict == "passed", (seed, report.message)


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_random_orders_the_graph_allows_pass(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    rng = random.Random(spec_id)
    for attempt in range(5):
        order = random_order(ladder, rng)
        assembled = ladder.assemble(attempt, placed_for(ladder, attempt, order))
        assert assembled.order_ok and assembled.first_wrong is None, order
        assert assembled.distractors_used == ()
        report = grade(spec_id, assembled.source, seed=attempt)
        assert report.verdict == "passed", (order, report.message)


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_each_distractor_fails_as_its_named_mistake(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    model_order = list(range(len(ladder.lines)))
    for distractor in ladder.distractors:
        swap = {distractor.pairs_with: distractor.text}
        placed = placed_for(ladder, 3, model_order, swap=swap)
        assembled = ladder.assemble(3, placed)
        assert assembled.distractors_used == (distractor.mistake_id,)
        # The order is right: only the distractor is wrong, and the run says which.
        assert assembled.order_ok
        report = grade(spec_id, assembled.source, seed=3)
        assert report.verdict == "failed", report.message
        assert report.mistake is not None, report.message
        assert report.mistake.id == distractor.mistake_id


def test_a_filled_answer_that_would_bind_differently_is_parenthesised() -> None:
    ladder = get_ladder("lstm_cell")
    answer = "x if False else np.concatenate([h_prev, x], axis=-1)"
    source = ladder.fill(1, {"b1": answer})
    assert f"a = ({answer}) @ W.T + b" in source
    assert grade("lstm_cell", source).verdict == "passed"
    # Filled with the model's own text, nothing is added.
    assert ladder.fill(1, blank_texts(ladder, 1)) == ladder.source()


def test_a_faded_answer_with_a_named_mistake_is_diagnosed() -> None:
    ladder = get_ladder("tf_idf")
    answers = blank_texts(ladder, 1) | {"b1": "np.log10(len(documents) / df)"}
    report = grade("tf_idf", ladder.fill(1, answers))
    assert report.mistake is not None and report.mistake.id == "tfidf-log10"
