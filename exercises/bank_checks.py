"""Checking the bank the way an examiner would before students see it.

For every question: render it for many seeds (no template left unfilled, no
formula that fails to typeset), check that each variant's own correct answer
passes the question's checker and that typical wrong answers fail, and that
generators keep their stated guarantees. For multi-step questions with error
carried forward, a slip in the first part must be marked once: later parts
computed from the slip must be accepted as "carried". For coding exercises:
the engine spec exists, the starter code parses, and it does not pass.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from exercises.authoring_checks import html_problems, question_text_problems
from exercises.checkers import check
from exercises.models import CodingExercise, Question, Topic
from exercises.presentation import fill, present
from exercises.rendering import latex_to_mathml, render_markdown
from exercises.variants import Variant, get_generator

SEEDS = range(20)


@dataclass
class Summary:
    questions: int = 0
    parameterised: int = 0
    exercises: int = 0
    by_topic: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def validate_question(
    question: Question, seeds: range = SEEDS, *, texts: bool = True
) -> list[str]:
    """What is wrong with a question, for each seed; `texts=False` leaves out
    whether its texts render (the authoring form checks them field by field)."""
    problems: list[str] = []
    spec = question.spec
    generator = get_generator(spec["generator"]) if spec.get("generator") else None
    for seed in seeds if generator else range(1):
        where = f"{question.slug} (seed {seed})"
        try:
            shown = present(question, seed)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the run
            problems.append(f"{where}: could not be rendered: {exc}")
            continue
        if texts:
            problems += [f"{where}: {p}" for p in _text_problems(question, shown)]
        if spec.get("figure") and not shown.figure:
            problems.append(
                f"{where}: the {spec['figure']!r} figure has nothing to draw"
            )
        variant = shown.variant
        if generator and generator.holds and (broken := generator.holds(variant)):
            problems.append(f"{where}: generator guarantee broken: {broken}")
        problems += [f"{where}: {p}" for p in _answer_problems(question, variant)]
    return problems


def _text_problems(question: Question, shown: Any) -> list[str]:
    """The source texts first (in the author's words: which formula, which
    placeholder); the rendered HTML when they have nothing to say."""
    entry = {
        "prompt": question.prompt,
        "explanation": question.explanation,
        "hints": question.hints,
        **question.spec,
    }
    source = question_text_problems(entry, shown.variant.values, rendered=False)
    if source:
        return [message[0].lower() + message[1:-1] for _, message in source]
    return _rendering_problems(shown)


def _rendering_problems(shown: Any) -> list[str]:
    texts = [shown.prompt, shown.explanation, *shown.hints]
    texts += [html for _, html in shown.options] + [html for _, html in shown.items]
    texts += [part["label_html"] for part in shown.parts]
    problems = []
    for html in texts:
        if "{{" in html or "{%" in html:
            problems.append("a template placeholder was left unfilled")
        problems += html_problems(html)
    return problems


def validate_topic(topic: Topic) -> list[str]:
    """The summary and the cheat-sheet entries typeset."""
    summary = render_markdown(topic.summary)
    problems = [f"{topic.code} summary: {p}" for p in html_problems(summary)]
    for number, entry in enumerate(topic.cheat_sheet, start=1):
        where = f"{topic.code} cheat-sheet entry {number}"
        formula = latex_to_mathml(str(entry["formula"]), True)
        problems += [f"{where}: {p}" for p in html_problems(formula)]
        for key in ("meaning", "example"):
            if entry.get(key):
                html = render_markdown(str(entry[key]), inline=True)
                problems += [f"{where} {key}: {p}" for p in html_problems(html)]
    return problems


def _answer_problems(question: Question, variant: Variant) -> list[str]:
    kind, spec = question.kind, question.spec
    problems = []
    right = check(kind, spec, correct_input(kind, spec, variant), variant)
    if not (right.readable and right.correct):
        problems.append(f"its own correct answer fails: {right.message}")
    wrongs = wrong_inputs(kind, spec, variant)
    if not wrongs:
        problems.append("no typical wrong answer to test")
    for wrong in wrongs:
        result = check(kind, spec, wrong, variant)
        if result.correct:
            problems.append(
                f"a wrong answer passes as correct: {answer_words(kind, spec, wrong)}"
            )
    if kind == "multistep" and variant.follow is not None:
        problems += _carried_forward_problems(spec, variant)
    return problems


def _carried_forward_problems(spec: dict[str, Any], variant: Variant) -> list[str]:
    """A slip in the first part, later parts computed from it: only the slip is wrong."""
    from exercises.checkers import read_part

    parts = spec["parts"]
    first = parts[0]
    slipped = {
        first["name"]: _as_input(
            first, _perturbed(first, variant.answer[first["name"]])
        )
    }
    earlier = {first["name"]: read_part(first, slipped[first["name"]])}
    for part in parts[1:]:
        carried = (
            variant.follow(part["name"], dict(earlier)) if variant.follow else None
        )
        value = variant.answer[part["name"]] if carried is None else carried
        slipped[part["name"]] = _as_input(part, value)
        earlier[part["name"]] = read_part(part, slipped[part["name"]])
    result = check("multistep", spec, {"parts": slipped}, variant)
    statuses = {
        name: p["status"] for name, p in result.details.get("parts", {}).items()
    }
    problems = []
    if statuses.get(first["name"]) != "wrong":
        problems.append("a slip in the first part is not marked wrong")
    for name, status in list(statuses.items())[1:]:
        if status == "wrong":
            problems.append(f"part {name} is marked wrong again after an earlier slip")
    return problems


def correct_input(kind: str, spec: dict[str, Any], variant: Variant) -> dict[str, Any]:
    if kind == "single":
        return {
            "choice": str(
                next(i for i, o in enumerate(spec["options"]) if o.get("correct"))
            )
        }
    if kind == "multiple":
        return {
            "choices": [
                str(i) for i, o in enumerate(spec["options"]) if o.get("correct")
            ]
        }
    if kind == "ordering" and spec.get("mode", "order") == "order":
        return {"order": [str(i) for i in range(len(spec["items"]))]}
    if kind == "multistep":
        return {
            "parts": {
                p["name"]: _as_input(p, variant.answer[p["name"]])
                for p in spec["parts"]
            }
        }
    return _as_input({**spec, "kind": kind}, variant.answer)


def wrong_inputs(
    kind: str, spec: dict[str, Any], variant: Variant
) -> list[dict[str, Any]]:
    """Typical wrong answers: the spec's own (`wrong:`, filled with the
    variant's values) first, else a derived one."""
    authored = [fill(str(text), variant.values) for text in spec.get("wrong", [])]
    if kind == "single" or kind == "multiple":
        wrong = [str(i) for i, o in enumerate(spec["options"]) if not o.get("correct")]
        key = "choice" if kind == "single" else "choices"
        return [{key: wrong[0] if kind == "single" else [wrong[0]]}] if wrong else []
    if kind == "ordering" and spec.get("mode", "order") == "order":
        count = len(spec["items"])
        return [{"order": [str(i) for i in reversed(range(count))]}]
    if kind == "multistep":
        first = spec["parts"][0]
        inputs = correct_input(kind, spec, variant)
        inputs["parts"][first["name"]] = _as_input(
            first, _perturbed(first, variant.answer[first["name"]])
        )
        return [inputs]
    part = {**spec, "kind": kind}
    if authored:
        key = "expression" if kind == "symbolic" else "value"
        return [{key: text} for text in authored]
    if kind == "symbolic":
        return []
    return [_as_input(part, _perturbed(part, variant.answer))]


