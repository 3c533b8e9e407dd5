"""The exercises app's models, one module per concept: the course's content,
quiz progress, code submissions and their regrades, the audit log."""

from exercises.models.audit import AuditEntry
from exercises.models.content import CodingExercise, Lecture, Question, Topic
from exercises.models.progress import HintUse, QuestionProgress, QuizAttempt
from exercises.models.submissions import RegradeChange, RegradeRun, Submission

__all__ = [
    "AuditEntry",
    "CodingExercise",
    "HintUse",
    "Lecture",
    "Question",
    "QuestionProgress",
    "QuizAttempt",
    "RegradeChange",
    "RegradeRun",
    "Submission",
    "Topic",
]
