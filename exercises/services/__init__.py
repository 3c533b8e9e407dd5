"""Write paths of the quizzes and the course's content (HackSoft style:
keyword-only, typed). Code submissions have their own home: exercises/coding/."""

from exercises.services.attempts import AttemptOutcome, attempt_submit, variant_seed

__all__ = ["AttemptOutcome", "attempt_submit", "variant_seed"]
