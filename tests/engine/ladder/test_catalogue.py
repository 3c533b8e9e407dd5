"""The ladders' content, checked against the exercise specs: no grading here."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from engine.ladder import get_ladder, ladder_ids
from engine.sandbox.subprocess_runner import PROJECT_ROOT
from engine.specs import get_spec

REQUIRED = {
    "iou",
    "nms",
    "yolo_encode",
    "tf_idf",
    "cosine_similarity",
    "skipgram_objective",
    "rnn_step",
    "lstm_cell",
    "gru_cell",
    "fgsm",
    "gram_matrix",
    "cyclical_lr",
}


def test_it_has_a_ladder_for_every_required_spec() -> None:
    assert set(ladder_ids()) >= REQUIRED
    assert list(ladder_ids()) == sorted(ladder_ids())


def test_an_unknown_spec_has_no_ladder() -> None:
    with pytest.raises(KeyError):
        get_ladder("no_such_spec")
    with pytest.raises(KeyError):
        get_ladder("__init__")


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_it_is_the_specs_function_written_plainly(spec_id: str) -> None:
    ladder, spec = get_ladder(spec_id), get_spec(spec_id)
    assert ladder.spec_id == spec_id
    assert ladder.header[-1].startswith(f"def {spec.entry_point}(")
    assert 5 <= len(ladder.lines) <= 20
    tree = ast.parse(ladder.source())
    assert tree.body[-1].name == spec.entry_point  # type: ignore[attr-defined]
    assert "engine" not in ladder.source()


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_every_line_has_a_subgoal_and_a_short_why(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    for line in ladder.lines:
        assert line.subgoal and line.why, line.text
        assert len(line.why) <= 200 and "\n" not in line.why, line.why
        assert not line.text.startswith(" ") and "#" not in line.text
    rows = ladder.worked()
    assert [row.text for row in rows] == [line.text for line in ladder.lines]
    assert [(row.indent, row.subgoal, row.why) for row in rows] == [
        (line.indent, line.subgoal, line.why) for line in ladder.lines
    ]
    assert len({line.subgoal for line in ladder.lines}) >= 2


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_blanks_and_distractors_name_the_specs_mistakes(spec_id: str) -> None:
    ladder, spec = get_ladder(spec_id), get_spec(spec_id)
    named = {mistake.id for mistake in spec.mistakes}
    assert 2 <= len(ladder.distractors) <= 3
    for distractor in ladder.distractors:
        assert distractor.mistake_id in named
        assert distractor.text not in {line.text for line in ladder.lines}
    assert len({d.mistake_id for d in ladder.distractors}) == len(ladder.distractors)
    assert ladder.blanks and 2 <= ladder.levels <= 4
    for blank in ladder.blanks:
        assert blank.mistakes and set(blank.mistakes) <= named, blank.id
        assert blank.prompt and 0 <= blank.start < blank.end
    assert [blank.id for blank in ladder.blanks] == [
        f"b{n}" for n in range(1, len(ladder.blanks) + 1)
    ]
    # Level 1 fades one blank; each level after it fades more.
    assert sum(blank.level == 1 for blank in ladder.blanks) == 1


@pytest.mark.parametrize("spec_id", ladder_ids())
def test_the_graph_points_backwards_and_keeps_the_nesting(spec_id: str) -> None:
    ladder = get_ladder(spec_id)
    assert len(ladder.depends) == len(ladder.lines)
    for index, needs in enumerate(ladder.depends):
        assert all(0 <= need < index for need in needs)
        parent = ladder.parents[index]
        if parent is not None:
            assert parent in needs
            assert ladder.lines[index].indent == ladder.lines[parent].indent + 1
        if ladder.lines[index].text.startswith("return "):
            assert set(needs) == set(range(index))


def test_the_ladders_load_without_django_torch_or_the_references() -> None:
    code = (
        "import sys\n"
        "from engine.ladder import get_ladder, ladder_ids\n"
        "assert all(get_ladder(spec_id).source() for spec_id in ladder_ids())\n"
        "heavy = ('django', 'torch', 'engine.specs', 'engine.reference', 'engine.sandbox')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)