def answer_words(kind: str, spec: dict[str, Any], answer: dict[str, Any]) -> str:
    """An answer as the checker gets it, in words: `0.75`, option 2, the
    order C, A, B; a multi-step answer step by step."""
    if kind == "multistep":
        parts = {part.get("name"): part for part in spec.get("parts", [])}
        steps = answer.get("parts", {})
        return "; ".join(
            f"{name}: {answer_words(parts.get(name, {}).get('kind', ''), {}, value)}"
            for name, value in steps.items()
        )
    if "choice" in answer:
        return f"option {int(answer['choice']) + 1}"
    if "choices" in answer:
        numbers = [str(int(choice) + 1) for choice in answer["choices"]]
        return ("options " if len(numbers) > 1 else "option ") + ", ".join(numbers)
    if "order" in answer:
        items = spec.get("items", [])
        named = [
            str(items[int(i)]) if int(i) < len(items) else str(i)
            for i in answer["order"]
        ]
        return "the order " + ", ".join(f"“{item}”" for item in named)
    text = answer.get("expression", answer.get("value", ""))
    return f"`{' / '.join(str(text).splitlines())}`"


def _perturbed(part: dict[str, Any], value: Any) -> Any:
    if part["kind"] == "numeric":
        return float(value) + max(0.1, 0.5 * abs(float(value)))
    if part["kind"] == "matrix":
        array = np.array(value, dtype=float)
        array.flat[0] += max(0.1, 0.5 * abs(array.flat[0]))
        return array
    if part["kind"] == "ordering":
        labels = list(value)
        return (
            labels[::-1]
            if len(labels) > 1 and part.get("mode") == "sequence"
            else [*labels, "ZZ"]
        )
    raise ValueError(f"cannot perturb a {part['kind']} answer")


