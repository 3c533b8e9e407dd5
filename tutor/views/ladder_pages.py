"""What the ladder's pages show: rows grouped by subgoal, a faded level's
blanks, a Parsons variant's blocks (with the help taken and the student's
last program on it), an answer's verdict, and the rung strip."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from exercises.coding import ladder as rungs
from exercises.coding.report import policy
from exercises.models import CodingExercise, RungAttempt

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from engine.ladder import Ladder

# Exercises whose worked example the student opened (for the rung strip).
WORKED_SEEN = "ladder-worked-seen"
INDENT = "    "
RUNG_URLS = {
    rungs.WORKED: "ladder-worked",
    rungs.FADED: "ladder-faded",
    rungs.PARSONS: "ladder-parsons",
    rungs.IMPLEMENT: "exercise",
}


def _by_subgoal(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive rows with the same subgoal, as (subgoal, rows) groups."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["subgoal"] != row["subgoal"]:
            groups.append({"subgoal": row["subgoal"], "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def worked_context(ladder: Ladder) -> dict[str, Any]:
    rows = [
        {
            "number": number,
            "text": row.text,
            "indent": row.indent,
            "why": row.why,
            "subgoal": row.subgoal,
            "indent_text": INDENT * row.indent,
        }
        for number, row in enumerate(ladder.worked(), start=1)
    ]
    return {
        "header": "\n".join(ladder.header),
        "groups": _by_subgoal(rows),
        "source": ladder.source(),
    }


def faded_context(
    ladder: Ladder, *, user: User, exercise: CodingExercise, level: int
) -> dict[str, Any]:
    view = ladder.faded(level)
    seed = rungs.rung_seed(user=user, exercise=exercise, rung=rungs.FADED, level=level)
    last = rungs.last_attempt(user=user, exercise=exercise, rung=rungs.FADED, seed=seed)
    before = _last_blanks(last)
    slots: list[dict[str, Any]] = []
    rows = []
    for number, row in enumerate(view.rows, start=1):
        parts: list[dict[str, Any]] = []
        for part in row.parts:
            if isinstance(part, str):
                parts.append({"text": part})
                continue
            slot = {
                "id": part.id,
                "number": len(slots) + 1,
                "prompt": part.prompt,
                "width": max(4, min(int(part.width_hint), 60)),
                "value": before.get(part.id, ""),
            }
            slots.append(slot)
            parts.append({"slot": slot})
        rows.append(
            {
                "number": number,
                "indent": row.indent,
                "code": _faded_code(row, parts),
                "subgoal": row.subgoal,
                "why": row.why,
                "slots": [p["slot"] for p in parts if "slot" in p],
            }
        )
    return {
        "header": "\n".join(ladder.header),
        "groups": _by_subgoal(rows),
        "slots": slots,
        "level": level,
        "levels": [
            {"number": n, "current": n == level} for n in range(1, view.levels + 1)
        ],
        "level_count": view.levels,
        "last": last,
    }


def _faded_code(row: Any, parts: Sequence[dict[str, Any]]) -> SafeString:
    """One line of code with its blanks as text inputs, without any space
    the code does not have (the line is shown as preformatted text)."""
    html = format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<input id="blank-{0}" name="blank-{0}" class="blank" type="text"'
                    ' size="{1}" maxlength="{2}" value="{3}" autocomplete="off"'
                    ' autocapitalize="off" spellcheck="false">',
                    part["slot"]["id"],
                    part["slot"]["width"],
                    rungs.MAX_BLANK_CHARS,
                    part["slot"]["value"],
                )
                if "slot" in part
                else part["text"],
            )
            for part in parts
        ),
    )
    return format_html("{}{}", INDENT * row.indent, html)


def _last_blanks(last: RungAttempt | None) -> dict[str, str]:
    """A failed answer's blank texts, to edit rather than retype."""
    if last is None or last.passed or not isinstance(last.answer, dict):
        return {}
    blanks = last.answer.get("blanks")
    return (
        {str(k): str(v) for k, v in blanks.items()} if isinstance(blanks, dict) else {}
    )


