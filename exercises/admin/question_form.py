"""The question authoring form: every kind's fields with proper widgets.

The form reads the stored spec into its fields (`spec.initial_from_spec`)
and writes them back (`spec.spec_from_fields`), keeping keys it does not
know. Saving checks the question the way the bank loader and
`validate_course` do: its fields (`bank.question_problem`), then 20 seeds
rendered, its own answer accepted and typical wrong answers refused. A
question with a problem is not saved; the problems show on the form.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from exercises.admin.forms import (
    CommaListField,
    FormsetField,
    FormsetFieldsMixin,
    LinesField,
    PlainText,
    RowForm,
    monospace,
)
from exercises.admin.spec import FIELD_KEYS, initial_from_spec, spec_from_fields
from exercises.bank import question_problem
from exercises.bank_checks import validate_question
from exercises.models import Question
from exercises.variants import all_generators

MAX_PROBLEMS_SHOWN = 8
PART_KINDS = [("numeric", "Numeric"), ("symbolic", "Symbolic"), ("matrix", "Matrix")]
PART_KINDS += [("ordering", "Labels (ordering)")]
ORDERING_MODES = [
    ("order", "order: put the items in order"),
    ("sequence", "sequence: type labels in the right order"),
    ("set", "set: type the right labels, in any order"),
]
ANSWER_HELP = (
    "Numeric: a number (1/8 or log(2) are read too). Symbolic: an expression in "
    "the variables, e.g. 18*C^2 + 2*C. Matrix: one row per line, entries "
    "separated by spaces. Ordering (sequence or set): the labels separated by "
    "commas. Leave it empty when a generator computes the answer."
)


class OptionalJSONField(forms.JSONField):
    """JSON that may be left out: an empty box, not `null`."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)


class OptionForm(RowForm):
    text = PlainText(widget=forms.Textarea(attrs={"rows": 3}))
    correct = forms.BooleanField(required=False)
    explanation = PlainText(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown after answering, next to this option.",
    )


class PartForm(RowForm):
    name = forms.SlugField(max_length=40, help_text="The key the generator uses.")
    label = forms.CharField(required=False, help_text="The question of this step.")
    kind = forms.ChoiceField(choices=PART_KINDS, initial="numeric")
    mode = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("sequence", "sequence"), ("set", "set")],
        help_text="Labels only.",
    )
    tolerance_abs = forms.FloatField(required=False, min_value=0, label="Abs. tol.")
    tolerance_rel = forms.FloatField(required=False, min_value=0, label="Rel. tol.")
    answer = forms.CharField(
        required=False,
        widget=monospace(2, large=False),
        help_text="Empty when the generator computes it.",
    )
    variables = CommaListField(help_text="Symbolic only: names, by commas.")


def generator_choices() -> list[tuple[str, str]]:
    return [("", "— none: one fixed variant —")] + [
        (item.name, item.name) for item in all_generators()
    ]


def generators_help() -> str:
    """Every generator and what it guarantees, for the fieldset's description."""
    rows = format_html_join(
        "",
        "<dt><code>{}</code></dt><dd>{}</dd>",
        (
            (item.name, "; ".join(item.guarantees) or "no stated guarantee")
            for item in all_generators()
        ),
    )
    return format_html(
        "A generator draws each student's numbers from a seed and computes the "
        "answer with the engine; the prompt uses its values as "
        "<code>{{{{ name }}}}</code>. <details class='generators'><summary>"
        "What each generator guarantees</summary><dl>{}</dl></details>",
        rows,
    )


