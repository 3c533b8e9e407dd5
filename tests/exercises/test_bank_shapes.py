"""What a student reads promises the shapes the grader expects.

The student sees the bank's prompt and the starter code, not the spec's own
statement: each shape promise of an engine spec (see
tests/engine/test_shape_promises.py) must also be in the prompt of every
coding exercise built on that spec, in the same words once the maths and code
marks are taken away.
"""

from __future__ import annotations

import re

import pytest

from engine import get_spec
from exercises.bank import course_read


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("$", "").replace("`", "")).strip()


def _engine_exercises() -> list[tuple[str, str, str]]:
    return [
        (exercise["slug"], exercise["engine_spec"], exercise["prompt"])
        for topic in course_read().topics
        for exercise in topic.data.get("coding", [])
        if exercise.get("engine_spec")
    ]


@pytest.mark.parametrize(
    ("slug", "spec_id", "prompt"),
    _engine_exercises(),
    ids=[slug for slug, _, _ in _engine_exercises()],
)
def test_the_prompt_states_every_promised_shape(
    slug: str, spec_id: str, prompt: str
) -> None:
    missing = [
        promise.says
        for promise in get_spec(spec_id).shapes
        if _plain(promise.says) not in _plain(prompt)
    ]
    assert missing == [], f"{slug}: the prompt does not say {missing}"
