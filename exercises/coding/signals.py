"""What the rest of the site may listen to from the grading queue, without
exercises/ ever importing it (courses and the LMS link react to scores)."""

from django.dispatch import Signal

# Sent with `submission_id` once a submission's score is stored: graded by a
# worker, or changed by an applied regrade.
submission_scored = Signal()

# Sent with `attempt_id` once a ladder rung attempt (faded example or Parsons
# problem) has its verdict stored.
rung_checked = Signal()

# Sent with `reveal_id` when a student opens a level of a code hint ladder.
hint_revealed = Signal()
