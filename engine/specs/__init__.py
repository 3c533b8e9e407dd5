"""The registry of exercise specs, discoverable by id (`iou`, `nms`, …)."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil

from engine.fitted_limits import fitted_limits
from engine.sandbox.types import Limits
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case

_REGISTRY: dict[str, ExerciseSpec] = {}
_AS_WRITTEN: dict[str, ExerciseSpec] = {}  # each spec before its fitted limits


def register(spec: ExerciseSpec) -> ExerciseSpec:
    """Add a spec; one that keeps the default limits gets its fitted CPU
    limit (engine/fitted_limits.py). Use the spec returned."""
    if spec.id in _REGISTRY:
        if _AS_WRITTEN[spec.id] is spec:
            return _REGISTRY[spec.id]
        raise ValueError(f"duplicate exercise spec id {spec.id!r}")
    _AS_WRITTEN[spec.id] = spec
    if spec.limits == Limits():
        spec = dataclasses.replace(spec, limits=fitted_limits(spec.id))
    _REGISTRY[spec.id] = spec
    return spec


@functools.cache
def _load() -> None:
    """Import every subject module of this package (one per lecture topic
    group); each registers its specs when imported. Once a process: listing
    the package cost a millisecond a lookup, three lookups an exercise page."""
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")


def all_specs() -> list[ExerciseSpec]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda spec: (spec.topic, spec.id))


def get_spec(spec_id: str) -> ExerciseSpec:
    _load()
    try:
        return _REGISTRY[spec_id]
    except KeyError:
        raise KeyError(f"no exercise spec with id {spec_id!r}") from None


__all__ = [
    "Case",
    "ExerciseSpec",
    "Mistake",
    "Property",
    "all_specs",
    "get_spec",
    "per_case",
    "register",
]