def parsons_context(
    ladder: Ladder,
    *,
    user: User,
    exercise: CodingExercise,
    help_asked: int | None,
    indent_given: bool,
) -> dict[str, Any]:
    seed = rungs.rung_seed(user=user, exercise=exercise, rung=rungs.PARSONS)
    unlocked = rungs.help_unlocked(
        user=user, exercise=exercise, ladder=ladder, seed=seed
    )
    taken = rungs.help_taken(user=user, exercise=exercise, seed=seed)
    help_used = min(taken if help_asked is None else help_asked, unlocked)
    view = ladder.parsons(seed, without=help_used)
    given = rungs.block_indents(ladder, seed, without=help_used) if indent_given else {}
    last = rungs.last_attempt(
        user=user, exercise=exercise, rung=rungs.PARSONS, seed=seed
    )
    numbered = [
        {
            "id": block.id,
            "text": block.text,
            "group": block.group,
            "number": number,
            "indent": given.get(block.id),
        }
        for number, block in enumerate(view.blocks, start=1)
    ]
    program = _last_program(last, numbered, given)
    placed = {entry["block"]["id"] for entry in program}
    wrong = rungs.distinct_wrong(user=user, exercise=exercise, seed=seed)
    return {
        "variant": rungs.variant_token(seed),
        "header": "\n".join(view.header),
        "blocks": numbered,
        "source_items": _grouped([b for b in numbered if b["id"] not in placed]),
        "program": program,
        "rows": _form_rows(numbered, program),
        "indents": list(range(view.max_indent + 1)),
        "max_indent": view.max_indent,
        "indent_given": indent_given,
        "help_used": help_used,
        "help_can": help_used < unlocked,
        "help_left": len(ladder.distractors) - help_used,
        "help_wrong_needed": max(0, rungs.WRONG_PER_HELP * (help_used + 1) - wrong),
        "distractor_count": len(ladder.distractors),
    }


def _last_program(
    last: RungAttempt | None,
    blocks: Sequence[dict[str, Any]],
    given: dict[str, int],
) -> list[dict[str, Any]]:
    """The student's last failed program on this variant, as far as its
    blocks are still shown (help may have removed one)."""
    if last is None or last.passed or not isinstance(last.answer, dict):
        return []
    by_id = {block["id"]: block for block in blocks}
    program: list[dict[str, Any]] = []
    for entry in last.answer.get("blocks") or []:
        if not (isinstance(entry, list) and len(entry) == 2):
            continue
        block = by_id.get(str(entry[0]))
        if block is None or any(p["block"] is block for p in program):
            continue
        indent = given.get(block["id"], entry[1] if isinstance(entry[1], int) else 0)
        program.append({"block": block, "indent": indent})
    return program


