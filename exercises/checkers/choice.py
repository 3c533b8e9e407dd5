"""Single and multiple choice: every option carries its own explanation."""

from __future__ import annotations

from typing import Any

from exercises.checkers.base import CheckResult


def check_choice(
    spec: dict[str, Any], answer: dict[str, Any], *, multiple: bool
) -> CheckResult:
    options = spec["options"]
    chosen = _chosen(answer, len(options), multiple)
    if isinstance(chosen, str):
        return CheckResult.unreadable(chosen)
    correct = {i for i, option in enumerate(options) if option.get("correct")}
    explanations = {
        str(i): {
            "chosen": i in chosen,
            "correct": i in correct,
            "explanation": option.get("explanation", ""),
        }
        for i, option in enumerate(options)
    }
    right = chosen == correct
    if multiple and not right:
        # Partial credit: right picks minus wrong picks, never below zero.
        hits = len(chosen & correct) - len(chosen - correct)
        score = max(0.0, hits / len(correct)) if correct else 0.0
    else:
        score = 1.0 if right else 0.0
    if right:
        message = "Correct."
    elif multiple:
        missing, extra = len(correct - chosen), len(chosen - correct)
        message = f"Not quite: {missing} right option(s) missing, {extra} wrong option(s) chosen."
    else:
        message = "Not quite."
    return CheckResult(True, right, score, message, details={"options": explanations})


def _chosen(answer: dict[str, Any], count: int, multiple: bool) -> set[int] | str:
    raw = answer.get("choices") if multiple else answer.get("choice")
    if raw in (None, "", []):
        return (
            "Choose an option first." if not multiple else "Choose at least one option."
        )
    values = raw if isinstance(raw, list) else [raw]
    try:
        indices = {int(value) for value in values}
    except (TypeError, ValueError):
        return "That choice could not be read."
    if not indices or any(not 0 <= i < count for i in indices):
        return "That choice is not one of the options."
    if not multiple and len(indices) != 1:
        return "Choose exactly one option."
    return indices
