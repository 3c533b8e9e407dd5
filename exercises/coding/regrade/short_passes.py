"""Passes that graded fewer cases than were sent: find them and regrade them.

An earlier grader believed the sandbox child's list of results. Code that
emptied that list (walking up its own stack, writing a forged reply to the
result pipe, replacing `builtins.enumerate`) was told "All 0 cases passed" and
kept a score of 1. The grader now matches one result to each case it sent;
this repairs what was stored before: a submission whose report says "passed"
on fewer cases than the worker sent (its `cases_total`, written by the trusted
worker as it graded) or on none at all is graded again, and its score follows
the new report even when it drops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, IntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from exercises import audit
from exercises.coding.regrade.runs import RegradeRefused, regrade_enqueue
from exercises.models import CodingExercise, RegradeRun, Submission

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def short_passes(*, exercise: CodingExercise | None = None) -> QuerySet[Submission]:
    """Finished submissions whose stored report passed on fewer results than
    the cases the worker sent, or on none."""
    submissions = (
        Submission.objects.filter(
            status=Submission.Status.DONE, report__verdict="passed"
        )
        .annotate(results_graded=Coalesce(Cast(KT("report__total"), IntegerField()), 0))
        .filter(Q(results_graded__lt=1) | Q(results_graded__lt=F("cases_total")))
    )
    if exercise is not None:
        submissions = submissions.filter(exercise=exercise)
    return submissions.order_by("pk")


# What the students whose score changes are told.
FEWER_RESULTS_REASON = (
    "your submission was marked as passed although some of its test cases "
    "never reported a result; it has been graded again on every case"
)


def short_passes_regrade(
    *, actor: User | None, exercise: CodingExercise | None = None
) -> RegradeRun:
    """Regrade every short pass now, applying each new score, lower or not.

    Raises RegradeRefused when there is none. The run is audited twice: when
    it starts (which submissions and why) and, as every applied run, when it
    ends (each score before and after)."""
    found = list(
        short_passes(exercise=exercise).values_list("pk", "report", "cases_total")
    )
    if not found:
        raise RegradeRefused("No submission passed on fewer results than cases.")
    ids = [pk for pk, _, _ in found]
    found = [(pk, (report or {}).get("total", 0), sent) for pk, report, sent in found]
    with transaction.atomic():
        run = RegradeRun.objects.create(
            created_by=actor if getattr(actor, "pk", None) else None,
            exercise=exercise,
            submission_ids=ids,
            total=len(ids),
            dry_run=False,
            never_lower=False,
            reason=FEWER_RESULTS_REASON,
        )
        audit.record(
            actor,
            "regrade.short_passes",
            target=run,
            summary=(
                f"Regrading {len(ids)} submission(s) that passed on fewer results "
                "than the cases they were sent; their scores follow the new grading."
            ),
            submissions=[
                {"submission": pk, "results": graded, "cases_sent": sent}
                for pk, graded, sent in found
            ],
        )
        transaction.on_commit(lambda: regrade_enqueue(run_id=run.pk))
    return run
