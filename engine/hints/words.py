"""What every hint ladder is made of: the ladder itself, and the Markdown
helpers that keep a run's output in code spans and escape the spec's words."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from engine.report import CaseResult
from engine.specs.base import ExerciseSpec

GENERIC = "generic:"
LEVELS = 3
LEVEL_NAMES = ("Where to look", "The idea", "The fix")
MAX_HINT_CHARS = 2_000
MAX_LABELS = 12


@dataclass(frozen=True)
class HintLadder:
    """Up to three hints, `hints[k - 1]` being level k (1 point, 2 teach,
    3 bottom-out). `mistake_id` is the named mistake's id, or
    "generic:<failure class>"."""

    mistake_id: str
    title: str
    hints: tuple[str, ...]

    @property
    def named(self) -> bool:
        return not self.mistake_id.startswith(GENERIC)


def is_open(case: CaseResult, open_cases: Collection[str]) -> bool:
    return not case.hidden and case.name in open_cases


def first_failing(
    cases: Sequence[CaseResult], open_cases: Collection[str]
) -> CaseResult | None:
    return next(
        (c for c in cases if not c.passed and is_open(c, open_cases)),
        None,
    )


def clipped(hints: Sequence[str]) -> tuple[str, ...]:
    return tuple(
        hint if len(hint) <= MAX_HINT_CHARS else hint[: MAX_HINT_CHARS - 1] + "…"
        for hint in hints
    )


def code(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("$", r"\$")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plain(text: str) -> str:
    return re.sub(r"([\\`*_\[\]$])", r"\\\1", " ".join(str(text).split()))


def case_name(case: CaseResult) -> str:
    label = f" ({plain(case.label)})" if case.label else ""
    return code(case.name, 80) + label


def brief(value: Any, limit: int = 200) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return code(text, limit)


def promises_said(spec: ExerciseSpec) -> str:
    if not spec.shapes:
        return ""
    said = "; ".join(plain(promise.says) for promise in spec.shapes)
    return f"\n\nThe statement promises: {said}."
