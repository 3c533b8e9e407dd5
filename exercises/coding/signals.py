"""What the rest of the site may listen to from the grading queue, without
exercises/ ever importing it (courses and the LMS link react to scores)."""

from django.dispatch import Signal

# Sent with `submission_id` once a submission's score is stored: graded by a
# worker, or changed by an applied regrade.
submission_scored = Signal()
