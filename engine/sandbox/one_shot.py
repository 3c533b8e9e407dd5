"""The sandbox for one grading from the command line.

A worker's hosts load torch with its compiler stack (torch._dynamo and sympy,
which a first optimiser or torch.func call would otherwise import inside the
job's CPU budget: `engine.sandbox.runtime.import_torch_lazy_parts`). For a
grading that runs once and exits, that load is most of a second of the
command's critical path. So a one-shot grading first runs each job on a lean
host, which loads torch alone, and keeps that run only when it cannot differ
from a worker's: the submission loaded and every case returned within its
limits. Importing the compiler stack changes no value a job computes; it only
costs the job time and memory. A job that used it and still finished cleanly
got what a worker would have given it; one that failed in any way (an error,
a limit, a crash) is run again on a host with the full preload, and that run
decides. The choice is the trusted side's, made from the run's outcome, never
from anything the child says about itself; a child that wants the second run
can only have it, at the cost of a second start, and not keep the first.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.sandbox.types import Job, Limits, RunOutcome
from engine.sandbox.warm import WarmSandboxRunner


class OneShotRunner:
    """A lean host first, a full one only for a job that did not end cleanly."""

    def __init__(self) -> None:
        self.lean = WarmSandboxRunner(compiler=False)
        self.full = WarmSandboxRunner()
        self.jobs = self.reruns = 0

    def warm(self) -> None:
        """Start the lean host now; it imports torch while the caller does."""
        self.lean.warm(wait=False)

    def run(
        self, job: Job, limits: Limits, on_progress: Callable[[int], None] | None = None
    ) -> RunOutcome:
        self.jobs += 1
        outcome = self.lean.run(job, limits, on_progress)
        if ended_cleanly(outcome, len(job.cases)):
            return outcome
        self.reruns += 1
        return self.full.run(job, limits, on_progress)

    def close(self) -> None:
        self.lean.close()
        self.full.close()


def ended_cleanly(outcome: RunOutcome, cases: int) -> bool:
    """The submission loaded and each of the job's `cases` returned a value
    within the limits: a run a full preload could not have changed."""
    return (
        outcome.status == "ok"
        and len(outcome.results) == cases
        and all(result.get("ok") is True for result in outcome.results)
    )
