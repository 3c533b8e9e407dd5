"""A question as one student sees it: its variant, the prompt with the
variant's numbers, options and items in this variant's order."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.template import Context, Engine, Template
from django.utils.html import format_html
from django.utils.text import Truncator

from exercises.checkers import CheckResult
from exercises.checkers.ordering import accepted_orders
from exercises.diagrams import boxes_svg, nms_steps_svg
from exercises.models import Question, QuizAttempt
from exercises.rendering import render_markdown
from exercises.services.attempts import variant_state
from exercises.variants import Variant, variant_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Prompts are Django templates over the variant's values ({{ box_a|tex_tuple }});
# autoescape is off because the result is Markdown with LaTeX, sanitised later.
_ENGINE = Engine(builtins=["exercises.templatetags.content"], autoescape=False)


@dataclass
class Presented:
    """One variant of a question, its texts rendered on first use: a page
    renders what its template shows (the explanation only after answering,
    only the hints a student opened), not every text of the question."""

    question: Question
    seed: int
    variant: Variant

    def _html(self, text: str, *, inline: bool = False) -> str:
        return render_markdown(fill(text, self.variant.values), inline=inline)

    @functools.cached_property
    def prompt(self) -> str:
        """Sanitised HTML."""
        return self._html(self.question.prompt)

    @functools.cached_property
    def explanation(self) -> str:
        """Sanitised HTML, for after answering."""
        return self._html(self.question.explanation)

    def hint(self, index: int) -> str:
        """Hint `index` (from 0), sanitised HTML."""
        return self._html(self.question.hints[index], inline=True)

    @functools.cached_property
    def hints(self) -> list[str]:
        """Every hint, sanitised HTML."""
        return [self.hint(i) for i in range(len(self.question.hints))]

    @functools.cached_property
    def _order(self) -> tuple[list[int], list[int]]:
        """The options' and the items' display order, from the seed."""
        spec = self.question.spec
        order = random.Random(self.seed)  # noqa: S311 - the display order, not a secret
        ids = list(range(len(spec.get("options", []))))
        if spec.get("shuffle", True):
            order.shuffle(ids)
        items = spec.get("items", [])
        item_ids = list(range(len(items)))
        order.shuffle(item_ids)
        if len(items) > 1 and item_ids == sorted(item_ids):
            item_ids.reverse()  # never show an ordering question already solved
        solved = _accepted(spec) if len(items) > 2 else []
        for _ in range(20):  # nor in another accepted order (`also_correct`)
            if item_ids not in solved:
                break
            order.shuffle(item_ids)
        return ids, item_ids

    @functools.cached_property
    def options(self) -> list[tuple[int, str]]:
        """(id, HTML) of each option, in this variant's order."""
        options = self.question.spec.get("options", [])
        return [
            (i, self._html(options[i]["text"], inline=True)) for i in self._order[0]
        ]

    @functools.cached_property
    def items(self) -> list[tuple[int, str]]:
        """(id, HTML) of each item to order, in this variant's order."""
        items = self.question.spec.get("items", [])
        return [(i, self._html(items[i], inline=True)) for i in self._order[1]]

    @functools.cached_property
    def parts(self) -> list[dict[str, Any]]:
        """Each part of a multistep question, its label as HTML."""
        return [
            {
                **part,
                "label_html": self._html(part.get("label", part["name"]), inline=True),
                "grid": _grid(self.variant.answer[part["name"]])
                if part["kind"] == "matrix"
                else None,
            }
            for part in self.question.spec.get("parts", [])
        ]

    @property
    def figure(self) -> str:
        """An SVG drawn from the variant (boxes of an IoU or NMS question), or ''."""
        kind = self.question.spec.get("figure")
        values = {**self.question.spec.get("figure_values", {}), **self.variant.values}
        if kind == "boxes":
            if "figure_boxes" in values:
                return boxes_svg(values["figure_boxes"], title="The boxes")
            if "box_a" in values and "box_b" in values:
                pair = [
                    {"label": "A", "box": values["box_a"]},
                    {"label": "B", "box": values["box_b"]},
                ]
                return boxes_svg(pair, title="Boxes A and B")
        if kind == "nms" and "boxes" in values:
            return boxes_svg(values["boxes"], title="The detector's boxes")
        return ""

    def feedback_figures(self) -> list[tuple[str, str]]:
        """Figures for after answering: an NMS trace redrawn step by step."""
        if self.question.spec.get("figure") == "nms" and "trace" in self.variant.values:
            return nms_steps_svg(self.variant.values)
        return []

    @property
    def checkable(self) -> bool:
        """Whether the answer is typed, so its form can be checked first."""
        kind = self.question.kind
        if kind == "ordering":
            return self.question.spec.get("mode", "order") != "order"
        return kind in ("numeric", "symbolic", "matrix", "multistep")

    @property
    def shape(self) -> tuple[int, int] | None:
        """Rows and columns of a matrix answer, for the input grid."""
        if self.question.kind != "matrix":
            return None
        return _grid(self.variant.answer)


