"""The student's own input for "Run": one field per argument of the entry
point, what each accepts read from the worked examples' values, the text
parsed as JSON and checked here, in the web process, before anything is
queued.

An argument accepts the forms its examples have: a number (whole where every
example is whole), true/false, a text, a list of texts, or an array given as
nested lists with the examples' number of dimensions (an axis whose size is
the same in every example keeps that size). NumPy arrays in the examples are
NumPy arrays again, of the same dtype. The whole input holds at most
MAX_ELEMENTS numbers and texts; NaN and infinities only where an example
holds them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from engine.stored import from_stored, to_stored
from exercises.coding.run_values import (
    MAX_ELEMENTS,
    InputError,
    all_whole,
    fits_texts,
    int_typed,
    measure,
    plain,
    rectangular,
    text_depth,
    what,
)

if TYPE_CHECKING:
    from exercises.coding.worked_examples import WorkedExample

MAX_FIELD_CHARS = 200_000  # the typed text of one argument
MAX_TEXT_CHARS = 1_000  # one text value
MAX_WHOLE = 2**53  # a whole number beyond this is not kept exactly as a float
# The reference's output on own input (for a student who passed) only for
# inputs at most this many times the examples' sizes: its cost is then that
# of an example, whatever was typed.
ENVELOPE = 4
FIELD_PREFIX = "arg-"

Kind = Literal["bool", "int", "float", "str", "array", "texts", "any", "empty"]


@dataclass(frozen=True)
class Form:
    """One form an argument's value may take. `sizes` holds each axis's
    fixed size (None: free); `dtype` the NumPy dtype when the examples pass
    arrays; `depth` how deep a list of texts is nested."""

    kind: Kind
    ndim: int = 0
    whole: bool = False
    sizes: tuple[int | None, ...] = ()
    dtype: str = ""
    depth: int = 1

    @property
    def described(self) -> str:
        if self.kind == "array":
            return _array_words(self)
        if self.kind == "texts":
            return "a list of texts" if self.depth == 1 else "a list of lists of texts"
        return _WORDS[self.kind]


_WORDS = {
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "str": 'a text in double quotes ("like this")',
    "any": "a JSON value",
    "empty": "an empty list",
}


def _array_words(form: Form) -> str:
    numbers = "whole numbers" if form.whole else "numbers"
    if form.ndim == 1:
        size = form.sizes[0] if form.sizes else None
        return f"a list of {size} {numbers}" if size else f"a list of {numbers}"
    axes = ", ".join(str(size) if size else "*" for size in form.sizes)
    free = " (* any size)" if None in form.sizes else ""
    return f"a {form.ndim}-D array of {numbers} as nested lists, shape ({axes}){free}"


@dataclass(frozen=True)
class Argument:
    """One argument of the entry point, as the own-input form asks for it."""

    name: str
    forms: tuple[Form, ...]
    initial: str
    finite_only: bool
    most_elements: int
    largest_whole: int

    @property
    def field(self) -> str:
        return f"{FIELD_PREFIX}{self.name}"

    @property
    def described(self) -> str:
        return " or ".join(form.described for form in self.forms)

    @property
    def multiline(self) -> bool:
        return any(form.kind in ("array", "texts", "any") for form in self.forms)


# ------------------------------------------------------------------ the forms


def arguments_for(examples: Sequence[WorkedExample]) -> list[Argument]:
    """The arguments, in the entry point's order, with what each accepts."""
    if not examples:
        return []
    names = list(examples[0].inputs)
    return [_argument(name, [ex.inputs.get(name) for ex in examples]) for name in names]


def _argument(name: str, values: list[Any]) -> Argument:
    forms = _merged([_form_of(value) for value in values])
    leaves = [measure(value) for value in values]
    wholes = [
        abs(int(v)) for v in values if type(v) is int or isinstance(v, np.integer)
    ]
    return Argument(
        name=name,
        forms=tuple(forms),
        initial=json.dumps(plain(values[0]), allow_nan=True),
        finite_only=all(finite for _, finite in leaves),
        most_elements=max(count for count, _ in leaves),
        largest_whole=max(wholes, default=0),
    )