def _grouped(blocks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks in their shuffled order, a distractor pair together where the
    first of the two stands."""
    items: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for block in blocks:
        if not block["group"]:
            items.append({"blocks": [block], "group": ""})
        elif block["group"] in groups:
            groups[block["group"]]["blocks"].append(block)
        else:
            groups[block["group"]] = {"blocks": [block], "group": block["group"]}
            items.append(groups[block["group"]])
    return items


def _form_rows(
    blocks: Sequence[dict[str, Any]], program: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The form without JavaScript: one row per block the puzzle has, each a
    block to choose (or none) and its indent."""
    rows = [
        {"number": n, "block": entry["block"]["id"], "indent": entry["indent"]}
        for n, entry in enumerate(program, start=1)
    ]
    for n in range(len(rows) + 1, len(blocks) + 1):
        rows.append({"number": n, "block": "", "indent": 0})
    return rows


def attempt_context(attempt: RungAttempt, *, user: User) -> dict[str, Any]:
    """An answer's verdict as its student sees it, with where to go next."""
    report = policy.report_for_student(attempt.report, attempt.exercise, timezone.now())
    case = None
    if report and not attempt.passed:
        case = next(
            (
                c
                for c in report["cases"]
                if not c.get("passed") and not c.get("hidden") and c["detail"] == "all"
            ),
            None,
        )
    mistake = (report or {}).get("mistake") or rungs.mistake_text(
        attempt.exercise, attempt.mistake_id
    )
    answer = attempt.answer if isinstance(attempt.answer, dict) else {}
    return {
        "attempt": attempt,
        "report": report,
        "case": case,
        "mistake": mistake,
        "order": _order_feedback(attempt, answer),
        "level": answer.get("level"),
        "next_steps": _next_steps(attempt, answer),
    }


def _order_feedback(attempt: RungAttempt, answer: dict[str, Any]) -> str:
    if attempt.rung != rungs.PARSONS or "order_ok" not in answer:
        return ""
    if answer["order_ok"]:
        return "Every block is in place and at its indent."
    first = answer.get("first_wrong")
    if isinstance(first, int):
        return f"Line {first + 1} of your program is the first block out of place."
    return "The blocks you placed are in order, but some lines are missing."


def _next_steps(attempt: RungAttempt, answer: dict[str, Any]) -> list[dict[str, str]]:
    """Links after a verdict: on a pass the next rung up, on a failure the
    same rung again and the one below (never forced: all rungs stay open)."""
    slug = attempt.exercise.slug
    steps: list[dict[str, str]] = []
    if attempt.for_review and not attempt.is_active:
        steps.append({"url": reverse("review"), "text": "Back to your reviews"})
    worked = {"url": reverse("ladder-worked", args=[slug]), "text": "Worked example"}
    parsons = {"url": reverse("ladder-parsons", args=[slug]), "text": "Parsons problem"}
    implement = {"url": reverse("exercise", args=[slug]), "text": "Implement it"}
    if attempt.rung == rungs.FADED:
        level = answer.get("level")
        level = level if isinstance(level, int) else 1
        faded_url = reverse("ladder-faded", args=[slug])
        if not attempt.passed:
            again = f"{faded_url}?level={level}" + (
                "&review=1" if attempt.for_review else ""
            )
            return [*steps, {"url": again, "text": "Try this level again"}, worked]
        if _has_level(attempt, level + 1):
            later = {
                "url": f"{faded_url}?level={level + 1}",
                "text": f"Level {level + 1}",
            }
            return [*steps, later, parsons, implement]
        return [*steps, parsons, implement]
    if attempt.passed:
        return [*steps, implement, {**parsons, "text": "Another Parsons puzzle"}]
    again = parsons["url"] + ("?review=1" if attempt.for_review else "")
    faded = {"url": reverse("ladder-faded", args=[slug]), "text": "Faded example"}
    return [*steps, {"url": again, "text": "Back to the puzzle"}, faded, worked]


def _has_level(attempt: RungAttempt, level: int) -> bool:
    ladder = rungs.ladder_for(attempt.exercise)
    return ladder is not None and level <= ladder.faded(1).levels


def strip_context(
    request: HttpRequest, exercise: CodingExercise, current: str
) -> dict[str, Any]:
    """The rung strip: each rung's link and state in words; empty without a
    ladder."""
    if not rungs.has_ladder(exercise) or not request.user.is_authenticated:
        return {"rungs": []}
    states = rungs.rung_states(user=request.user, exercise=exercise)
    seen = exercise.pk in request.session.get(WORKED_SEEN, [])
    states[rungs.WORKED] = "read" if seen else "not read"
    return {
        "exercise": exercise,
        "rungs": [
            {
                "rung": rung,
                "title": title,
                "state": states[rung],
                "current": rung == current,
                "url": reverse(RUNG_URLS[rung], args=[exercise.slug]),
            }
            for rung, title in rungs.RUNGS
        ],
    }
