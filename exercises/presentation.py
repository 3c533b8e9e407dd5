"""A question as one student sees it: its variant, the prompt with the
variant's numbers, options and items in this variant's order."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.template import Context, Engine

from exercises.figures import boxes_svg, nms_steps_svg
from exercises.models import Question, QuizAttempt
from exercises.rendering import render_markdown
from exercises.services.attempts import variant_seed
from exercises.variants import Variant, variant_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Prompts are Django templates over the variant's values ({{ box_a|tex_tuple }});
# autoescape is off because the result is Markdown with LaTeX, sanitised later.
_ENGINE = Engine(builtins=["exercises.templatetags.content"], autoescape=False)


@dataclass
class Presented:
    question: Question
    seed: int
    variant: Variant
    prompt: str  # sanitised HTML
    explanation: str  # sanitised HTML, for after answering
    options: list[tuple[int, str]] = field(default_factory=list)  # (id, HTML)
    items: list[tuple[int, str]] = field(default_factory=list)  # (id, HTML)
    parts: list[dict[str, Any]] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)

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
    return _ENGINE.from_string(text).render(Context(values, autoescape=False))


def present(question: Question, seed: int) -> Presented:
    variant = variant_for(question.spec, seed)
    values = variant.values
    shown = Presented(
        question=question,
        seed=seed,
        variant=variant,
        prompt=render_markdown(fill(question.prompt, values)),
        explanation=render_markdown(fill(question.explanation, values)),
        hints=[
            render_markdown(fill(hint, values), inline=True) for hint in question.hints
        ],
    )
    order = random.Random(seed)  # noqa: S311 - the display order of options, not a secret
    options = question.spec.get("options", [])
    ids = list(range(len(options)))
    if question.spec.get("shuffle", True):
        order.shuffle(ids)
    shown.options = [
        (i, render_markdown(fill(options[i]["text"], values), inline=True)) for i in ids
    ]
    items = question.spec.get("items", [])
    item_ids = list(range(len(items)))
    order.shuffle(item_ids)
    if len(items) > 1 and item_ids == sorted(item_ids):
        item_ids.reverse()  # never show an ordering question already solved
    shown.items = [
        (i, render_markdown(fill(items[i], values), inline=True)) for i in item_ids
    ]
    shown.parts = [
        {
            **part,
            "label_html": render_markdown(
                fill(part.get("label", part["name"]), values), inline=True
            ),
            "grid": _grid(variant.answer[part["name"]])
            if part["kind"] == "matrix"
            else None,
        }
        for part in question.spec.get("parts", [])
    ]
    return shown


def current_seed(user: User, question: Question) -> int:
    """The seed of the variant a student works on now: one per attempt."""
    number = QuizAttempt.objects.filter(user=user, question=question).count()
    return variant_seed(user_id=user.pk, question_id=question.pk, attempt_number=number)


def seed_is_issued(user: User, question: Question, seed: int) -> bool:
    """Whether `seed` is one this student has been shown (the current attempt's
    or an earlier one): a form cannot pick its own variant."""
    count = QuizAttempt.objects.filter(user=user, question=question).count()
    return any(
        variant_seed(user_id=user.pk, question_id=question.pk, attempt_number=n) == seed
        for n in range(count + 1)
    )


def answer_html(question: Question, variant: Variant) -> str:
    """The correct answer of this variant, typeset (shown after answering)."""
    from exercises.checkers.expressions import parse
    from exercises.checkers.matrix import matrix_latex
    from exercises.rendering import latex_to_mathml

    spec, kind = question.spec, question.kind

    def one(part: dict[str, Any], value: Any) -> str:
        if part["kind"] == "numeric":
            return f"{float(value):.6g}"
        if part["kind"] == "matrix":
            return latex_to_mathml(matrix_latex(value))
        if part["kind"] == "symbolic":
            return latex_to_mathml(parse(str(value), part.get("variables", [])).latex)
        if part["kind"] == "ordering" and part.get("mode", "order") != "order":
            return ", ".join(value) if value else "none"
        return ""

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
            f"{one(part, variant.answer[part['name']])}</li>"
            for part in spec["parts"]
        )
        return f"<ul>{rows}</ul>"
    return one({**spec, "kind": kind}, variant.answer)
