"""The result every checker returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CheckResult:
    readable: bool
    correct: bool = False
    score: float = 0.0
    message: str = ""
    interpretation: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def unreadable(cls, message: str) -> CheckResult:
        return cls(readable=False, message=message)

    def as_feedback(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "interpretation": self.interpretation,
            "details": self.details,
        }