def _form_of(value: Any) -> Form:
    if isinstance(value, (bool, np.bool_)):
        return Form("bool")
    if isinstance(value, (int, np.integer)):
        return Form("int")
    if isinstance(value, (float, np.floating)):
        return Form("float")
    if isinstance(value, str):
        return Form("str")
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        whole = value.dtype.kind in "iu"
        return Form("array", value.ndim, whole, value.shape, value.dtype.name)
    if isinstance(value, (list, tuple)):
        return _list_form(list(value))
    return Form("any")


def _list_form(value: list[Any]) -> Form:
    if not value:
        return Form("empty")
    depth = text_depth(value)
    if depth:
        return Form("texts", depth=depth)
    shape = rectangular(value, 0)
    if shape is None or not shape:
        return Form("any")
    return Form("array", len(shape), int_typed(value), shape)


def _merged(forms: list[Form]) -> list[Form]:
    """One form per kind (and dimensions), sizes kept where all agree."""
    listy = any(form.kind in ("array", "texts") for form in forms)
    groups: dict[tuple[Any, ...], list[Form]] = {}
    for form in forms:
        if form.kind == "empty" and listy:
            continue
        kind = "float" if form.kind == "int" and _has(forms, "float") else form.kind
        groups.setdefault((kind, form.ndim, form.dtype, form.depth), []).append(form)
    merged = []
    for (kind, ndim, dtype, depth), members in groups.items():
        sizes = tuple(
            members[0].sizes[axis]
            if len(members) > 1 and len({m.sizes[axis] for m in members}) == 1
            else None
            for axis in range(ndim)
        )
        whole = all(member.whole for member in members)
        merged.append(Form(kind, ndim, whole, sizes, dtype, depth))
    if _has(forms, "empty") and listy:
        merged = [_free_first_axis(form) for form in merged]
    return merged


def _has(forms: list[Form], kind: str) -> bool:
    return any(form.kind == kind for form in forms)


def _free_first_axis(form: Form) -> Form:
    if form.kind != "array" or form.ndim != 1:
        return form
    return replace(form, sizes=(None,))


# ------------------------------------------------------------------ parsing


def parse_inputs(
    arguments: Sequence[Argument], data: Mapping[str, Any]
) -> list[tuple[str, Any]]:
    """Each argument's value from its field's text, checked and converted to
    the form the examples use. Raises InputError with a message for the student."""
    if not arguments:
        raise InputError("This exercise shows no examples, so it takes no own input.")
    values, elements = [], 0
    for argument in arguments:
        text = data.get(argument.field)
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        value, count = parse_argument(argument, text)
        elements += count
        values.append((argument.name, value))
    if elements > MAX_ELEMENTS:
        raise InputError(
            f"Your input holds {elements:,} numbers and texts; the limit is "
            f"{MAX_ELEMENTS:,}. Try a smaller input."
        )
    return values


def parse_argument(argument: Argument, text: str) -> tuple[Any, int]:
    """One argument's value and how many numbers and texts it holds."""
    name = argument.name
    if len(text) > MAX_FIELD_CHARS:
        raise InputError(
            f"{name} is {len(text):,} characters long; the limit is {MAX_FIELD_CHARS:,}."
        )
    if not text.strip():
        raise InputError(f"Give a value for {name}: {argument.described}.")
    value = _loads(name, text)
    count, finite = measure(value)
    if count > MAX_ELEMENTS:
        raise InputError(
            f"{name} holds {count:,} numbers and texts; the limit is {MAX_ELEMENTS:,}."
        )
    if argument.finite_only and not finite:
        raise InputError(
            f"{name} holds NaN or an infinity, which is not allowed here: the "
            "examples use finite numbers only."
        )
    problems = []
    for form in argument.forms:
        try:
            return _converted(value, form), count
        except _Mismatch as exc:
            problems.append(exc.reason)
    if len(argument.forms) == 1:
        raise InputError(f"{name} must be {argument.described}: {problems[0]}.")
    raise InputError(f"{name} must be {argument.described}; yours is {what(value)}.")


