"""An instructor's preview of a question: the page a student sees for a
seed, then what they see after answering (the correct answer, each option's
explanation, the explanation), plus the variant's values, the generator's
guarantees and the checks `validate_course` runs. Unpublished questions too.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from exercises.bank_checks import validate_question
from exercises.models import Question
from exercises.presentation import Presented, answer_html, fill, present
from exercises.rendering import render_markdown
from exercises.variants import get_generator

MAX_SEED = 2**48  # students' seeds are 48-bit (exercises.services.attempts)
VALUE_CHARS = 300


def seed_from(request: HttpRequest) -> int:
    try:
        seed = int(request.GET.get("seed", "0"))
    except ValueError:
        return 0
    return min(abs(seed), MAX_SEED)


def question_preview(request: HttpRequest, question: Question) -> HttpResponse:
    seed = seed_from(request)
    context: dict[str, Any] = {
        "question": question,
        "seed": seed,
        "next_seed": seed + 1,
        "random_seed": secrets.randbelow(MAX_SEED),
        "change_url": reverse("admin:exercises_question_change", args=[question.pk]),
        "parameterised": bool(question.spec.get("generator")),
    }
    try:
        shown = present(question, seed)
    except Exception as exc:  # noqa: BLE001 - a broken question is shown, not a 500
        context["broken"] = repr(exc)
        return render(request, "admin/exercises/question/preview.html", context)
    context.update(
        shown=shown,
        hints_shown=shown.hints,
        correct_answer=answer_html(question, shown.variant),
        options_review=options_review(shown),
        values=variant_values(shown),
        generator=_generator(question),
        problems=validate_question(question),
    )
    return render(request, "admin/exercises/question/preview.html", context)


def options_review(shown: Presented) -> list[dict[str, Any]]:
    """The options in this variant's order, each with its verdict and explanation."""
    options = shown.question.spec.get("options", [])
    values = shown.variant.values
    return [
        {
            "html": html,
            "correct": bool(options[index].get("correct")),
            "explanation": render_markdown(
                fill(str(options[index].get("explanation", "")), values), inline=True
            ),
        }
        for index, html in shown.options
    ]


def variant_values(shown: Presented) -> list[tuple[str, str]]:
    return [
        (name, _short(json.dumps(value, default=_plain, ensure_ascii=False)))
        for name, value in sorted(shown.variant.values.items())
    ]


def _plain(value: Any) -> Any:
    """NumPy values as JSON sees them."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def _generator(question: Question) -> Any:
    name = question.spec.get("generator")
    if not name:
        return None
    try:
        return get_generator(name)
    except KeyError:
        return None
