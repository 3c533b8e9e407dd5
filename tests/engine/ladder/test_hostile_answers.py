"""Any answer at all: assembling or filling either gives a program that
compiles or raises AnswerRejected, never anything else."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.ladder import AnswerRejected, get_ladder, ladder_ids

SPECS = st.sampled_from(ladder_ids())
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True),
    st.integers(-(10**30), 10**30),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=3),
)
PIECES = st.sampled_from(
    [
        "x",
        "a + b",
        "max(0.0, x2 - x1)",
        "(",
        ")",
        "x = 1",
        "yield 1",
        "lambda: 0",
        "a # c",
        "1 if x else 2",
        "'\\\\'",
        "\\",
        ";",
        ":",
        "\t",
        "import os",
        "return h",
        "*a",
        "**",
        "not",
        "h, o",
        "(" * 150,
        "-" * 150 + "1",
    ]
)
ANSWER = st.one_of(
    st.text(max_size=220),
    st.lists(PIECES, max_size=4).map(" ".join),
    JUNK,
)


def _placed(view_ids: list[str]) -> st.SearchStrategy[Any]:
    block_id = st.one_of(st.sampled_from(view_ids), st.text(max_size=9), JUNK)
    indent = st.one_of(st.integers(-2, 6), JUNK)
    entry = st.one_of(
        st.tuples(block_id, indent),
        st.lists(st.one_of(block_id, indent), max_size=3),
        JUNK,
    )
    return st.one_of(
        st.lists(st.tuples(st.sampled_from(view_ids), st.integers(0, 2)), max_size=25),
        st.lists(entry, max_size=25),
        JUNK,
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(data=st.data(), spec_id=SPECS, seed=st.integers(0, 3), without=st.integers(0, 4))
def test_assemble_raises_nothing_but_answer_rejected(
    data: st.DataObject, spec_id: str, seed: int, without: int
) -> None:
    ladder = get_ladder(spec_id)
    view_ids = [block.id for block in ladder.parsons(seed).blocks]
    placed = data.draw(_placed(view_ids))
    try:
        assembled = ladder.assemble(seed, placed, without=without)
    except AnswerRejected as rejected:
        assert str(rejected)
        return
    compile(assembled.source, "<assembled>", "exec")
    assert assembled.source.startswith("\n".join(ladder.header))
    if assembled.order_ok:
        assert assembled.first_wrong is None and len(placed) == len(ladder.lines)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(data=st.data(), spec_id=SPECS)
def test_fill_raises_nothing_but_answer_rejected(
    data: st.DataObject, spec_id: str
) -> None:
    ladder = get_ladder(spec_id)
    level = data.draw(st.integers(1, ladder.levels))
    ids = [blank.id for blank in ladder.blanks if blank.level <= level]
    key = st.one_of(st.sampled_from(ids), st.text(max_size=3), JUNK.filter(_hashable))
    answers = data.draw(
        st.one_of(
            st.fixed_dictionaries(dict.fromkeys(ids, ANSWER)),
            st.dictionaries(key, ANSWER, max_size=5),
            JUNK,
        )
    )
    try:
        source = ladder.fill(level, answers)
    except AnswerRejected as rejected:
        assert str(rejected)
        return
    compile(source, "<filled>", "exec")


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_every_valid_block_at_every_indent_alone_is_handled(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    view = ladder.parsons(0)
    for block in view.blocks:
        for indent in range(view.max_indent + 1):
            try:
                ladder.assemble(0, [(block.id, indent)])
            except AnswerRejected:
                continue
