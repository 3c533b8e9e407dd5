"""What students do: quiz attempts, submissions, progress and hints."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from exercises.models import HintUse, QuestionProgress, QuizAttempt, Submission
from tests.factories.content import CodingExerciseFactory, QuestionFactory
from tests.factories.users import StudentFactory

# A correct solution of the course's IoU exercise (engine spec "iou").
IOU_SOURCE = (
    "def iou(a, b):\n"
    "    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))\n"
    "    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    i = w * h\n"
    "    return i / ((a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i)\n"
)


class QuizAttemptFactory(DjangoModelFactory[QuizAttempt]):
    class Meta:
        model = QuizAttempt

    user = factory.SubFactory(StudentFactory)
    question = factory.SubFactory(QuestionFactory)
    seed = 0
    answer = factory.LazyFunction(dict)
    is_correct = True
    score = factory.LazyAttribute(lambda attempt: float(attempt.is_correct))


class SubmissionFactory(DjangoModelFactory[Submission]):
    """Queued, as a student's submission starts. `graded` stores a grading's
    result: a score and a report with `verdict` (a parameter) and that score."""

    class Meta:
        model = Submission

    class Params:
        verdict = "passed"
        graded = factory.Trait(
            status=Submission.Status.DONE,
            score=factory.LazyAttribute(lambda s: float(s.verdict == "passed")),
            report=factory.LazyAttribute(
                lambda s: {"verdict": s.verdict, "score": s.score}
            ),
        )

    user = factory.SubFactory(StudentFactory)
    exercise = factory.SubFactory(CodingExerciseFactory)
    source = IOU_SOURCE


class QuestionProgressFactory(DjangoModelFactory[QuestionProgress]):
    class Meta:
        model = QuestionProgress

    user = factory.SubFactory(StudentFactory)
    question = factory.SubFactory(QuestionFactory)


class HintUseFactory(DjangoModelFactory[HintUse]):
    class Meta:
        model = HintUse

    user = factory.SubFactory(StudentFactory)
    question = factory.SubFactory(QuestionFactory)
    seed = 0
    index = 0
