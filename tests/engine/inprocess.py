"""A runner for tests that only need the plumbing around the sandbox: it runs
the child's runtime (engine.sandbox.runtime.run_job) in the test process on
trusted test code, records every job it is given, and can answer with a
canned outcome instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.sandbox.runtime import run_job
from engine.sandbox.types import Job, Limits, RunOutcome


class InProcessRunner:
    def __init__(self, outcome: RunOutcome | None = None) -> None:
        self.jobs: list[Job] = []
        self.limits: list[Limits] = []
        self.outcome = outcome

    def run(
        self,
        job: Job,
        limits: Limits,
        on_progress: Callable[[int], None] | None = None,
    ) -> RunOutcome:
        self.jobs.append(job)
        self.limits.append(limits)
        if self.outcome is not None:
            return self.outcome
        # No forbidden names: blocking them would patch this test process.
        request = {"source": job.source, "entry_point": job.entry_point}
        reply: dict[str, Any] = run_job({**request, "cases": job.cases})
        return RunOutcome(
            status=reply["status"],
            results=reply.get("results", []),
            error=reply.get("error", ""),
            line=reply.get("line", 0),
            column=reply.get("column", 0),
        )

    @property
    def cases_seen(self) -> list[dict[str, Any]]:
        """Every input any job carried."""
        return [case for job in self.jobs for case in job.cases]
