"""Question variants: numbers drawn from a seed, answers from the engine.

A parameterised question names a generator in its spec (`generator: nms_trace`)
and may pass it parameters (`params: {...}`). The generator draws the numbers
from a NumPy generator seeded with the variant's seed — (student, question,
attempt) for a student, any number for an instructor's preview — so the same
seed always gives the same variant, and computes the correct answer with the
engine's reference implementations, never by hand. Each generator states what
it guarantees (boxes that overlap, distinct confidences, no zero vector …) and
may give a `holds` check that `validate_course` runs on many seeds.

A question without a generator has a single, static variant built from its spec.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Variant:
    """One concrete version of a question.

    `values` fill the prompt's {{ placeholders }}; `answer` is the correct
    answer in the checker's terms (a number, an array, an expression, labels,
    or a dict of parts for a multi-step question). For multi-step questions,
    `follow(part, earlier)` gives the value a part should have when computed
    from the student's own earlier parts, which is how an early slip is
    carried forward instead of being marked again in every later part.
    """

    values: dict[str, Any] = field(default_factory=dict)
    answer: Any = None
    follow: Callable[[str, dict[str, Any]], Any] | None = None


@dataclass(frozen=True)
class Generator:
    name: str
    make: Callable[[np.random.Generator, dict[str, Any]], Variant]
    guarantees: tuple[str, ...]
    holds: Callable[[Variant], str | None] | None = None


_REGISTRY: dict[str, Generator] = {}


def generator(
    name: str,
    *,
    guarantees: tuple[str, ...],
    holds: Callable[[Variant], str | None] | None = None,
) -> Callable[[Callable[[np.random.Generator, dict[str, Any]], Variant]], Generator]:
    """Register a generator function under `name`."""

    def register(
        make: Callable[[np.random.Generator, dict[str, Any]], Variant],
    ) -> Generator:
        if name in _REGISTRY:
            raise ValueError(f"duplicate generator {name!r}")
        _REGISTRY[name] = Generator(name, make, guarantees, holds)
        return _REGISTRY[name]

    return register


@functools.cache
def _load() -> None:
    """Import every generator module of this package, once a process (listing
    the package on every lookup cost a directory scan per question page)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def get_generator(name: str) -> Generator:
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no variant generator {name!r}") from None


def all_generators() -> list[Generator]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda item: item.name)


def variant_for(spec: dict[str, Any], seed: int) -> Variant:
    """The variant of a question (its spec) for `seed`."""
    name = spec.get("generator")
    if not name:
        return static_variant(spec)
    rng = np.random.default_rng(abs(int(seed)))
    return get_generator(name).make(rng, dict(spec.get("params", {})))


def static_variant(spec: dict[str, Any]) -> Variant:
    if "parts" in spec:
        return Variant(
            answer={part["name"]: part.get("answer") for part in spec["parts"]}
        )
    return Variant(answer=spec.get("answer"))
