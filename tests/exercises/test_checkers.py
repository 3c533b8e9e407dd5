import pytest

from exercises.checkers import check as _check
from exercises.checkers.arithmetic import ReadError, read_number
from exercises.variants import variant_for


def check(kind: str, spec: dict, answer: dict):
    return _check(kind, spec, answer, variant_for(spec, 0))


CHOICES = {
    "options": [
        {"text": "right", "correct": True, "explanation": "why right"},
        {"text": "wrong", "explanation": "the misconception"},
        {"text": "also right", "correct": True},
    ]
}


def test_single_choice_right_and_wrong() -> None:
    spec = {"options": CHOICES["options"][:2]}
    right = check("single", spec, {"choice": "0"})
    wrong = check("single", spec, {"choice": "1"})
    assert right.readable and right.correct and right.score == 1.0
    assert wrong.readable and not wrong.correct and wrong.score == 0.0
    assert wrong.details["options"]["1"]["explanation"] == "the misconception"


@pytest.mark.parametrize(
    "answer", [{"choice": ""}, {"choice": "7"}, {"choice": "x"}, {}]
)
def test_unreadable_choices_do_not_count(answer: dict) -> None:
    result = check("single", CHOICES, answer)
    assert not result.readable and result.message


def test_multiple_choice_gives_partial_credit() -> None:
    assert check("multiple", CHOICES, {"choices": ["0", "2"]}).correct
    half = check("multiple", CHOICES, {"choices": ["0"]})
    assert not half.correct and half.score == 0.5
    assert check("multiple", CHOICES, {"choices": ["0", "1"]}).score == 0.0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1/8", 0.125),
        ("0.125", 0.125),
        ("0,125", 0.125),
        ("−0.5", -0.5),
        ("log(2/2)", 0.0),
        ("0.992/0.018", 0.992 / 0.018),
        ("3·10^-2", 0.03),
        ("2 × 3", 6.0),
        ("sqrt(2)^2", 2.0),
        ("1 000", 1000.0),
    ],
)
def test_numbers_are_read_as_students_write_them(text: str, value: float) -> None:
    assert read_number(text).value == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "().__class__.__bases__[0].__subclasses__()",
        "lambda: 1",
        "9**9**9**9",
        "10**400",
        "x + 1",
        "open('/etc/passwd')",
        "[1, 2]",
        "1 if 1 else 2",
        "(" * 300 + "1" + ")" * 300,
        "1" * 500,
        "log(-1)",
        "1/0",
        "",
        "   ",
        "(-8)^(1/3)",
        "True",
    ],
)
def test_hostile_or_malformed_input_is_refused_cleanly(text: str) -> None:
    with pytest.raises(ReadError):
        read_number(text)


def test_a_syntax_error_says_where() -> None:
    with pytest.raises(ReadError, match="character 5"):
        read_number("1 + * 2")


def test_numeric_tolerance() -> None:
    spec = {"answer": 1 / 3, "tolerance": {"abs": 0.001}}
    assert check("numeric", spec, {"value": "1/3"}).correct
    assert check("numeric", spec, {"value": "0.333"}).correct
    assert not check("numeric", spec, {"value": "0.33"}).correct
    unreadable = check("numeric", spec, {"value": "one third"})
    assert not unreadable.readable and "not a number" in unreadable.message
