"""The coding exercise's admin form: an engine spec, or the instructor's own
reference solution and case generator (exactly one), with the JSON fields
(tolerance, limits, hints) edited as plain fields."""

from __future__ import annotations

import copy
from typing import Any

from django import forms

from engine.stored import DEFAULT_TOLERANCE
from exercises.admin.accessible import name_input
from exercises.admin.forms import PlainText
from exercises.models import CodingExercise

CODE_FIELDS = ("reference_solution", "case_generator", "starter_code")
OWN_FIELDS = ("entry_point", "reference_solution", "case_generator")
LIMIT_FIELDS = {
    "limit_cpu_seconds": "cpu_seconds",
    "limit_wall_seconds": "wall_seconds",
    "limit_memory_mb": "memory_mb",
}


def _code(rows: int) -> forms.Textarea:
    return forms.Textarea(
        attrs={
            "class": "code-field",
            "rows": rows,
            "spellcheck": "false",
            "autocapitalize": "off",
            "autocomplete": "off",
            "wrap": "off",
        }
    )


def _spec_choices() -> list[tuple[str, str]]:
    from engine.specs import all_specs

    own = [("", "— none: my own reference solution and case generator —")]
    return own + [(spec.id, f"{spec.id} · {spec.title}") for spec in all_specs()]