class QuestionForm(FormsetFieldsMixin, forms.ModelForm):
    hints = LinesField(help_text="One hint a line, revealed one at a time.")
    tags = CommaListField(required=True, help_text="Separated by commas.")
    difficulty = forms.TypedChoiceField(
        coerce=int, choices=[(1, "1: easy"), (2, "2: medium"), (3, "3: hard")]
    )
    generator = forms.ChoiceField(required=False, choices=generator_choices)
    params = OptionalJSONField(
        required=False,
        widget=monospace(2),
        help_text='Parameters for the generator, as JSON: {"count": 4}.',
    )
    figure = forms.ChoiceField(
        required=False,
        choices=[("", "none"), ("boxes", "boxes (IoU)"), ("nms", "nms (detections)")],
        help_text="A drawing made from the variant's boxes.",
    )
    shuffle = forms.BooleanField(
        required=False, initial=True, help_text="Show the options in a random order."
    )
    options = FormsetField(OptionForm, extra=2, help_text="Tick the correct ones.")
    answer = forms.CharField(required=False, widget=monospace(3), help_text=ANSWER_HELP)
    tolerance_abs = forms.FloatField(
        required=False, min_value=0, label="Absolute tolerance"
    )
    tolerance_rel = forms.FloatField(
        required=False,
        min_value=0,
        label="Relative tolerance",
        help_text="Left empty, either one is 0.001.",
    )
    wrong = LinesField(
        label="Typical wrong answers",
        help_text="One a line; templates like {{ wrong_0 }} allowed. Each must fail.",
    )
    variables = CommaListField(help_text="The names the expression may use: C, n.")
    mode = forms.ChoiceField(required=False, choices=ORDERING_MODES, initial="order")
    items = LinesField(help_text="Order mode: one item a line, in the correct order.")
    parts = FormsetField(
        PartForm,
        extra=1,
        template_name="admin/exercises/widgets/boxes.html",
        help_text="The steps, in the order students answer them.",
    )
    spec = forms.JSONField(
        required=False,
        widget=monospace(10),
        label="Spec (JSON)",
        help_text=(
            "Everything the checker reads, as stored. Editing it here replaces "
            "the fields above for this save."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "topic", "slug", "kind", "title", "prompt", "explanation", "hints",
            "difficulty", "tags", "order", "is_published", "spec",
        ]  # fmt: skip
        widgets = {"prompt": monospace(8), "explanation": monospace(6)}
        field_classes = {"prompt": PlainText, "explanation": PlainText}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored_spec: dict[str, Any] = copy.deepcopy(self.instance.spec or {})
        kind = self.instance.kind or self.initial.get("kind", "")
        for name, value in initial_from_spec(kind, self.stored_spec).items():
            self.initial.setdefault(name, value)
        self.initial.setdefault("spec", self.stored_spec)  # an add form has none
        self.setup_formset_fields()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        kind = cleaned.get("kind")
        if not kind or self.errors:
            return cleaned
        spec = cleaned.get("spec")
        if "spec" in self.changed_data and spec is not None:
            if not isinstance(spec, dict):
                raise ValidationError({"spec": "The spec must be a JSON object."})
        else:
            spec = spec_from_fields(kind, cleaned, self.stored_spec)
        cleaned["spec"] = spec
        problems = question_problems(cleaned, spec)
        if problems:
            raise ValidationError(problems)
        return cleaned

    def spec_keys_changed(self) -> list[str]:
        new = self.cleaned_data.get("spec") or {}
        old = self.stored_spec
        return sorted(
            key for key in old.keys() | new.keys() if old.get(key) != new.get(key)
        )

    def audit_details(self) -> dict[str, Any]:
        """What changed, for the audit log: model fields and the spec's keys."""
        fields = [name for name in self.changed_data if name not in FIELD_KEYS]
        spec_keys = self.spec_keys_changed()
        if spec_keys and "spec" not in fields:
            fields.append("spec")
        return {"fields": fields, "spec_keys": spec_keys}


def question_problems(cleaned: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    """What the bank loader and the course validation would say about it."""
    entry = {
        "slug": cleaned.get("slug", ""),
        "kind": cleaned["kind"],
        "title": cleaned.get("title", ""),
        "prompt": cleaned.get("prompt", ""),
        "explanation": cleaned.get("explanation", ""),
        "hints": cleaned.get("hints", []),
        "difficulty": cleaned.get("difficulty"),
        "tags": cleaned.get("tags", []),
        **spec,
    }
    try:
        problem = question_problem(entry)
    except Exception as exc:  # noqa: BLE001 - a malformed spec is a problem to show
        return [f"The spec cannot be read: {exc!r}"]
    if problem:
        return [problem[0].upper() + problem[1:] + "."]
    question = Question(
        slug=entry["slug"],
        kind=entry["kind"],
        title=entry["title"],
        prompt=entry["prompt"],
        explanation=entry["explanation"],
        hints=entry["hints"],
        spec=spec,
    )
    try:
        problems = validate_question(question)
    except Exception as exc:  # noqa: BLE001 - as above
        return [f"The question cannot be checked: {exc!r}"]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        extra = len(problems) - MAX_PROBLEMS_SHOWN
        problems = [*problems[:MAX_PROBLEMS_SHOWN], f"… and {extra} more."]
    return problems
