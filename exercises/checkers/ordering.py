"""Ordering and trace answers.

Three modes:
  order     put given items in order (the NMS steps, the LSTM equations);
            the answer is the items' ids in the student's order. The items are
            listed in one correct order; when steps do not depend on each other
            and several orders are right, `also_correct` lists the others, each
            as the item numbers (counted from 1, as listed) in that order:
              also_correct: [[2, 1, 3, 4]]   # steps 1 and 2 either way round
  sequence  type labels in order ("B, D, A": which boxes NMS keeps, in order)
  set       type labels in any order ("C, E": which boxes a step discards;
            "none" for none)
"""

from __future__ import annotations

import re
from typing import Any

from exercises.checkers.base import CheckResult

MAX_LABELS = 50


def read_labels(text: str) -> list[str]:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("Enter the labels, separated by commas (or “none”).")
    if len(text) > 1000:
        raise ValueError("That is too long.")
    cleaned = text.strip()
    if cleaned.lower() in {"none", "-", "—", "nothing", "∅", "{}"}:
        return []
    labels = [
        part.strip().upper()
        for part in re.split(r"[,;\s]+", cleaned.strip("[](){}"))
        if part.strip()
    ]
    if len(labels) > MAX_LABELS:
        raise ValueError(f"More than {MAX_LABELS} labels.")
    for label in labels:
        if not re.fullmatch(r"[A-Z0-9_]{1,12}", label):
            raise ValueError(
                f"“{label}” is not a label: use the letters or numbers shown."
            )
    return labels


def check_ordering(
    spec: dict[str, Any], answer: dict[str, Any], expected: Any
) -> CheckResult:
    mode = spec.get("mode", "order")
    if mode == "order":
        return _check_order(spec, answer)
    try:
        got = read_labels(str(answer.get("value", "")))
    except ValueError as exc:
        return CheckResult.unreadable(str(exc))
    want = [str(label).upper() for label in expected]
    interpretation = "Read as " + (", ".join(got) if got else "none")
    if mode == "set":
        return _compare_sets(got, want, interpretation)
    return _compare_sequences(got, want, interpretation)


def accepted_orders(spec: dict[str, Any]) -> list[list[int]]:
    """Every accepted order of an `order` question, as item ids: the listed
    order first, then each of `also_correct`. ValueError when one is not an
    order of all the items."""
    count = len(spec["items"])
    orders = [list(range(count))]
    alternatives = spec.get("also_correct") or []
    if not isinstance(alternatives, list):
        raise ValueError("`also_correct` must be a list of orders")
    for alternative in alternatives:
        numbers = alternative if isinstance(alternative, list) else []
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            numbers = []
        order = [number - 1 for number in numbers]
        if sorted(order) != list(range(count)):
            raise ValueError(
                f"`also_correct` entry {alternative!r} must list the item numbers"
                f" 1…{count}, each exactly once"
            )
        if order not in orders:
            orders.append(order)
    return orders


def _check_order(spec: dict[str, Any], answer: dict[str, Any]) -> CheckResult:
    count = len(spec["items"])
    try:
        orders = accepted_orders(spec)
    except ValueError as exc:
        # The question is at fault, not the student: nothing counts, and the
        # bank's self-test ("its own correct answer fails") reports it.
        return CheckResult.unreadable(f"This question cannot be checked: {exc}")
    raw = answer.get("order")
    try:
        order = [int(value) for value in raw] if isinstance(raw, list) else []
    except (TypeError, ValueError):
        order = []
    if sorted(order) != list(range(count)):
        return CheckResult.unreadable(
            "Put every item in a position, each exactly once."
        )
    if order in orders:
        return CheckResult(True, True, 1.0, "Correct.")
    # Judge against the accepted order the answer is closest to.
    ranked = []
    for accepted in orders:
        rank = {item: position for position, item in enumerate(accepted)}
        relative = [rank[item] for item in order]
        ranked.append((_longest_increasing(relative), accepted))
    longest, nearest = max(ranked, key=lambda pair: pair[0])
    placed = sum(1 for mine, want in zip(order, nearest, strict=True) if mine == want)
    first = next(
        position for position, item in enumerate(order) if item != nearest[position]
    )
    should = spec["items"][nearest[first]]
    return CheckResult(
        True,
        False,
        round(longest / count, 6),
        f"Not quite: position {first + 1} should be “{should}”.",
        details={"placed": placed},
    )


def _longest_increasing(values: list[int]) -> int:
    """Length of the longest subsequence already in the right relative order."""
    tails: list[int] = []
    for value in values:
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if tails[middle] < value:
                low = middle + 1
            else:
                high = middle
        if low == len(tails):
            tails.append(value)
        else:
            tails[low] = value
    return len(tails)


def _compare_sets(got: list[str], want: list[str], interpretation: str) -> CheckResult:
    if sorted(set(got)) == sorted(set(want)) and len(got) == len(set(got)):
        return CheckResult(True, True, 1.0, "Correct.", interpretation)
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("should not include " + ", ".join(extra))
    return CheckResult(
        True,
        False,
        0.0,
        "Not quite: " + "; ".join(parts or ["a label is repeated"]) + ".",
        interpretation,
    )


def _compare_sequences(
    got: list[str], want: list[str], interpretation: str
) -> CheckResult:
    if got == want:
        return CheckResult(True, True, 1.0, "Correct.", interpretation)
    if sorted(got) == sorted(want):
        return CheckResult(
            True, False, 0.5, "The right labels, in the wrong order.", interpretation
        )
    missing = [label for label in want if label not in got]
    extra = [label for label in got if label not in want]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("should not include " + ", ".join(extra))
    return CheckResult(
        True, False, 0.0, "Not quite: " + "; ".join(parts) + ".", interpretation
    )
