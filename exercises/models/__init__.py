"""The exercises app's models, one module per concept: the course's content,
quiz progress, code submissions and their regrades, the audit log, problems
students report, and the tutoring layer's runs, rung attempts and hints."""

from exercises.models.audit import AuditEntry
from exercises.models.content import CodingExercise, Lecture, Question, Topic
from exercises.models.progress import HintUse, QuestionProgress, QuizAttempt
from exercises.models.reports import ProblemReport
from exercises.models.submissions import RegradeChange, RegradeRun, Submission
from exercises.models.tutoring import CodeRun, HintReveal, RungAttempt

__all__ = [
    "AuditEntry",
    "CodeRun",
    "CodingExercise",
    "HintReveal",
    "HintUse",
    "Lecture",
    "ProblemReport",
    "Question",
    "QuestionProgress",
    "QuizAttempt",
    "RegradeChange",
    "RegradeRun",
    "RungAttempt",
    "Submission",
    "Topic",
]