def normalised_code(text: str) -> str:
    """Browsers send CRLF; trailing spaces keep YAML from writing code as a
    readable block. Neither means anything in Python code."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + ("\n" if text.strip() else "")


class CodeField(forms.CharField):
    """Python code typed in a textarea: compared and cleaned with its line
    ends and trailing spaces normalised, so a page saved as it was loaded
    (a browser posts CRLF) is not an edit."""

    def __init__(self, **kw: Any) -> None:
        kw["strip"] = False
        super().__init__(**kw)

    def to_python(self, value: Any) -> str:
        return normalised_code(str(super().to_python(value) or ""))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return normalised_code(str(initial or "")) != self.to_python(data)


def hints_from_text(text: str) -> list[str]:
    """Hints typed one a paragraph (a blank line between two)."""
    paragraphs = str(text or "").replace("\r\n", "\n").split("\n\n")
    return [part.strip() for part in paragraphs if part.strip()]


class HintsField(forms.CharField):
    def has_changed(self, initial: Any, data: Any) -> bool:
        return hints_from_text(initial) != hints_from_text(data)


class CodingExerciseForm(forms.ModelForm):
    engine_spec = forms.ChoiceField(
        choices=_spec_choices,
        required=False,
        help_text=(
            "An engine spec brings its own reference, cases, named mistakes and "
            "properties; each submission is graded on cases drawn from its own "
            "seed. Choose none to write your own reference and case generator."
        ),
    )
    tolerance_abs = forms.FloatField(
        label="Absolute tolerance",
        required=False,
        min_value=0.0,
        widget=forms.NumberInput(
            attrs={"placeholder": f"{DEFAULT_TOLERANCE['abs']:g}", "step": "any"}
        ),
    )
    tolerance_rel = forms.FloatField(
        label="Relative tolerance",
        required=False,
        min_value=0.0,
        widget=forms.NumberInput(
            attrs={"placeholder": f"{DEFAULT_TOLERANCE['rel']:g}", "step": "any"}
        ),
        help_text=(
            "A float passes when |got − expected| ≤ abs + rel·|expected| (blank: "
            "the defaults shown). Strings and booleans must be equal."
        ),
    )
    hints_text = HintsField(
        label="Hints",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "One hint per paragraph (separate hints with a blank line), from the "
            "gentlest to the most explicit. Markdown with $…$ maths."
        ),
    )
    limit_cpu_seconds = forms.FloatField(
        label="CPU seconds", required=False, min_value=0.1, max_value=60
    )
    limit_wall_seconds = forms.FloatField(
        label="Wall-clock seconds", required=False, min_value=0.1, max_value=120
    )
    limit_memory_mb = forms.IntegerField(
        label="Memory (MB)",
        required=False,
        min_value=64,
        max_value=8192,
        help_text="Blank: the site's defaults (SANDBOX_* settings).",
    )

    class Meta:
        model = CodingExercise
        fields = [
            "topic", "slug", "title", "prompt", "difficulty", "order", "engine_spec",
            "entry_point", "reference_solution", "case_generator", "starter_code",
            "case_feedback", "hidden_case_feedback", "case_overrides", "due_at",
            "is_published",
        ]  # fmt: skip
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 10}),
            "reference_solution": _code(14),
            "case_generator": _code(14),
            "starter_code": _code(8),
            "entry_point": forms.TextInput(attrs={"class": "code-input"}),
        }
        field_classes = {
            "prompt": PlainText,
            **dict.fromkeys(CODE_FIELDS, CodeField),
        }
        help_texts = {
            "case_generator": (
                "Python defining `cases(seed)`, returning a list of "
                '{"inputs": {argument: value}, "label": "edge: empty", "hidden": '
                "false}. It runs in the sandbox for seeds 0, 1 and 2; the distinct "
                "cases are stored with the reference's outputs, and every student "
                "is graded on those same cases. Values: numbers, text, lists, "
                "tuples, dictionaries and NumPy arrays (which reach students' "
                "code as arrays). Use np.random.default_rng(seed) for randomness."
            ),
            "reference_solution": (
                "Python defining the entry point: the correct solution. It runs "
                "only in the sandbox, and students never see it."
            ),
            "entry_point": (
                "The function students write, e.g. `softmax`; its arguments are "
                "the keys of a case's inputs, in order (passed by position)."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.saved_hash = instance.source_hash() if instance.pk else ""
        self.was_published = bool(instance.pk and instance.is_published)
        self.unpublished_for_validation = False
        if not instance.pk:
            self.initial.setdefault("is_published", False)
        name_input(self.fields["due_at"], "Due")  # its date and time boxes
        tolerance = instance.tolerance or {}
        limits = instance.limits or {}
        self.initial.setdefault("tolerance_abs", tolerance.get("abs"))
        self.initial.setdefault("tolerance_rel", tolerance.get("rel"))
        self.initial.setdefault("hints_text", "\n\n".join(instance.hints or []))
        for name, key in LIMIT_FIELDS.items():
            self.initial.setdefault(name, limits.get(key))

    def clean_entry_point(self) -> str:
        return str(self.cleaned_data.get("entry_point", "")).strip()

    def _code(self, name: str) -> str:
        """The code as typed, normalised; the stored text itself when it is
        the same code, so that neither the validation's hash nor the
        published state changes on a save that edits nothing."""
        code = normalised_code(self.cleaned_data.get(name, ""))
        stored = str(getattr(self.instance, name) or "")
        return stored if normalised_code(stored) == code else code

    def clean_reference_solution(self) -> str:
        return self._code("reference_solution")

    def clean_case_generator(self) -> str:
        return self._code("case_generator")

    def clean_starter_code(self) -> str:
        return self._code("starter_code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_one_grader(data)
        instance = self.instance
        # The model's clean (publishing) sees these: set them before it runs.
        instance.tolerance = _tolerance(data)
        # Keys the form has no field for (e.g. "processes") are kept as they were.
        kept = {
            key: value
            for key, value in (instance.limits or {}).items()
            if key not in LIMIT_FIELDS.values()
        }
        instance.limits = kept | {
            key: data[name]
            for name, key in LIMIT_FIELDS.items()
            if data.get(name) is not None
        }
        instance.hints = hints_from_text(data.get("hints_text", ""))
        self._unpublish_if_code_changed(data)
        return data

    def _check_one_grader(self, data: dict[str, Any]) -> None:
        own = [name for name in OWN_FIELDS if data.get(name)]
        if data.get("engine_spec") and own:
            self.add_error(
                "engine_spec",
                "Choose an engine spec or write your own reference, not both: clear "
                f"{', '.join(own)} to use the spec, or choose none here.",
            )
        elif not data.get("engine_spec"):
            for name in OWN_FIELDS:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Needed for an exercise without engine spec.")

    def _unpublish_if_code_changed(self, data: dict[str, Any]) -> None:
        """A published own exercise whose code changes goes offline until the
        new code is validated (then it is published again automatically)."""
        probe = copy.copy(self.instance)
        for name in ("engine_spec", *OWN_FIELDS, "starter_code"):
            setattr(probe, name, data.get(name, ""))
        if (
            probe.is_own
            and self.was_published
            and data.get("is_published")
            and probe.source_hash() != self.saved_hash
        ):
            data["is_published"] = False
            self.unpublished_for_validation = True

    def code_changed(self) -> bool:
        return not self.saved_hash or self.instance.source_hash() != self.saved_hash


def _tolerance(data: dict[str, Any]) -> dict[str, float]:
    tolerance = {}
    if data.get("tolerance_abs") is not None:
        tolerance["abs"] = float(data["tolerance_abs"])
    if data.get("tolerance_rel") is not None:
        tolerance["rel"] = float(data["tolerance_rel"])
    return tolerance