def _as_input(part: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = part["kind"]
    if kind == "numeric":
        return {"value": repr(float(value))}
    if kind == "matrix":
        array = np.asarray(value, dtype=float)
        if array.ndim <= 1:
            return {"value": " ".join(repr(float(v)) for v in np.atleast_1d(array))}
        return {
            "value": "\n".join(" ".join(repr(float(v)) for v in row) for row in array)
        }
    if kind == "symbolic":
        return {"expression": str(value).replace("**", "^")}
    if kind == "ordering":
        return {"value": ", ".join(value) if value else "none"}
    raise ValueError(f"no input for a {kind} answer")


def check_coding_exercise(exercise: CodingExercise) -> list[str]:
    import engine

    if not exercise.engine_spec:
        # An instructor's own exercise: its code runs only in the sandbox.
        from exercises.coding.own_exercises.steps import validation_run

        outcome = validation_run(exercise)
        return [f"{exercise.slug}: {problem}" for problem in outcome.problems]
    problems = []
    try:
        spec = engine.get_spec(exercise.engine_spec)
    except KeyError:
        return [f"{exercise.slug}: no engine spec {exercise.engine_spec!r}"]
    try:
        ast.parse(exercise.starter_code)
    except SyntaxError as exc:
        return [f"{exercise.slug}: the starter code does not parse: {exc}"]
    if f"def {spec.entry_point}(" not in exercise.starter_code:
        problems.append(
            f"{exercise.slug}: the starter code does not define {spec.entry_point}"
        )
    report = engine.grade(spec.id, exercise.starter_code)
    if report.verdict == "passed":
        problems.append(f"{exercise.slug}: the starter code already passes")
    if not exercise.hints:
        problems.append(f"{exercise.slug}: no hints")
    for text in [exercise.prompt, *exercise.hints]:
        problems += [
            f"{exercise.slug}: {p}" for p in html_problems(render_markdown(text))
        ]
    return problems


def validate_course(
    questions: list[Question],
    exercises: list[CodingExercise],
    topics: list[Topic] | None = None,
) -> Summary:
    summary = Summary()
    for topic in topics or []:
        summary.problems += validate_topic(topic)
    for question in questions:
        summary.questions += 1
        summary.by_topic[question.topic.code] += 1
        summary.by_kind[question.kind] += 1
        summary.parameterised += bool(question.spec.get("generator"))
        summary.problems += validate_question(question)
    for exercise in exercises:
        summary.exercises += 1
        summary.problems += check_coding_exercise(exercise)
    return summary
