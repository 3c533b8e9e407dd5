"""The own-input form of "Run": what each argument accepts, read from the
worked examples, and the checks on what a student types (no database)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.specs import all_specs, get_spec
from exercises.coding import run_inputs
from exercises.coding.run_inputs import Argument, arguments_for, parse_inputs
from exercises.coding.run_values import InputError, plain
from exercises.coding.worked_examples import WorkedExample


def arguments(spec_id: str) -> dict[str, Argument]:
    spec = get_spec(spec_id)
    examples = [WorkedExample(case, None) for case in spec.cases(0) if not case.hidden]
    return {argument.name: argument for argument in arguments_for(examples)}


def typed(spec_id: str, **texts: str) -> dict[str, object]:
    """Parse the spec's first example with some fields replaced by `texts`."""
    args = arguments(spec_id)
    data = {arg.field: texts.get(name, arg.initial) for name, arg in args.items()}
    return dict(parse_inputs(list(args.values()), data))


def refusal(spec_id: str, **texts: str) -> str:
    with pytest.raises(InputError) as caught:
        typed(spec_id, **texts)
    return caught.value.message


@pytest.mark.parametrize("spec", all_specs(), ids=lambda spec: spec.id)
def test_every_visible_example_of_every_spec_is_accepted_as_typed(spec) -> None:  # type: ignore[no-untyped-def]
    examples = [WorkedExample(case, None) for case in spec.cases(0) if not case.hidden]
    args = arguments_for(examples)
    assert [arg.name for arg in args] == list(examples[0].inputs)
    for example in examples:
        data = {arg.field: json.dumps(plain(example.inputs[arg.name])) for arg in args}
        values = dict(parse_inputs(args, data))
        for name, value in example.inputs.items():
            assert type(values[name]) is type(value) or isinstance(value, (list, tuple))
            if isinstance(value, np.ndarray):
                assert values[name].dtype == value.dtype  # type: ignore[attr-defined]
                assert np.array_equal(values[name], value)  # type: ignore[arg-type]


def test_the_forms_come_from_the_examples() -> None:
    iou = arguments("iou")
    assert iou["box_a"].described == "a list of 4 numbers"
    assert iou["box_a"].initial == "[1.0, 1.0, 4.0, 3.0]"
    nms = arguments("nms")
    assert nms["boxes"].described == (
        "a 2-D array of numbers as nested lists, shape (*, 4) (* any size)"
    )
    fgsm = arguments("fgsm")
    assert fgsm["y"].described == "a whole number or a list of whole numbers"
    assert fgsm["clamp"].described == "true or false"
    assert arguments("tf_idf")["documents"].described == "a list of lists of texts"
    assert arguments("analogy")["a"].described.startswith("a text")
    assert not arguments("yolo_decode")["grid"].multiline
    assert arguments("lstm_cell")["W"].multiline


def test_values_are_converted_to_what_the_examples_pass() -> None:
    values = typed("iou", box_a="[0, 0, 2, 2]")
    assert values["box_a"] == [0.0, 0.0, 2.0, 2.0]
    assert all(type(v) is float for v in values["box_a"])  # type: ignore[attr-defined]
    lstm = typed("lstm_cell", x="[1, 2, 3]")
    assert isinstance(lstm["x"], np.ndarray) and lstm["x"].dtype == np.float64
    assert typed("yolo_decode", grid="3.0")["grid"] == 3
    assert typed("bag_of_words", tokens="[]")["tokens"] == []
    assert typed("tf_idf", documents='[["a"], []]')["documents"] == [["a"], []]


@pytest.mark.parametrize(
    ("spec_id", "field", "text", "says"),
    [
        (
            "iou",
            "box_a",
            "[0, 0, 1]",
            "box_a must be a list of 4 numbers: axis 0 has 3 entries, not 4.",
        ),
        ("iou", "box_a", "[[0, 0, 1, 1]]", "yours has 2 dimension(s), not 1"),
        ("iou", "box_a", "[0, 0, 1, true]", "not a rectangular array of numbers"),
        ("iou", "box_a", "[0, 0, 1,", "box_a is not valid JSON"),
        ("iou", "box_a", "box", "box_a is not valid JSON"),
        ("iou", "box_a", "   ", "Give a value for box_a: a list of 4 numbers."),
        (
            "iou",
            "box_a",
            "[0, 0, NaN, 1]",
            "box_a holds NaN or an infinity, which is not allowed here",
        ),
        ("iou", "box_a", "[0, 0, Infinity, 1]", "not allowed here"),
        ("iou", "box_a", "[0, 0, 1e999, 1]", "not allowed here"),
        (
            "yolo_decode",
            "grid",
            "2.5",
            "grid must be a whole number: yours is 2.5, not a whole number.",
        ),
        ("yolo_decode", "grid", '"3"', "grid must be a whole number: yours is a text."),
        (
            "fgsm",
            "y",
            "[0.5]",
            "y must be a whole number or a list of whole numbers; yours is a 1-D array",
        ),
        ("bag_of_words", "tokens", '["a", 1]', "tokens must be a list of texts"),
        ("iou", "box_a", "[" * 50 + "]" * 50, "nested more than 6 lists deep"),
    ],
)
def test_bad_input_gets_a_message_that_says_what_to_change(
    spec_id: str, field: str, text: str, says: str
) -> None:
    assert says in refusal(spec_id, **{field: text})


def test_input_is_bounded_before_anything_runs() -> None:
    big = json.dumps([[0.0, 0.0, 1.0, 1.0]] * 2_501)
    assert "holds 10,004 numbers and texts; the limit is 10,000" in refusal(
        "nms", boxes=big, scores=json.dumps([0.9] * 2_501)
    )
    # Together too: each argument alone is under the limit.
    half = json.dumps([[0.0, 0.0, 1.0, 1.0]] * 1_500)
    assert "Your input holds 13,500 numbers and texts" in refusal(
        "nms", boxes=half, scores=json.dumps([0.5] * 7_500)
    )
    assert "the limit is 200,000" in refusal("iou", box_a=" " * 200_001)
    assert "A text is longer than 1,000" in refusal(
        "analogy", a=json.dumps("w" * 1_001)
    )
    assert "too large" in refusal("yolo_decode", grid=str(2**60))


def test_no_argument_without_examples() -> None:
    assert arguments_for([]) == []
    with pytest.raises(InputError, match="no examples"):
        parse_inputs([], {})


def test_the_input_is_stored_as_json_and_read_back_the_same() -> None:
    values = typed("lstm_cell", x="[1, 2, 3]")
    stored = run_inputs.stored(list(values.items()))
    back = run_inputs.from_storage(json.loads(json.dumps(stored)))
    assert list(back) == list(values)
    assert isinstance(back["x"], np.ndarray) and back["x"].dtype == np.float64
    assert np.array_equal(back["W"], values["W"])  # type: ignore[arg-type]


def test_the_reference_is_computed_only_near_the_examples_sizes() -> None:
    args = list(arguments("skipgram_pairs").values())
    near = dict(
        parse_inputs(args, {"arg-tokens": '["a", "b", "c"]', "arg-window": "2"})
    )
    assert not run_inputs.beyond_examples(args, near)
    far = {**near, "window": 10_000}
    assert run_inputs.beyond_examples(args, far)
    long = {**near, "tokens": ["w"] * 1_000}
    assert run_inputs.beyond_examples(args, long)
