"""A question's `spec` (the JSON its checker reads) as form values, and back.

The spec stays the storage. Each kind uses a few of its keys (`KIND_KEYS`);
the authoring form edits those with ordinary widgets and writes them back
into the stored spec, leaving every other key as it was. A value the form
gives back unchanged keeps its stored form (`0` stays `0`, not `0.0`), so
opening and saving a question changes nothing in the bank files.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from exercises.admin.forms import Row, unedited_keys
from exercises.bank import QUESTION_FIELDS

KIND_KEYS: dict[str, tuple[str, ...]] = {
    "single": ("shuffle", "options"),
    "multiple": ("shuffle", "options"),
    "numeric": ("answer", "tolerance", "wrong"),
    "symbolic": ("variables", "answer", "wrong"),
    "matrix": ("answer", "tolerance", "wrong"),
    "ordering": ("mode", "items", "answer", "wrong"),
    "multistep": ("parts",),
}
COMMON_KEYS = ("generator", "params", "figure")
MANAGED_KEYS = set(COMMON_KEYS).union(*KIND_KEYS.values())
# Form fields that stand for spec keys (the tolerance takes two).
FIELD_KEYS = {
    "generator": "generator",
    "params": "params",
    "figure": "figure",
    "shuffle": "shuffle",
    "options": "options",
    "answer": "answer",
    "tolerance_abs": "tolerance",
    "tolerance_rel": "tolerance",
    "wrong": "wrong",
    "variables": "variables",
    "mode": "mode",
    "items": "items",
    "parts": "parts",
}
OPTION_KEYS = {"text", "correct", "explanation"}
PART_KEYS = {"name", "label", "kind", "mode", "tolerance", "answer", "variables"}


def field_kinds() -> dict[str, list[str]]:
    """For each spec field of the form, the kinds that use it (the page hides
    the others); fields every kind uses are not listed."""
    kinds: dict[str, list[str]] = {}
    for field, key in FIELD_KEYS.items():
        if key not in COMMON_KEYS:
            kinds[field] = [kind for kind, keys in KIND_KEYS.items() if key in keys]
    return kinds


# ------------------------------------------------------------ spec → form


def initial_from_spec(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    tolerance = spec.get("tolerance") or {}
    return {
        "generator": spec.get("generator", ""),
        "params": spec.get("params"),
        "figure": spec.get("figure", ""),
        "shuffle": spec.get("shuffle", True),
        "options": [_option_row(i, o) for i, o in enumerate(spec.get("options", []))],
        "answer": answer_text(kind, spec.get("answer")),
        "tolerance_abs": tolerance.get("abs"),
        "tolerance_rel": tolerance.get("rel"),
        "wrong": [str(w) for w in spec.get("wrong", [])],
        "variables": list(spec.get("variables", [])),
        "mode": spec.get("mode", "order"),
        "items": list(spec.get("items", [])),
        "parts": [_part_row(i, p) for i, p in enumerate(spec.get("parts", []))],
    }


def _option_row(index: int, option: dict[str, Any]) -> Row:
    return {
        "origin": index,
        "text": option.get("text", ""),
        "correct": bool(option.get("correct")),
        "explanation": option.get("explanation", ""),
    }


def _part_row(index: int, part: dict[str, Any]) -> Row:
    tolerance = part.get("tolerance") or {}
    return {
        "origin": index,
        "name": part.get("name", ""),
        "label": part.get("label", ""),
        "kind": part.get("kind", "numeric"),
        "mode": part.get("mode", ""),
        "tolerance_abs": tolerance.get("abs"),
        "tolerance_rel": tolerance.get("rel"),
        "answer": answer_text(part.get("kind", ""), part.get("answer")),
        "variables": list(part.get("variables", [])),
    }


def answer_text(kind: str, value: Any) -> str:
    """A stored answer as the instructor types it."""
    if value is None:
        return ""
    if kind == "numeric":
        return _number_text(value)
    if kind == "matrix":
        if not value or not isinstance(value[0], list):
            return " ".join(_number_text(v) for v in value)
        if len(value) == 1:  # brackets keep a one-row matrix from reading as a vector
            return "[[" + ", ".join(_number_text(v) for v in value[0]) + "]]"
        return "\n".join(" ".join(_number_text(v) for v in row) for row in value)
    if kind == "ordering":
        return ", ".join(str(label) for label in value)
    return str(value)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


# ------------------------------------------------------------ form → spec


def spec_from_fields(
    kind: str, values: dict[str, Any], stored: dict[str, Any]
) -> dict[str, Any]:
    """The new spec: the stored keys the form does not edit, then this kind's
    keys from the form. Raises ValidationError naming the field at fault."""
    spec = {
        key: value
        for key, value in stored.items()
        if key not in MANAGED_KEYS and key not in QUESTION_FIELDS
    }
    new: dict[str, Any] = {}
    for key in COMMON_KEYS:
        if values.get(key) not in (None, "", {}):
            new[key] = values[key]
    for key in KIND_KEYS[kind]:
        value = _BUILDERS[key](kind, values, stored)
        if value is not None:
            new[key] = value
    spec.update(_prefer_stored(new, stored))
    return spec


def _prefer_stored(new: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    return {
        key: stored[key] if key in stored and stored[key] == value else value
        for key, value in new.items()
    }


def _shuffle(kind: str, values: dict[str, Any], stored: dict[str, Any]) -> Any:
    shuffle = bool(values.get("shuffle", True))
    return None if shuffle and "shuffle" not in stored else shuffle


def _options(kind: str, values: dict[str, Any], stored: dict[str, Any]) -> Any:
    rows = values.get("options") or []
    old = stored.get("options") or []
    options = []
    for row in rows:
        option: Row = {"text": row["text"]}
        if row.get("correct"):
            option["correct"] = True
        if row.get("explanation"):
            option["explanation"] = row["explanation"]
        options.append(option | unedited_keys(row, old, OPTION_KEYS))
    return options or None


def _answer(kind: str, values: dict[str, Any], stored: dict[str, Any]) -> Any:
    try:
        return answer_value(kind, values.get("answer") or "")
    except ValueError as exc:
        raise ValidationError({"answer": str(exc)}) from None


def _tolerance(kind: str, values: dict[str, Any], stored: dict[str, Any]) -> Any:
    return tolerance(values.get("tolerance_abs"), values.get("tolerance_rel"))


def tolerance(absolute: float | None, relative: float | None) -> dict[str, Any] | None:
    given = {"abs": absolute, "rel": relative}
    result = {key: value for key, value in given.items() if value is not None}
    return result or None


def _texts(key: str) -> Any:
    def build(kind: str, values: dict[str, Any], stored: dict[str, Any]) -> Any:
        return list(values.get(key) or []) or None

    return build


def _mode(kind: str, values: dict[str, Any], stored: dict[str, Any]) -> Any:
    mode = values.get("mode") or "order"
    return None if mode == "order" and "mode" not in stored else mode


def _parts(kind: str, values: dict[str, Any], stored: dict[str, Any]) -> Any:
    old = stored.get("parts") or []
    parts = []
    for number, row in enumerate(values.get("parts") or [], start=1):
        try:
            parts.append(part_from_row(row) | unedited_keys(row, old, PART_KEYS))
        except ValueError as exc:
            raise ValidationError({"parts": f"Part {number}: {exc}"}) from None
    return parts or None


def part_from_row(row: Row) -> Row:
    part: Row = {"name": row["name"]}
    if row.get("label"):
        part["label"] = row["label"]
    part["kind"] = row["kind"]
    if row.get("mode"):
        part["mode"] = row["mode"]
    limits = tolerance(row.get("tolerance_abs"), row.get("tolerance_rel"))
    if limits:
        part["tolerance"] = limits
    if row.get("variables"):
        part["variables"] = row["variables"]
    value = answer_value(row["kind"], row.get("answer") or "")
    if value is not None:
        part["answer"] = value
    return part


_BUILDERS = {
    "shuffle": _shuffle,
    "options": _options,
    "answer": _answer,
    "tolerance": _tolerance,
    "wrong": _texts("wrong"),
    "variables": _texts("variables"),
    "mode": _mode,
    "items": _texts("items"),
    "parts": _parts,
}


def answer_value(kind: str, text: str) -> Any:
    """The typed answer as stored for this kind; None when left empty.
    Raises ValueError with the reason when it cannot be read."""
    from exercises.checkers.arithmetic import ReadError, read_number
    from exercises.checkers.matrix import read_matrix

    text = text.strip()
    if not text:
        return None
    try:
        if kind == "numeric":
            return _number(text, read_number)
        if kind == "matrix":
            return _tidy(read_matrix(text).tolist())
    except ReadError as exc:
        raise ValueError(str(exc)) from None
    if kind == "ordering":
        return [label.strip() for label in text.split(",") if label.strip()]
    return text


def _number(text: str, read_number: Any) -> int | float:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return float(read_number(text).value)


def _tidy(value: Any) -> Any:
    """Whole numbers as integers, as people write them in the bank files."""
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
