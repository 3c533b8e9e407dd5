"""The Parsons problem: shuffled, opaque, paired blocks, and placed answers
made into programs with instant order feedback, or rejected."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from engine.ladder import AnswerRejected, Ladder, get_ladder, ladder_ids
from tests.engine.ladder.orders import placed_for


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_the_blocks_are_the_lines_and_the_distractors(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    view = ladder.parsons(5)
    assert view.header == ladder.header
    texts = [line.text for line in ladder.lines] + [d.text for d in ladder.distractors]
    assert Counter(block.text for block in view.blocks) == Counter(texts)
    assert all(re.fullmatch("[0-9a-f]{8}", block.id) for block in view.blocks)
    assert len({block.id for block in view.blocks}) == len(view.blocks)
    assert ladder.parsons(5) == view, "a seed always gives the same view"


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_each_seed_shuffles_and_renames_the_blocks(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    model = [line.text for line in ladder.lines]
    orders, ids = set(), []
    for seed in range(20):
        view = ladder.parsons(seed)
        shown = tuple(block.text for block in view.blocks if block.text in model)
        assert shown != tuple(model), f"seed {seed} shows the solution in order"
        orders.add(shown)
        ids.append({block.id for block in view.blocks})
    assert len(orders) > 1
    assert all(not (ids[0] & other) for other in ids[1:])


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_a_distractor_sits_beside_the_line_it_corrupts(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    blocks = ladder.parsons(2).blocks
    for distractor in ladder.distractors:
        paired = ladder.lines[distractor.pairs_with].text
        mine = next(b for b in blocks if b.text == distractor.text)
        line = next(b for b in blocks if b.text == paired)
        assert mine.group and mine.group == line.group
    for group, members in _groups(blocks).items():
        positions = [blocks.index(member) for member in members]
        assert max(positions) - min(positions) == len(members) - 1, group
    paired_lines = {d.pairs_with for d in ladder.distractors}
    for index, line in enumerate(ladder.lines):
        block = next(b for b in blocks if b.text == line.text)
        assert bool(block.group) == (index in paired_lines)


def _groups(blocks: object) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for block in blocks:  # type: ignore[attr-defined]
        if block.group:
            found.setdefault(block.group, []).append(block)
    return found


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_help_removes_distractors_and_keeps_the_rest_in_place(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    full = ladder.parsons(4)
    distractors = {d.text for d in ladder.distractors}
    for without in range(1, len(ladder.distractors) + 2):
        helped = ladder.parsons(4, without=without)
        left = [b for b in helped.blocks if b.text in distractors]
        assert len(left) == max(0, len(ladder.distractors) - without)
        kept = [
            (b.id, b.text) for b in full.blocks if b.id in {h.id for h in helped.blocks}
        ]
        assert kept == [(b.id, b.text) for b in helped.blocks]
        for group, members in _groups(helped.blocks).items():
            assert len(members) >= 2, group
        with pytest.raises(AnswerRejected, match="not one of this puzzle's blocks"):
            shown = {h.id for h in helped.blocks}
            gone = next(b for b in full.blocks if b.id not in shown)
            ladder.assemble(4, [(gone.id, 0)], without=without)
    with pytest.raises(ValueError, match="without"):
        ladder.parsons(4, without=-1)


def test_the_indent_range_gives_nothing_away() -> None:
    assert get_ladder("iou").parsons(0).max_indent == 0
    assert get_ladder("nms").parsons(0).max_indent == 2
    assert get_ladder("fgsm").parsons(0).max_indent == 2


def _model(ladder: Ladder, seed: int = 0) -> list[tuple[str, int]]:
    return placed_for(ladder, seed, list(range(len(ladder.lines))))


def test_the_model_order_is_the_model_source() -> None:
    ladder = get_ladder("nms")
    assembled = ladder.assemble(0, _model(ladder))
    assert assembled.source == ladder.source()
    assert assembled.order_ok and assembled.first_wrong is None


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_a_swapped_dependent_pair_is_out_of_order(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    swapped = 0
    for later, needs in enumerate(ladder.depends):
        for earlier in needs:
            simple = not ladder.lines[later].text.endswith(":") and not (
                ladder.lines[earlier].text.endswith(":")
            )
            if not simple or ladder.parents[later] != ladder.parents[earlier]:
                continue
            order = list(range(len(ladder.lines)))
            order[earlier], order[later] = later, earlier
            assembled = ladder.assemble(1, placed_for(ladder, 1, order))
            assert not assembled.order_ok
            assert assembled.first_wrong == earlier, (earlier, later)
            swapped += 1
    assert swapped


def test_missing_lines_are_not_out_of_place_but_not_complete() -> None:
    ladder = get_ladder("iou")
    assembled = ladder.assemble(0, _model(ladder)[:4])
    assert not assembled.order_ok and assembled.first_wrong is None


def test_a_line_at_the_wrong_depth_is_out_of_place() -> None:
    ladder = get_ladder("nms")
    placed = _model(ladder)
    last = len(placed) - 1  # `return kept` moved into the loop
    placed[last] = (placed[last][0], 1)
    assembled = ladder.assemble(0, placed)
    assert not assembled.order_ok and assembled.first_wrong == last
    compile(assembled.source, "<test>", "exec")


def test_a_line_under_the_wrong_block_is_out_of_place() -> None:
    ladder = get_ladder("nms")
    placed = _model(ladder)
    # `kept = []` moved to just after `while order:`, at the loop's depth:
    # every dependency placed, the indent valid, but it now runs each round.
    kept = next(i for i, line in enumerate(ladder.lines) if line.text == "kept = []")
    entry = placed.pop(kept)
    placed.insert(kept + 1, (entry[0], 1))
    assembled = ladder.assemble(0, placed)
    assert not assembled.order_ok and assembled.first_wrong == kept + 1


def test_an_alternative_order_the_graph_allows_is_in_order() -> None:
    ladder = get_ladder("iou")
    order = [3, 2, 1, 0, 6, 5, 4, 7, 8]  # the corners backwards, area_b first
    assembled = ladder.assemble(9, placed_for(ladder, 9, order))
    assert assembled.order_ok


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda p: [], "at least one block"),
        (lambda p: "not a list", "a list of placed blocks"),
        (lambda p: p * 2, "More blocks"),
        (lambda p: [p[0], p[0]], "placed twice"),
        (lambda p: [("deadbeef", 0)], "not one of this puzzle's blocks"),
        (lambda p: [(p[0][0].upper(), 0)], "not one of this puzzle's blocks"),
        (lambda p: [(None, 0)], "not one of this puzzle's blocks"),
        (lambda p: [(p[0][0], -1)], "between 0 and 2"),
        (lambda p: [(p[0][0], 3)], "between 0 and 2"),
        (lambda p: [(p[0][0], True)], "whole number"),
        (lambda p: [(p[0][0], 1.0)], "whole number"),
        (lambda p: [(p[0][0],)], "(block, indent) pair"),
        (lambda p: [p[0][0]], "(block, indent) pair"),
        (lambda p: [(p[0][0], 1)], "Block 1 is indented deeper"),
        (lambda p: p[:5], "needs indented lines after it"),
        (lambda p: [*p[:5], (p[5][0], 0)], "must be indented one step more"),
        (lambda p: [*p[:6], (p[6][0], 2)], "Block 7 is indented deeper"),
    ],
)
def test_an_answer_that_cannot_be_a_program_is_rejected(
    change: object, says: str
) -> None:
    ladder = get_ladder("nms")
    placed = _model(ladder)
    assert ladder.lines[4].text == "while order:"
    with pytest.raises(AnswerRejected, match=re.escape(says)):
        ladder.assemble(0, change(placed))  # type: ignore[operator]


def test_a_seed_must_be_an_int() -> None:
    ladder = get_ladder("iou")
    with pytest.raises(ValueError, match="seed"):
        ladder.parsons("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed"):
        ladder.assemble(True, [])
