"""Every computational question has a hint ladder (issue 17, item 3).

A numeric, matrix, multi-step or symbolic question gives at least two hints,
the idea first and then the first step on this variant; no two hints say the
same thing, and no hint is the answer itself. Parameterised questions are
checked on the hints and answers of a few of their variants, as rendered.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from exercises.bank import course_read, question_fields
from exercises.presentation import fill
from exercises.variants import variant_for

COMPUTATIONAL = ("numeric", "matrix", "multistep", "symbolic")
SEEDS = (1, 7, 52)


def _computational() -> list[dict[str, Any]]:
    return [
        question
        for topic in course_read().topics
        for question in topic.data.get("questions", [])
        if question["kind"] in COMPUTATIONAL
    ]


def _plain(text: str) -> str:
    text = re.sub(r"[\s$`*_.]+", " ", text).strip().lower()
    return text.replace(" ", "")


def _answer_texts(answer: Any) -> list[str]:
    """The answer as a student might read it: each part of a multi-step answer too."""
    if isinstance(answer, dict):
        return [text for value in answer.values() for text in _answer_texts(value)]
    if answer is None:
        return []
    if isinstance(answer, float) and answer.is_integer():
        answer = int(answer)
    return [str(answer)]


QUESTIONS = _computational()


def test_the_bank_has_computational_questions() -> None:
    assert len(QUESTIONS) >= 100


@pytest.mark.parametrize(
    "question", QUESTIONS, ids=[question["slug"] for question in QUESTIONS]
)
def test_a_computational_question_has_a_hint_ladder(question: dict[str, Any]) -> None:
    hints = question.get("hints") or []
    assert len(hints) >= 2, "needs at least two hints: the idea, then the first step"
    assert all(isinstance(hint, str) and hint.strip() for hint in hints)
    assert len({_plain(hint) for hint in hints}) == len(hints), "two hints repeat"

    spec = question_fields(question)["spec"]
    seeds = SEEDS if spec.get("generator") else SEEDS[:1]
    for seed in seeds:
        variant = variant_for(spec, seed)
        rendered = [_plain(fill(hint, variant.values)) for hint in hints]
        assert len(set(rendered)) == len(rendered), f"seed {seed}: two hints repeat"
        answers = {_plain(text) for text in _answer_texts(variant.answer)}
        given = answers.intersection(rendered)
        assert not given, f"seed {seed}: a hint is the answer {given}"


def test_a_hint_equal_to_the_answer_is_caught() -> None:
    question = {"answer": "18*C^2 + 2*C", "hints": ["18*C^2 + 2*C"]}
    answers = {_plain(text) for text in _answer_texts(question["answer"])}
    assert answers.intersection(_plain(hint) for hint in question["hints"])
    assert _answer_texts({"a": 2.0, "b": None}) == ["2"]
