"""The benchmark's figures, each beside its goal: printed as a table and
written to `var/bench/summary.json` (one key per figure, plus the machine).

A goal is a bound the figure should stay under (`better="lower"`) or above
(`better="higher"`); its ratio is value / goal, so a ratio of 1 or less is a
goal met for a time and 1 or more for a rate. A figure without a goal is
printed for reference (a baseline, a count). Nothing here fails on a goal
missed: the benchmark reports, the README quotes it.
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "var" / "bench" / "summary.json"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float
    unit: str
    goal: float | None = None
    better: Literal["lower", "higher"] = "lower"

    @property
    def ratio(self) -> float | None:
        if self.goal is None or self.goal == 0:
            return None
        return self.value / self.goal

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        if self.better == "lower":
            return self.value <= self.goal
        return self.value >= self.goal


@dataclass
class Summary:
    quick: bool = False
    figures: list[Figure] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        key: str,
        label: str,
        value: float,
        unit: str,
        goal: float | None = None,
        better: Literal["lower", "higher"] = "lower",
    ) -> Figure:
        if any(figure.key == key for figure in self.figures):
            raise ValueError(f"figure {key} is measured twice")
        figure = Figure(key, label, float(value), unit, goal, better)
        self.figures.append(figure)
        return figure

    def skip(self, section: str, why: str) -> None:
        """A section that could not run; CI treats this as a failure."""
        self.skipped[section] = why
        print(f"{section}: skipped, {why}")

    def machine(self) -> dict[str, object]:
        return {
            "cores": os.cpu_count() or 1,
            "architecture": platform.machine(),
            "python": platform.python_version(),
            "node": platform.node(),
        }

    def as_json(self) -> dict[str, object]:
        return {
            "machine": self.machine(),
            "quick": self.quick,
            "skipped": self.skipped,
            "figures": {
                figure.key: {
                    **{k: v for k, v in asdict(figure).items() if k != "key"},
                    "ratio": figure.ratio,
                    "met": figure.met,
                }
                for figure in self.figures
            },
        }

    def write(self, path: Path = SUMMARY) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_json(), indent=2) + "\n", encoding="utf-8")
        return path

    def table(self) -> str:
        """The figures as a Markdown table: value, goal, ratio, met."""
        lines = [
            "| figure | value | goal | ratio | met |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for figure in self.figures:
            goal = (
                "—"
                if figure.goal is None
                else ("≤ " if figure.better == "lower" else "≥ ")
                + _number(figure.goal, figure.unit)
            )
            ratio = "—" if figure.ratio is None else f"{figure.ratio:.2f}"
            met = {None: "", True: "yes", False: "**no**"}[figure.met]
            lines.append(
                f"| {figure.label} | {_number(figure.value, figure.unit)} | {goal} "
                f"| {ratio} | {met} |"
            )
        return "\n".join(lines)


def _number(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.2f}×"
    if abs(value) >= 100 or value == int(value):
        return f"{value:.0f} {unit}"
    return f"{value:.1f} {unit}"
