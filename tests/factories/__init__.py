"""factory_boy factories for every first-party model.

Optional fields keep the model's defaults (an exercise's engine spec is "iou",
so that it can be graded), so a factory called with the values a test cares
about builds the row the test would have written by hand. Traits name the rows
several tests share: the course's YOLO topic (`TopicFactory(yolo=True)`) and its
IoU exercise (`CodingExerciseFactory(iou=True)`), an instructor's own exercise
in a practice topic (`own=True`), a graded submission (`graded=True`).
"""

from tests.factories.content import (
    CENTRE_GENERATOR,
    CENTRE_REFERENCE,
    CENTRE_STARTER,
    CodingExerciseFactory,
    LectureFactory,
    QuestionFactory,
    TopicFactory,
)
from tests.factories.records import (
    IOU_SOURCE,
    HintUseFactory,
    QuestionProgressFactory,
    QuizAttemptFactory,
    SubmissionFactory,
)
from tests.factories.regrading import (
    AuditEntryFactory,
    RegradeChangeFactory,
    RegradeRunFactory,
)
from tests.factories.study import (
    ExamBlueprintFactory,
    MockExamFactory,
    MockExamItemFactory,
    PersonalSheetFactory,
    ReviewCardFactory,
)
from tests.factories.users import (
    PASSWORD,
    InstructorFactory,
    StudentFactory,
    UserFactory,
)

__all__ = [
    "CENTRE_GENERATOR",
    "CENTRE_REFERENCE",
    "CENTRE_STARTER",
    "IOU_SOURCE",
    "PASSWORD",
    "AuditEntryFactory",
    "CodingExerciseFactory",
    "ExamBlueprintFactory",
    "HintUseFactory",
    "InstructorFactory",
    "LectureFactory",
    "MockExamFactory",
    "MockExamItemFactory",
    "PersonalSheetFactory",
    "QuestionFactory",
    "QuestionProgressFactory",
    "QuizAttemptFactory",
    "RegradeChangeFactory",
    "RegradeRunFactory",
    "ReviewCardFactory",
    "StudentFactory",
    "SubmissionFactory",
    "TopicFactory",
    "UserFactory",
]
