"""The question authoring form: every kind's fields with proper widgets.

The form reads the stored spec into its fields (`spec.initial_from_spec`)
and writes them back (`spec.spec_from_fields`), keeping keys it does not
know. Saving checks the question the way the bank loader and
`validate_course` do: its fields (`authoring_checks.question_problems`),
every text it shows (formulas that typeset, placeholders the generator
fills), then 20 seeds rendered, its own answer accepted and typical wrong
answers refused. A question with a problem is not saved; every problem shows
on the form at once, on the field it concerns where there is one.
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
from exercises.authoring_checks import question_problems, question_text_problems
from exercises.bank_checks import validate_question
from exercises.models import Question
from exercises.variants import all_generators, variant_for

MAX_PROBLEMS_SHOWN = 8
# Fields whose errors leave the spec unfinished: the question is not run then.
SPEC_FIELDS = {"kind", "spec", *FIELD_KEYS}
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
        help_texts = {
            "is_published": "Students see it once ticked; a new question is a draft."
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored_spec: dict[str, Any] = copy.deepcopy(self.instance.spec or {})
        kind = self.instance.kind or self.initial.get("kind", "")
        for name, value in initial_from_spec(kind, self.stored_spec).items():
            self.initial.setdefault(name, value)
        self.initial.setdefault("spec", self.stored_spec)  # an add form has none
        self.setup_formset_fields()

    def clean(self) -> dict[str, Any]:
        """Every problem at once, on the field it concerns: the fields'
        own errors, what the bank loader would say, texts that cannot be
        shown, then (when the question hangs together) what `validate_course`
        finds for 20 seeds."""
        super().clean()
        cleaned = self.cleaned_data
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        editing_spec = "spec" in self.changed_data and cleaned.get("spec") is not None
        spec = self._new_spec(kind, editing_spec)
        if spec is None:
            return cleaned
        cleaned["spec"] = spec
        entry = question_entry(cleaned, spec)
        already = set(self.errors)
        structural = [
            (_field_for(key, editing_spec), message)
            for key, message in question_problems(entry)
        ]
        for field, message in structural:
            if field not in already:
                self.add_error(field, message[0].upper() + message[1:] + ".")
        if structural or already & SPEC_FIELDS:
            return cleaned
        texts = self._text_problems(entry, spec, editing_spec)
        for field, message in texts:
            self.add_error(field, message)
        for problem in question_check(entry, spec, texts=not texts):
            self.add_error(None, problem)
        return cleaned

    def _new_spec(self, kind: str, editing_spec: bool) -> dict[str, Any] | None:
        spec = self.cleaned_data.get("spec")
        if editing_spec:
            if isinstance(spec, dict):
                return spec
            self.add_error("spec", "The spec must be a JSON object.")
            return None
        try:
            return spec_from_fields(kind, self.cleaned_data, self.stored_spec)
        except ValidationError as exc:
            self.add_error(None, exc)
            return None

    def _text_problems(
        self, entry: dict[str, Any], spec: dict[str, Any], editing_spec: bool
    ) -> list[tuple[str | None, str]]:
        try:
            values = variant_for(spec, 0).values
        except Exception:  # noqa: BLE001 - question_check reports it, seed by seed
            return []
        return [
            (_field_for(field, editing_spec), message)
            for field, message in question_text_problems(entry, values)
        ]

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


def _field_for(key: str, editing_spec: bool) -> str | None:
    """The form field a problem with `key` shows on: the spec box when the
    spec is edited as JSON, no field for a key the form does not have."""
    if key in SPEC_FIELDS and key != "kind":
        return "spec" if editing_spec else key
    return key if key in QuestionForm.base_fields else None


def question_entry(cleaned: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The question as a bank file entry: its fields and its spec's keys."""
    return {
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


def question_check(
    entry: dict[str, Any], spec: dict[str, Any], *, texts: bool
) -> list[str]:
    """What the course validation says of the question for 20 seeds; its
    texts only when `texts` (else the form has shown them field by field)."""
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
        problems = validate_question(question, texts=texts)
    except Exception as exc:  # noqa: BLE001 - a malformed spec is a problem to show
        return [f"The question cannot be checked: {exc}"]
    problems = [problem[0].upper() + problem[1:] for problem in problems]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        extra = len(problems) - MAX_PROBLEMS_SHOWN
        problems = [*problems[:MAX_PROBLEMS_SHOWN], f"… and {extra} more."]
    return problems
