"""What a student may see of a grading report: the instructor's per-case policy.

A case's level comes from the exercise: `case_overrides[name]` if set, else
`hidden_case_feedback` for a hidden case and `case_feedback` for a visible one.

- "all": everything (inputs, expected and actual values, message, traceback,
  printed output);
- "message": the message only;
- "after_due": nothing until `due_at` has passed, then everything (with no
  due date, nothing).

Whatever the level, every case says whether it passed, and the report names
the known mistake the submission matches. A hidden case shown at "message"
level has its message stripped of values (a comparator's message quotes the
expected value) and of exception text (the student's code can put its inputs
there). The output printed outside any case is shown only when every case is
shown in full: code can write a hidden case's inputs to it.

`report_for_student` is pure: no database, no clock but `now`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Protocol

Detail = Literal["all", "message", "none"]
LEVELS: tuple[str, ...] = ("all", "message", "after_due")

# What a student always sees of a case, and what the "message" level adds.
_ALWAYS = ("name", "passed", "score", "hidden")
_WITH_MESSAGE = (*_ALWAYS, "label", "message")
# Values inside a message: numbers (also nan/inf) and quoted strings.
_VALUE = re.compile(
    r"""'[^']*'|"[^"]*"|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|\b(?:nan|inf)\b"""
)
_EXCEPTION_NAME = re.compile(r"[A-Za-z_][\w.]{0,79}")
_MEMORY = "raised memory limit exceeded (MemoryError)"  # the grader's own words


HEADLINES = {
    "passed": "All cases passed",
    "failed": "Some cases failed",
    "syntax_error": "Syntax error",
    "forbidden": "A forbidden call",
    "missing_entry_point": "Missing function",
    "wrong_signature": "Wrong signature",
    "runtime_error": "Runtime error",
    "time_limit": "Time limit exceeded",
    "memory_limit": "Memory limit exceeded",
    "output_limit": "Output limit exceeded",
    "interfered": "The submission interfered with grading",
    "internal_error": "The grader failed",
}


class FeedbackPolicy(Protocol):
    """The fields of a coding exercise that decide what a student sees."""

    @property
    def case_feedback(self) -> str: ...

    @property
    def hidden_case_feedback(self) -> str: ...

    @property
    def case_overrides(self) -> Any: ...

    @property
    def due_at(self) -> datetime | None: ...


def case_level(policy: FeedbackPolicy, *, name: str, hidden: bool) -> str:
    """The instructor's level for one case: its override, else the default."""
    overrides = policy.case_overrides if isinstance(policy.case_overrides, dict) else {}
    level = overrides.get(name)
    if level in LEVELS:
        return str(level)
    return policy.hidden_case_feedback if hidden else policy.case_feedback


def case_detail(
    policy: FeedbackPolicy, *, name: str, hidden: bool, now: datetime
) -> Detail:
    """How much of one case a student sees now."""
    level = case_level(policy, name=name, hidden=hidden)
    if level == "all":
        return "all"
    if level == "message":
        return "message"
    # "after_due", and any unknown value, which must not show more than asked.
    due = policy.due_at
    return "all" if due is not None and now >= due else "none"


def report_for_student(
    report: Mapping[str, Any] | None, policy: FeedbackPolicy, now: datetime
) -> dict[str, Any] | None:
    """The report as the student who submitted may see it at `now`."""
    if not report:
        return None
    raw_cases = [case for case in report.get("cases") or [] if isinstance(case, dict)]
    details = [
        case_detail(
            policy,
            name=str(case.get("name", "")),
            hidden=bool(case.get("hidden")),
            now=now,
        )
        for case in raw_cases
    ]
    cases = [
        _case_view(case, detail)
        for case, detail in zip(raw_cases, details, strict=True)
    ]
    complete = all(detail == "all" for detail in details)
    view = {key: value for key, value in report.items() if key != "extra"}
    view["cases"] = cases
    view["headline"] = HEADLINES.get(str(report.get("verdict")), "Graded")
    view["properties"] = _properties_view(report.get("properties") or [], cases)
    view["stdout"] = report.get("stdout", "") if complete else ""
    view["withheld"] = not complete
    view["hidden_failed"] = sum(
        1 for case in cases if case.get("hidden") and not case.get("passed")
    )
    view["details_after"] = _details_after(policy, raw_cases, details)
    if cases:
        view["message"] = summary(view)
        view["traceback"] = _first_traceback(cases)
    return view


