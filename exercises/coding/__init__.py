"""The one home of code submissions: from a student's source to a stored,
student-facing report.

- `queue`: how every job on the grading queue is sent, claimed, swept and
  retried (a submission's grading, an own exercise's validation, a regrade).
- `grader`: the one adapter to the engine (one trip per grading, errors by type).
- `submissions`: creating, grading and sweeping students' submissions.
- `own_exercises`: instructors' own exercises, their validation in the
  sandbox and publishing.
- `regrade`: grading stored submissions again with the current engine.
- `report`: what a student sees of a report (policy, progress, figures).

Celery finds the tasks through `exercises.tasks`; each task is defined
beside the service it runs.
"""
