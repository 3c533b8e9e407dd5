"""Multi-step answers with error carried forward.

A worked problem in parts (an LSTM step: f, i, C̃, C, o, h; TF-IDF by hand:
TF, IDF, the product). Each part is checked against the correct value and,
if wrong, against the value that follows from the student's own earlier parts
(the variant's `follow`). A part that is right given an earlier slip earns its
credit and says so: one early slip is marked once, not in every later part.
A part that cannot be read makes the whole answer unreadable (not an attempt),
with a message naming the part.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from exercises.checkers.base import CheckResult

if TYPE_CHECKING:
    from exercises.variants import Variant

logger = logging.getLogger(__name__)

PART_KINDS = {"numeric", "matrix", "symbolic", "ordering"}


def check_multistep(
    spec: dict[str, Any], answer: dict[str, Any], variant: Variant
) -> CheckResult:
    from exercises.checkers import check_part, read_part

    raw = answer.get("parts")
    given: dict[str, Any] = raw if isinstance(raw, dict) else {}
    earlier: dict[str, Any] = {}
    readings: dict[str, Any] = {}
    for part in spec["parts"]:
        part_answer = given.get(part["name"]) or {}
        try:
            readings[part["name"]] = read_part(part, part_answer)
        except ValueError as exc:
            return CheckResult.unreadable(f"{_label(part)}: {exc}")
    results = {}
    for part in spec["parts"]:
        name = part["name"]
        part_answer = given.get(name) or {}
        direct = check_part(part, part_answer, variant.answer[name])
        status, score, message = (
            ("correct", 1.0, "Correct.")
            if direct.correct
            else ("wrong", direct.score, direct.message)
        )
        if not direct.correct and variant.follow is not None:
            carried = _carried(variant.follow, name, earlier)
            if carried is not None and check_part(part, part_answer, carried).correct:
                status, score = "carried", 1.0
                message = "Correct given your earlier answers (the earlier slip is marked once)."
        results[name] = {
            "label": part.get("label", name),
            "status": status,
            "score": score,
            "message": message,
            "interpretation": direct.interpretation,
        }
        earlier[name] = readings[name]
    total = sum(result["score"] for result in results.values()) / len(results)
    correct = all(result["status"] == "correct" for result in results.values())
    right = sum(result["status"] != "wrong" for result in results.values())
    message = "Correct." if correct else f"{right} of {len(results)} parts right."
    return CheckResult(
        True, correct, round(total, 6), message, details={"parts": results}
    )


def _carried(
    follow: Callable[[str, dict[str, Any]], Any], name: str, earlier: dict[str, Any]
) -> Any:
    """The value part `name` should have given the student's earlier answers, or
    None when nothing follows from them.

    The earlier answers are the student's, of any size: a follow that cannot
    combine them (NumPy refuses the shapes) carries nothing forward, and the part
    is marked on its own. Follows should check sizes themselves (`shaped`); this
    keeps one that does not from turning an answer into a server error."""
    try:
        return follow(name, dict(earlier))
    except (ValueError, IndexError) as exc:
        logger.warning(
            "No value follows for part %r from the earlier answers: %s", name, exc
        )
        return None


def _label(part: dict[str, Any]) -> str:
    return str(part.get("label") or part["name"])