def full_report(report: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The whole report (for staff), in the same shape as a student's view."""
    if not report:
        return None
    view = dict(report)
    view["cases"] = [
        {**case, "detail": "all"}
        for case in report.get("cases") or []
        if isinstance(case, dict)
    ]
    view["headline"] = HEADLINES.get(str(report.get("verdict")), "Graded")
    view["hidden_failed"] = sum(
        1 for case in view["cases"] if case.get("hidden") and not case.get("passed")
    )
    view["withheld"] = False
    view["details_after"] = None
    return view


def first_failure(
    cases: list[dict[str, Any]],
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The failing case to show in full (the first with the most detail
    shown) and the other cases, in order."""
    failing = [case for case in cases if not case.get("passed")]
    for detail in ("all", "message", "none"):
        for case in failing:
            if case.get("detail") == detail:
                return case, [other for other in cases if other is not case]
    return None, list(cases)


def _case_view(case: Mapping[str, Any], detail: Detail) -> dict[str, Any]:
    if detail == "all":
        return {**case, "detail": "all"}
    keys = _WITH_MESSAGE if detail == "message" else _ALWAYS
    shown = {key: case.get(key) for key in keys}
    shown["detail"] = detail
    if detail == "none":
        shown["message"] = ""
    elif case.get("hidden"):
        shown["message"] = masked(str(case.get("message") or ""))
    return shown


def masked(message: str) -> str:
    """A case's message without the values in it: "expected …, got …"."""
    if message == _MEMORY:
        return message
    if message.startswith("raised "):
        name = _EXCEPTION_NAME.fullmatch(message.removeprefix("raised ").split(":")[0])
        return f"raised {name.group(0)}" if name else "raised an exception"
    return _VALUE.sub("…", message)


def _properties_view(
    properties: list[Any], cases: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Broken laws, with the message dropped where it quotes a case whose
    details are withheld ("iou edge 3: IoU 1.2 is above 1")."""
    withheld = {case["name"]: case for case in cases if case["detail"] != "all"}
    shown = []
    for item in properties:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", ""))
        name = message.split(":", 1)[0] if ":" in message else None
        if name in withheld:
            case = withheld[name]
            message = "on a hidden case" if case.get("hidden") else f"on case {name}"
        shown.append({**item, "message": message})
    return shown


def _details_after(
    policy: FeedbackPolicy, cases: list[dict[str, Any]], details: list[Detail]
) -> str | None:
    """When withheld details will be shown, if some wait for the due date."""
    waiting = any(
        detail == "none"
        and case_level(
            policy, name=str(case.get("name", "")), hidden=bool(case.get("hidden"))
        )
        == "after_due"
        for case, detail in zip(cases, details, strict=True)
    )
    due = policy.due_at
    return due.isoformat() if waiting and due is not None else None


def _first_traceback(cases: list[dict[str, Any]]) -> str:
    for case in cases:
        if not case.get("passed") and case["detail"] == "all" and case.get("error"):
            return str(case["error"])
    return ""


def summary(view: Mapping[str, Any]) -> str:
    """The report's one-paragraph message, from what the student may see."""
    cases = view.get("cases") or []
    total = len(cases)
    passed = sum(1 for case in cases if case.get("passed"))
    if passed == total:
        return f"All {total} cases passed."
    text = f"{passed} of {total} cases passed."
    failed = [case for case in cases if not case.get("passed")]
    first = next((case for case in failed if case.get("message")), None)
    if first is not None:
        label = f" ({first['label']})" if first.get("label") else ""
        text += f" First failure, {first['name']}{label}: {first['message']}"
        text += "" if text.endswith(".") else "."
    hidden = sum(1 for case in failed if case.get("hidden"))
    if hidden:
        text += f" {hidden} hidden case{'s' if hidden > 1 else ''} failed."
    mistake = view.get("mistake")
    if isinstance(mistake, dict) and mistake.get("title"):
        text += f" This matches a known mistake: {mistake['title']}."
    return text
