"""The def-use graph and the annotated source format, on small solutions."""

from __future__ import annotations

import ast

import pytest

from engine.ladder import Solution
from engine.ladder.build import BlankSpec, DistractorSpec, build
from engine.ladder.dag import names_used


def _uses(line: str) -> tuple[set[str], set[str]]:
    reads, writes = names_used(ast.parse(line).body[0], frozenset({"np"}))
    return set(reads), set(writes)


@pytest.mark.parametrize(
    ("line", "reads", "writes"),
    [
        ("a = b + c", {"b", "c"}, {"a"}),
        ("a += b", {"a", "b"}, {"a"}),
        ("p[i] -= 1", {"p", "i"}, {"p"}),
        ("p[i, j] = q", {"p", "i", "j", "q"}, {"p"}),
        ("kept.append(best)", {"kept", "best"}, {"kept"}),
        ("best = order.pop(0)", {"order"}, {"best", "order"}),
        ("x.grad.zero_()", {"x"}, {"x"}),
        ("m = scores.max(axis=-1)", {"scores"}, {"m"}),
        ("y = np.tanh(x)", {"x"}, {"y"}),
        ("rows = [w for w in words if w in vocab]", {"words", "vocab"}, {"rows"}),
        ("f = sorted(xs, key=lambda v: -v)", {"sorted", "xs"}, {"f"}),
        ("a, (b, c) = t", {"t"}, {"a", "b", "c"}),
        ("return a * b", {"a", "b"}, set()),
    ],
)
def test_reads_and_writes_of_a_line(
    line: str, reads: set[str], writes: set[str]
) -> None:
    assert _uses(line) == (reads, writes)


def test_a_compound_line_uses_only_its_own_header() -> None:
    loop = ast.parse("for t in range(n):\n    h = t\n").body[0]
    assert names_used(loop, frozenset()) == (
        frozenset({"range", "n"}),
        frozenset({"t"}),
    )
    test = ast.parse("if clamp:\n    x = 0\n").body[0]
    assert names_used(test, frozenset()) == (frozenset({"clamp"}), frozenset())


def _toy(body: str, **extra: object) -> Solution:
    source = "import numpy as np\n\n\ndef toy(a, n):\n" + body
    fields: dict[str, object] = {
        "blanks": (BlankSpec("a + 1", "one more", ("toy-mistake",)),),
        "distractors": (),
    }
    fields.update(extra)
    return Solution("toy", "toy", source, **fields)  # type: ignore[arg-type]


TOY = """\
    # § Setup
    b = a + 1  # why: b is one more
    c = a * 2  # why: c is twice
    total = []  # why: start empty
    # § Loop
    for i in range(n):  # why: n rounds
        total.append(b * i)  # why: collect
        total.append(b * i)  # why: the same again
    d = c + b  # why: both
    # § Result
    return total, d  # why: the pair
"""


def test_the_graph_of_a_small_solution() -> None:
    ladder = build(_toy(TOY))
    assert ladder.header == ("import numpy as np", "", "", "def toy(a, n):")
    assert [line.indent for line in ladder.lines] == [0, 0, 0, 0, 1, 1, 0, 0]
    assert [line.subgoal for line in ladder.lines] == (
        ["Setup"] * 3 + ["Loop"] * 4 + ["Result"]
    )
    assert ladder.parents == (None, None, None, None, 3, 3, None, None)
    assert ladder.depends == (
        (),
        (),
        (),
        (),
        (0, 2, 3),  # b, total, and its loop
        (0, 2, 3, 4),  # and the append before it
        (0, 1),
        (0, 1, 2, 3, 4, 5, 6),
    )
    assert ladder.lines[0].why == "b is one more"


def test_identical_lines_stand_for_each_other() -> None:
    ladder = build(_toy(TOY))
    view = ladder.parsons(0)
    ids = {block.text: [] for block in view.blocks}
    for block in view.blocks:
        ids[block.text].append(block.id)
    order = [ladder.lines[i] for i in (1, 0, 2, 3, 4, 5, 6, 7)]
    placed = [(ids[line.text].pop(), line.indent) for line in order]
    assert ladder.assemble(0, placed).order_ok


def test_an_extra_edge_orders_what_the_names_do_not_show() -> None:
    assert build(_toy(TOY)).depends[1] == ()
    ordered = build(_toy(TOY, after=(("c = a * 2", "b = a + 1"),)))
    assert ordered.depends[1] == (0,)
    with pytest.raises(ValueError, match="not forward"):
        build(_toy(TOY, after=(("b = a + 1", "c = a * 2"),)))


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("    # § S\n    b = a  # because\n    return b  # why: x\n", "no '# why: …'"),
        ("    b = a  # why: x\n    return b  # why: x\n", "no '# § …' subgoal"),
        (
            "    # § S\n    if a:  # why: x\n        b = a  # why: x\n    else:\n        b = 0  # why: x\n    return b  # why: x\n",
            "else is not supported",
        ),
        (
            "    # § S\n    b = (a +  # why: x\n         1)\n    return b  # why: x\n",
            "one physical line",
        ),
        (
            "    # § S\n    b = a; c = a  # why: x\n    return b  # why: x\n",
            "one statement per line",
        ),
        (
            "    # § S\n    try:  # why: x\n        b = a  # why: x\n    except Exception:\n        b = 0\n    return b  # why: x\n",
            "Try is not supported",
        ),
        (
            "    # § S\n    for i in a: b = i  # why: x\n    return b  # why: x\n",
            "own lines",
        ),
    ],
)
def test_a_badly_annotated_source_is_refused(body: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        build(_toy(body, blanks=()))


def test_the_function_must_be_last_and_plain() -> None:
    with pytest.raises(ValueError, match="end with one function toy"):
        build(Solution("toy", "toy", "def other(a):\n    return a\n", (), ()))
    decorated = "import functools\n\n\n@functools.cache\ndef toy(a):\n    # § S\n    return a  # why: x\n"
    with pytest.raises(ValueError, match="undecorated"):
        build(Solution("toy", "toy", decorated, (), ()))


@pytest.mark.parametrize(
    ("blanks", "distractors", "says"),
    [
        ((BlankSpec("a - 1", "p", ("m",)),), (), "must occur once"),
        ((BlankSpec("b * i", "p", ("m",)),), (), "must occur once"),
        ((BlankSpec("a +", "p", ("m",)),), (), "is not an expression"),
        (
            (BlankSpec("a + 1", "p", ("m",)), BlankSpec("1", "p", ("m",), on="b =")),
            (),
            "overlaps",
        ),
        ((BlankSpec("for i in range(n):", "p", ("m",)),), (), "compound line"),
        ((BlankSpec("a + 1", "", ("m",)),), (), "needs a prompt"),
        ((BlankSpec("a + 1", "p", ("m",), level=2),), (), "without a gap"),
        ((), (DistractorSpec("b = a + 1", "b = a + 1", "m"),), "must change its line"),
        (
            (),
            (DistractorSpec("b = a + 1", "for b in a:", "m"),),
            "must change its line",
        ),
        ((), (DistractorSpec("b = a + 1", "b = a +", "m"),), "not valid Python"),
        ((), (DistractorSpec("b = a + 2", "b = a", "m"),), "0 lines read"),
    ],
)
def test_a_blank_or_distractor_that_does_not_fit_is_refused(
    blanks: tuple[BlankSpec, ...], distractors: tuple[DistractorSpec, ...], says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        build(_toy(TOY, blanks=blanks, distractors=distractors))