def _grid(value: Any) -> tuple[int, int] | None:
    import numpy as np

    array = np.asarray(value)
    if array.ndim == 1:
        return (1, array.shape[0])
    if array.ndim == 2:
        return (int(array.shape[0]), int(array.shape[1]))
    return None


def fill(text: str, values: dict[str, Any]) -> str:
    """The template text with the variant's values filled in (Markdown out)."""
    if "{{" not in text and "{%" not in text:
        return text
    return _template(text).render(Context(values, autoescape=False))


@functools.lru_cache(maxsize=4096)
def _template(text: str) -> Template:
    """A question text compiled once a process (a page fills several)."""
    return _ENGINE.from_string(text)


def present(question: Question, seed: int) -> Presented:
    return Presented(
        question=question, seed=seed, variant=variant_for(question.spec, seed)
    )


def current_seed(user: User, question: Question) -> int:
    """The seed of the variant a student works on now: it stays, reload after
    reload, until they answer it and ask for another (see
    exercises.services.attempts)."""
    return variant_state(user=user, question=question).seed


def attempt_result(attempt: QuizAttempt) -> CheckResult:
    """The verdict of a stored attempt, as it was shown when it was checked."""
    feedback = attempt.feedback or {}
    return CheckResult(
        readable=True,
        correct=attempt.is_correct,
        score=attempt.score,
        message=str(feedback.get("message", "")),
        interpretation=str(feedback.get("interpretation", "")),
        details=dict(feedback.get("details") or {}),
    )


def _part_answer_html(part: dict[str, Any], value: Any) -> str:
    from exercises.checkers.expressions import parse
    from exercises.checkers.matrix import matrix_latex
    from exercises.rendering import latex_to_mathml

    if part["kind"] == "numeric":
        return f"{float(value):.6g}"
    if part["kind"] == "matrix":
        return latex_to_mathml(matrix_latex(value))
    if part["kind"] == "symbolic":
        return latex_to_mathml(parse(str(value), part.get("variables", [])).latex)
    if part["kind"] == "ordering" and part.get("mode", "order") != "order":
        return ", ".join(value) if value else "none"
    return ""


def answer_html(question: Question, variant: Variant) -> str:
    """The correct answer of this variant, typeset (shown after answering)."""
    spec, kind = question.spec, question.kind
    if kind in ("single", "multiple"):
        return ""
    if kind == "ordering" and spec.get("mode", "order") == "order":
        items = "".join(
            f"<li>{render_markdown(fill(item, variant.values), inline=True)}</li>"
            for item in spec["items"]
        )
        return f"<ol>{items}</ol>"
    if kind == "multistep":
        rows = "".join(
            f"<li>{render_markdown(fill(part.get('label', part['name']), variant.values), inline=True)}: "
            f"{_part_answer_html(part, variant.answer[part['name']])}</li>"
            for part in spec["parts"]
        )
        return f"<ul>{rows}</ul>"
    return _part_answer_html({**spec, "kind": kind}, variant.answer)


