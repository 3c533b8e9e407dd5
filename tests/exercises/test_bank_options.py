"""Choice options do not give the answer away (issue 17, item 2).

Over the whole bank, as students see it (the options filled with each
variant's values; parameterised questions at several seeds):
- in at most 35% of single-choice questions is the correct option the longest
  one (a tie counts: the key is among the longest);
- no option of a choice question repeats another, case and spacing aside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from exercises.bank import course_objects, course_read
from exercises.models import Question
from exercises.presentation import fill
from exercises.variants import variant_for

SEEDS = range(20)
MAX_KEY_LONGEST = 0.35


def _shown(text: str) -> str:
    """The option as read: Markdown and LaTeX marks away, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"[$`*_]", "", text)).strip().lower()


def _choice_questions() -> list[Question]:
    questions, _, _ = course_objects(course_read())
    return [q for q in questions if q.kind in ("single", "multiple")]


def _renderings(question: Question) -> Iterator[tuple[int, list[str]]]:
    """Each seed's option texts, in the bank's order."""
    for seed in SEEDS if question.spec.get("generator") else range(1):
        values = variant_for(question.spec, seed).values
        yield seed, [_shown(fill(o["text"], values)) for o in question.spec["options"]]


def _key_is_longest(question: Question) -> bool:
    """True when, at any seed, the correct option is among the longest."""
    key = next(i for i, o in enumerate(question.spec["options"]) if o.get("correct"))
    return any(
        len(texts[key]) == max(map(len, texts)) for _, texts in _renderings(question)
    )


def test_the_key_is_seldom_the_longest_option() -> None:
    singles = [q for q in _choice_questions() if q.kind == "single"]
    longest = sorted(q.slug for q in singles if _key_is_longest(q))
    assert singles, "the bank has no single-choice questions"
    share = len(longest) / len(singles)
    assert share <= MAX_KEY_LONGEST, (
        f"the key is the longest option in {len(longest)} of {len(singles)} "
        f"single-choice questions ({share:.0%}): {longest}"
    )


def test_no_option_repeats_another() -> None:
    repeated = [
        f"{question.slug} (seed {seed})"
        for question in _choice_questions()
        for seed, texts in _renderings(question)
        if len(set(texts)) != len(texts)
    ]
    assert repeated == []


def test_the_length_rule_sees_a_giveaway() -> None:
    """The rule itself: a long key among short distractors is caught, a key
    shorter than one distractor is not."""
    giveaway = Question(
        slug="x",
        kind="single",
        prompt="?",
        spec={
            "options": [
                {"text": "A long and carefully qualified answer", "correct": True},
                {"text": "Short"},
            ]
        },
    )
    fair = Question(
        slug="y",
        kind="single",
        prompt="?",
        spec={
            "options": [
                {"text": "A plain answer", "correct": True},
                {"text": "A slightly longer wrong answer"},
            ]
        },
    )
    assert _key_is_longest(giveaway) and not _key_is_longest(fair)
