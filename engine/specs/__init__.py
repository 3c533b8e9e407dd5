"""The registry of exercise specs, discoverable by id (`iou`, `nms`, …)."""

from __future__ import annotations

import importlib
import pkgutil

from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case

_REGISTRY: dict[str, ExerciseSpec] = {}


def register(spec: ExerciseSpec) -> ExerciseSpec:
    if spec.id in _REGISTRY and _REGISTRY[spec.id] is not spec:
        raise ValueError(f"duplicate exercise spec id {spec.id!r}")
    _REGISTRY[spec.id] = spec
    return spec


def _load() -> None:
    """Import every subject module of this package (one per lecture topic
    group); each registers its specs when imported."""
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
