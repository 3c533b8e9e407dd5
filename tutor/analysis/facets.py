"""What a student saw of a parameterised question, as facets to group answers
by, and the buckets of each facet's values.

A facet is read from the variant the student's seed gives
(exercises.variants.variant_for) for every value the question shows: each
{{ placeholder }} of its prompt, options, items and part labels. A number, a
word or a yes/no is a facet as it is; an array gives its shape and whether
it has a zero or a negative entry (where sign slips and empty terms live); a
list of words or rows gives its length. A few generators also declare a
derived facet that plausibly changes the difficulty (`DECLARED`). Values the
student never saw (the answer, the typical wrong answers) are never facets.

Buckets: the values themselves when there are at most MAX_LEVELS of them (the
most frequent MAX_CATEGORIES when words vary more), else the thirds of the
values seen.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from exercises.models import Question
from exercises.variants import Variant, variant_for

Value = str | float
TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.DOTALL)
NAME = re.compile(r"[A-Za-z_]\w*")
# Words of the template language, never a value's name.
KEYWORDS = frozenset({
    "for", "in", "endfor", "empty", "if", "elif", "else", "endif", "and", "or",
    "not", "is", "with", "endwith", "as", "reversed", "True", "False", "None",
})  # fmt: skip
MAX_LEVELS = 5  # numbers with more distinct values are split in thirds
MAX_CATEGORIES = 10  # words beyond the most frequent 9 share one bucket
OTHER = "any other value"
MAX_WORD = 60


def shown_names(question: Question) -> tuple[str, ...]:
    """The names the question's student-facing texts fill in, in order."""
    spec = question.spec if isinstance(question.spec, dict) else {}
    texts = [question.prompt]
    texts += [str(option.get("text", "")) for option in spec.get("options", [])]
    texts += [str(item) for item in spec.get("items", [])]
    texts += [str(part.get("label", "")) for part in spec.get("parts", [])]
    names: dict[str, None] = {}
    for text in texts:
        for tag in TAG.finditer(text):
            for name in NAME.findall(tag.group(1) or tag.group(2)):
                if name not in KEYWORDS:
                    names[name] = None
    return tuple(names)


def is_parameterised(question: Question) -> bool:
    return isinstance(question.spec, dict) and bool(question.spec.get("generator"))


def variant_facets(question: Question, seed: int) -> dict[str, Value]:
    """The facets of the variant `seed` of a parameterised question. Raises
    whatever the generator raises when the variant cannot be built."""
    spec = question.spec
    params = json.dumps(spec.get("params", {}), sort_keys=True)
    found = _facets(str(spec["generator"]), params, int(seed), shown_names(question))
    return dict(found)


@lru_cache(maxsize=20_000)
def _facets(
    generator: str, params: str, seed: int, names: tuple[str, ...]
) -> tuple[tuple[str, Value], ...]:
    """Cached per process: some generators take tens of milliseconds."""
    spec = {"generator": generator, "params": json.loads(params)}
    variant = variant_for(spec, seed)
    found: dict[str, Value] = {}
    for name in names:
        if name in variant.values:
            found.update(value_facets(name, variant.values[name]))
    declared = DECLARED.get(generator)
    if declared is not None:
        found.update(declared(variant))
    return tuple(found.items())


def value_facets(name: str, value: Any) -> dict[str, Value]:
    """The facets of one shown value (see the module's docstring)."""
    if isinstance(value, bool | np.bool_):
        return {name: _yes(bool(value))}
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        return {name: number} if math.isfinite(number) else {}
    if isinstance(value, str):
        return {name: value[:MAX_WORD]}
    if isinstance(value, list | tuple | np.ndarray):
        return _sequence_facets(name, value)
    return {}


def _sequence_facets(name: str, value: Any) -> dict[str, Value]:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return {f"{name}: length": float(len(value))}
    if array.ndim == 0:
        return value_facets(name, float(array))
    return {
        f"{name}: shape": " × ".join(str(side) for side in array.shape),
        f"{name}: has a zero": _yes(bool(np.any(array == 0))),
        f"{name}: has a negative entry": _yes(bool(np.any(array < 0))),
    }


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _box_relation(variant: Variant) -> dict[str, Value]:
    """IoU: one box inside the other asks for no clipping of the overlap."""
    a, b = variant.values.get("box_a"), variant.values.get("box_b")
    if not (isinstance(a, list | tuple) and isinstance(b, list | tuple)):
        return {}

    def inside(inner: Sequence[float], outer: Sequence[float]) -> bool:
        return bool(
            outer[0] <= inner[0] and outer[1] <= inner[1]
            and inner[2] <= outer[2] and inner[3] <= outer[3]
        )  # fmt: skip

    nested = inside(a, b) or inside(b, a)
    return {"boxes": "one inside the other" if nested else "partly overlapping"}


def _zero_idf(variant: Variant) -> dict[str, Value]:
    """TF-IDF: a word in every document has idf 0, which many forget."""
    zero = variant.values.get("zero")
    if not isinstance(zero, list):
        return {}
    return {"a word is in every document": _yes(bool(zero))}


DECLARED: dict[str, Callable[[Variant], dict[str, Value]]] = {
    "iou_pair": _box_relation,
    "idf_steps": _zero_idf,
}


# --------------------------------------------------------------------- buckets


@dataclass(frozen=True)
class Split:
    """How one facet's values are bucketed: `labels` in display order, and
    `of` the label of a value."""

    by_thirds: bool
    labels: tuple[str, ...]
    of: Callable[[Value], str]


def split(values: Sequence[Value]) -> Split | None:
    """The buckets of a facet's values; None when every value is the same
    (nothing to compare)."""
    distinct = set(values)
    if len(distinct) < 2:
        return None
    numbers = [v for v in distinct if isinstance(v, float)]
    if len(numbers) == len(distinct) and len(distinct) > MAX_LEVELS:
        return _thirds([float(v) for v in values])
    return _categories(values)


def _categories(values: Sequence[Value]) -> Split:
    counts = Counter(_label(v) for v in values)
    if len(counts) > MAX_CATEGORIES:
        kept = {label for label, _ in counts.most_common(MAX_CATEGORIES - 1)}
    else:
        kept = set(counts)
    numeric = all(isinstance(v, float) for v in values)
    order = sorted(
        kept, key=lambda label: (float(label), "") if numeric else (0.0, label)
    )
    labels = tuple(order) + ((OTHER,) if len(kept) < len(counts) else ())

    def of(value: Value) -> str:
        label = _label(value)
        return label if label in kept else OTHER

    return Split(False, labels, of)


def _thirds(values: list[float]) -> Split:
    quantiles = {float(q) for q in np.quantile(values, [1 / 3, 2 / 3])}
    # A cut that leaves one side empty (many equal values) is dropped.
    cuts = sorted(c for c in quantiles if min(values) <= c < max(values))
    if not cuts:
        return _categories(values)
    labels: tuple[str, ...]
    if len(cuts) == 1:
        labels = (f"≤ {cuts[0]:.4g}", f"over {cuts[0]:.4g}")
    else:
        labels = (
            f"≤ {cuts[0]:.4g} (lowest third)",
            f"over {cuts[0]:.4g}, up to {cuts[1]:.4g} (middle third)",
            f"over {cuts[1]:.4g} (highest third)",
        )

    def of(value: Value) -> str:
        index = sum(float(value) > cut for cut in cuts)
        return labels[index]

    return Split(True, labels, of)


def _label(value: Value) -> str:
    return f"{value:.6g}" if isinstance(value, float) else value