class _NonFinite(float):
    """NaN, Infinity or -Infinity as JSON spells them (Python's json reads them)."""


def _loads(name: str, text: str) -> Any:
    try:
        return json.loads(text, parse_constant=lambda word: _NonFinite(word))
    except RecursionError:
        raise InputError(f"{name} is nested too deeply.") from None
    except ValueError as exc:
        where = getattr(exc, "msg", str(exc))
        raise InputError(
            f"{name} is not valid JSON ({where}): write numbers like 0.5, lists "
            'like [1, 2], texts like "cat".'
        ) from None


class _Mismatch(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _converted(value: Any, form: Form) -> Any:
    """`value` in `form`, or _Mismatch with the reason it does not fit."""
    kind = form.kind
    if kind == "any":
        return _checked_texts(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise _Mismatch(f"yours is {what(value)}")
    if kind in ("int", "float"):
        return _number(value, whole=kind == "int")
    if kind == "str":
        if isinstance(value, str):
            return _checked_texts(value)
        raise _Mismatch(f"yours is {what(value)}")
    if kind == "texts":
        if fits_texts(value, form.depth):
            return _checked_texts(value)
        raise _Mismatch(f"yours is {what(value)}")
    if kind == "empty":
        if value == []:
            return value
        raise _Mismatch(f"yours is {what(value)}")
    return _array(value, form)


def _number(value: Any, *, whole: bool) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Mismatch(f"yours is {what(value)}")
    if not whole:
        return float(value)
    if isinstance(value, float) and not value.is_integer():
        raise _Mismatch(f"yours is {value!r}, not a whole number")
    if abs(value) > MAX_WHOLE:
        raise _Mismatch(f"{value!r} is too large")
    return int(value)


def _array(value: Any, form: Form) -> Any:
    if not isinstance(value, list):
        raise _Mismatch(f"yours is {what(value)}")
    shape = rectangular(value, 0)
    if shape is None:
        raise _Mismatch(
            "yours is not a rectangular array of numbers (rows of different "
            "lengths, or something other than numbers in it)"
        )
    if len(shape) != form.ndim:
        raise _Mismatch(f"yours has {len(shape)} dimension(s), not {form.ndim}")
    for axis, (size, fixed) in enumerate(zip(shape, form.sizes, strict=True)):
        if fixed is not None and size != fixed:
            raise _Mismatch(f"axis {axis} has {size} entries, not {fixed}")
    if form.whole and not all_whole(value):
        raise _Mismatch("it holds a number that is not whole")
    if form.dtype:
        return np.array(value, dtype=np.dtype(form.dtype))
    return np.array(value, dtype=np.int64 if form.whole else np.float64).tolist()


def _checked_texts(value: Any) -> Any:
    """`value` unless one of its texts is too long."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise InputError(f"A text is longer than {MAX_TEXT_CHARS:,} characters.")
        return value
    items = value.values() if isinstance(value, dict) else value
    if isinstance(items, (list, tuple)) or isinstance(value, dict):
        for item in items:
            _checked_texts(item)
    return value


# ------------------------------------------------------------------ storing


def stored(values: Sequence[tuple[str, Any]]) -> list[list[Any]]:
    """The parsed input as JSON (engine.stored: arrays keep their dtype), in
    (argument, value) pairs: the arguments are passed by position."""
    return [[name, to_stored(value)] for name, value in values]


def from_storage(data: Any) -> dict[str, Any]:
    """The input `stored` kept, as keyword arguments in order."""
    return {str(name): from_stored(value) for name, value in data}


def beyond_examples(arguments: Sequence[Argument], values: Mapping[str, Any]) -> bool:
    """Whether the input is larger than ENVELOPE times the examples' (then
    the reference's output is not computed for it)."""
    for argument in arguments:
        value = values.get(argument.name)
        count, _ = measure(value)
        if count > ENVELOPE * max(argument.most_elements, 4):
            return True
        if (type(value) is int or isinstance(value, np.integer)) and abs(
            int(value)
        ) > ENVELOPE * max(argument.largest_whole, 4):
            return True
    return False
