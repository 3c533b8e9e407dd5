"""The exercise page's examples and "Run": `{% run_setup exercise as run_setup %}`
once, then the partials `tutor/includes/worked_examples.html` and
`tutor/includes/run_panel.html` read it (and `code_form.html` its `url`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

from engine.report import jsonable
from exercises.coding.run_inputs import Argument, arguments_for
from exercises.coding.run_values import MAX_ELEMENTS
from exercises.coding.worked_examples import worked_examples
from exercises.models import CodingExercise

register = template.Library()

# The examples shown open under the statement; the rest behind a disclosure.
SHOWN_FIRST = 3


@dataclass(frozen=True)
class RunSetup:
    """What the page shows of the examples and offers to run. `url` is ""
    when there is nothing to run on (no worked example)."""

    examples: list[dict[str, Any]] = field(default_factory=list)
    arguments: list[Argument] = field(default_factory=list)
    url: str = ""
    per_5_minutes: int = 0
    per_hour: int = 0
    max_elements: str = f"{MAX_ELEMENTS:,}"

    @property
    def first(self) -> list[dict[str, Any]]:
        return self.examples[:SHOWN_FIRST]

    @property
    def more(self) -> list[dict[str, Any]]:
        return self.examples[SHOWN_FIRST:]


@register.simple_tag
def run_setup(exercise: CodingExercise) -> RunSetup:
    examples = worked_examples(exercise)
    if not examples:
        return RunSetup()
    shown = [
        {
            "name": example.name,
            "label": example.label,
            "inputs": jsonable(example.inputs),
            "expected": jsonable(example.expected),
        }
        for example in examples
    ]
    return RunSetup(
        examples=shown,
        arguments=arguments_for(examples),
        url=reverse("exercise-run", args=[exercise.slug]),
        per_5_minutes=settings.CODE_RUNS_PER_5_MINUTES,
        per_hour=settings.CODE_RUNS_PER_HOUR,
    )
