"""The faded example: views without the answers, and filled blanks made into
programs or rejected with a message for the student."""

from __future__ import annotations

import pytest

from engine.ladder import (
    AnswerRejected,
    BlankSlot,
    FadedView,
    Ladder,
    get_ladder,
    ladder_ids,
)
from engine.ladder.faded import MAX_ANSWER_CHARS
from tests.engine.ladder.orders import blank_texts


def _shown_text(view: FadedView) -> str:
    pieces = []
    for row in view.rows:
        pieces.append(row.why)
        for part in row.parts:
            pieces.append(part.prompt if isinstance(part, BlankSlot) else part)
    return "\n".join(pieces)


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_filling_the_blanks_with_their_own_text_gives_the_solution(
    spec_id: str,
) -> None:
    ladder = get_ladder(spec_id)
    for level in range(1, ladder.levels + 1):
        assert ladder.fill(level, blank_texts(ladder, level)) == ladder.source()
        # Spaces around an answer do not matter.
        padded = {key: f"  {text} " for key, text in blank_texts(ladder, level).items()}
        assert ladder.fill(level, padded) == ladder.source()


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_a_faded_view_holds_no_answer(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    for level in range(1, ladder.levels + 1):
        view = ladder.faded(level)
        assert (view.level, view.levels) == (level, ladder.levels)
        assert [row.indent for row in view.rows] == [
            line.indent for line in ladder.lines
        ]
        slots = [
            part
            for row in view.rows
            for part in row.parts
            if isinstance(part, BlankSlot)
        ]
        active = [blank for blank in ladder.blanks if blank.level <= level]
        assert {slot.id for slot in slots} == {blank.id for blank in active}
        shown = _shown_text(view)
        blanked_lines = {blank.line for blank in active}
        for blank in active:
            answer = ladder.lines[blank.line].text[blank.start : blank.end]
            # The answer shows no more often than the lines left whole show it.
            elsewhere = sum(
                line.text.count(answer)
                for index, line in enumerate(ladder.lines)
                if index not in blanked_lines
            )
            assert shown.count(answer) <= elsewhere, (blank.id, answer)
            row = view.rows[blank.line]
            assert row.why == "", "a faded row asks for the principle instead"
            assert answer not in "".join(p for p in row.parts if isinstance(p, str))


def test_level_one_fades_one_blank_and_the_last_level_all() -> None:
    ladder = get_ladder("iou")
    first = ladder.faded(1)
    slots = [
        part for row in first.rows for part in row.parts if isinstance(part, BlankSlot)
    ]
    assert [slot.id for slot in slots] == ["b1"]
    assert first.rows[4].parts == ("inter = ", slots[0])
    assert slots[0].width_hint >= len("max(0.0, x2 - x1) * max(0.0, y2 - y1)")
    last = ladder.faded(ladder.levels)
    assert sum(isinstance(p, BlankSlot) for r in last.rows for p in r.parts) == 3


@pytest.mark.parametrize("level", [0, 4, -1, True, "1", 1.0])
def test_a_level_outside_the_ladder_is_a_value_error(level: object) -> None:
    ladder = get_ladder("iou")
    with pytest.raises(ValueError, match="faded level"):
        ladder.faded(level)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="faded level"):
        ladder.fill(level, {})  # type: ignore[arg-type]


def _rejected(ladder: Ladder, level: int, answers: object) -> str:
    with pytest.raises(AnswerRejected) as caught:
        ladder.fill(level, answers)  # type: ignore[arg-type]
    return str(caught.value)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("inter = 1", "takes an expression, not a statement"),
        ("max(0.0, x2 - x1", "not valid Python"),
        ("max(0.0, x2 - x1) *", "not valid Python"),
        ("1 + " * 60 + "1", f"longer than {MAX_ANSWER_CHARS} characters"),
        ("x2 - x1\n* 2", "one line"),
        ("x2\r- x1", "one line"),
        ("x2\x00", "one line"),
        ("(x2 - x1) # the width", "comment"),
        ("   ", "is empty"),
        ("", "is empty"),
        ("(yield x2)", "yield"),
    ],
)
def test_an_unusable_expression_is_rejected(answer: str, says: str) -> None:
    message = _rejected(get_ladder("iou"), 1, {"b1": answer})
    assert says in message
    assert message.startswith("Blank 1 (area of the overlap")


def test_a_string_holding_a_hash_or_a_backslash_is_not_a_comment() -> None:
    ladder = get_ladder("iou")
    source = ladder.fill(1, {"b1": "len('#\\\\') * 0"})
    assert "inter = len('#\\\\') * 0\n" in source


def test_blanks_are_numbered_in_reading_order() -> None:
    ladder = get_ladder("iou")
    answers = blank_texts(ladder, 3)
    # b3 (area_a) comes before b2 (union) on the page.
    assert "Blank 2 (area of box A" in _rejected(ladder, 3, answers | {"b3": ""})
    assert "Blank 3 (the area covered" in _rejected(ladder, 3, answers | {"b2": "("})


def test_every_blank_of_the_level_needs_an_answer_and_no_other() -> None:
    ladder = get_ladder("iou")
    assert "Blank 1" in _rejected(ladder, 1, {})
    assert "no blank 'b3'" in _rejected(ladder, 2, {"b1": "0.0", "b3": "1.0"})
    assert "no blank 'zz'" in _rejected(ladder, 1, {"zz": "0.0"})
    assert "has 1 blank(s), not 2" in _rejected(ladder, 1, {"b1": "0", "b2": "1"})
    assert "a text for each blank" in _rejected(ladder, 1, ["b1", "0"])
    assert "Blank 1 (area of the overlap" in _rejected(ladder, 1, {"b1": 3})
    assert "must be text" in _rejected(ladder, 1, {"b1": 3})


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("return h", None),
        ("h, o", None),
        ("for v in h: pass", "one statement"),
        ("return h; return o", "one statement"),
        ("import os", "one statement"),
        ("def f(): pass", "one statement"),
        ("return (", "not valid Python"),
        ("return (yield h)", "yield"),
    ],
)
def test_a_whole_line_blank_takes_one_simple_statement(
    answer: str, says: str | None
) -> None:
    ladder = get_ladder("rnn_step")
    answers = blank_texts(ladder, 3) | {"b3": answer}
    if says is None:
        source = ladder.fill(3, answers)
        assert f"\n    {answer}\n" in source
    else:
        assert says in _rejected(ladder, 3, answers)


def test_an_expression_blank_in_a_compound_line_keeps_its_colon() -> None:
    ladder = get_ladder("fgsm")
    answers = blank_texts(ladder, 4) | {"b4": "clamp and True"}
    assert "\n    if clamp and True:\n" in ladder.fill(4, answers)