@dataclass(frozen=True)
class OptionReview:
    html: str  # the option as shown, sanitised
    correct: bool
    chosen: bool
    explanation: str  # sanitised HTML


@dataclass(frozen=True)
class PartReview:
    label: str  # sanitised HTML
    status: str  # correct, carried or wrong
    message: str  # Markdown from the checker
    yours: str  # escaped HTML
    correct: str  # sanitised HTML


@dataclass(frozen=True)
class AnswerReview:
    """What the student answered, beside the correct answer (after answering)."""

    yours: str = ""  # escaped HTML: the typed value or expression, or the order
    correct: str = ""  # sanitised HTML
    options: list[OptionReview] = field(default_factory=list)
    parts: list[PartReview] = field(default_factory=list)


def answer_review(
    shown: Presented, answer: dict[str, Any], result: CheckResult
) -> AnswerReview:
    """The student's answer (chosen options, typed value or expression, order,
    each part) next to the correct one of this variant."""
    kind = shown.question.kind
    if kind in ("single", "multiple"):
        return AnswerReview(options=_option_reviews(shown, answer))
    if kind == "multistep":
        return AnswerReview(parts=_part_reviews(shown, answer, result))
    return AnswerReview(
        yours=_given_html(shown, answer),
        correct=answer_html(shown.question, shown.variant),
    )


def _option_reviews(shown: Presented, answer: dict[str, Any]) -> list[OptionReview]:
    raw = answer.get("choices", answer.get("choice"))
    chosen = {str(value) for value in (raw if isinstance(raw, list) else [raw])}
    options = shown.question.spec.get("options", [])
    return [
        OptionReview(
            html=html,
            correct=bool(options[i].get("correct")),
            chosen=str(i) in chosen,
            explanation=render_markdown(
                fill(options[i]["explanation"], shown.variant.values), inline=True
            )
            if options[i].get("explanation")
            else "",
        )
        for i, html in shown.options
    ]


def _part_reviews(
    shown: Presented, answer: dict[str, Any], result: CheckResult
) -> list[PartReview]:
    checked = result.details.get("parts") or {}
    given = answer.get("parts")
    given = given if isinstance(given, dict) else {}
    reviews = []
    for part in shown.parts:
        name = part["name"]
        verdict = checked.get(name) or {}
        typed = given.get(name) or {}
        key = "expression" if part["kind"] == "symbolic" else "value"
        reviews.append(
            PartReview(
                label=part["label_html"],
                status=str(verdict.get("status", "wrong")),
                message=str(verdict.get("message", "")),
                yours=_typed_html(
                    typed.get(key, "") if isinstance(typed, dict) else ""
                ),
                correct=_part_answer_html(part, shown.variant.answer[name]),
            )
        )
    return reviews


def _given_html(shown: Presented, answer: dict[str, Any]) -> str:
    question = shown.question
    if question.kind == "ordering" and question.spec.get("mode", "order") == "order":
        order = answer.get("order")
        items = dict(shown.items)  # sanitised HTML by item id
        ids = (
            [int(i) for i in order if str(i).isdecimal()]
            if isinstance(order, list)
            else []
        )
        return (
            "<ol>"
            + "".join(f"<li>{items[i]}</li>" for i in ids if i in items)
            + "</ol>"
        )
    key = "expression" if question.kind == "symbolic" else "value"
    return _typed_html(answer.get(key, ""))


def _typed_html(text: object) -> str:
    """What the student typed, escaped, on one line (a matrix's rows joined by
    semicolons, which reads back as the same matrix)."""
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    shown = Truncator("; ".join(lines)).chars(300)
    return format_html("<code>{}</code>", shown) if shown else "(nothing)"


def _accepted(spec: dict[str, Any]) -> list[list[int]]:
    """The orders an `order` question accepts; none for other modes or a
    malformed `also_correct` (the bank's self-test reports that)."""
    if spec.get("mode", "order") != "order":
        return []
    try:
        return accepted_orders(spec)
    except (ValueError, KeyError, TypeError):
        return []
