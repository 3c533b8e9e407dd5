"""The course: lectures, topics, questions and coding exercises."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from exercises.models import CodingExercise, Lecture, Question, Topic

# An instructor's own exercise: the reference, the case generator and the starter.
CENTRE_GENERATOR = """\
import numpy as np

def cases(seed):
    rng = np.random.default_rng(seed)
    return [
        {"inputs": {"x": [1.0, 2.0, 3.0]}, "label": "edge: small"},
        {"inputs": {"x": rng.normal(size=4)}, "label": "random", "hidden": seed == 2},
    ]
"""
CENTRE_REFERENCE = """\
import numpy as np

def centre(x):
    x = np.asarray(x, dtype=float)
    return x - x.mean()
"""
CENTRE_STARTER = "def centre(x):\n    raise NotImplementedError\n"


class LectureFactory(DjangoModelFactory[Lecture]):
    class Meta:
        model = Lecture

    # Above the course bank's lecture numbers, which a test may load as well.
    number = factory.Sequence(lambda n: 100 + n)
    slug = factory.LazyAttribute(lambda lecture: f"lecture-{lecture.number}")
    title = factory.LazyAttribute(lambda lecture: f"Lecture {lecture.number}")


class TopicFactory(DjangoModelFactory[Topic]):
    class Meta:
        model = Topic

    class Params:
        yolo = factory.Trait(
            lecture=factory.SubFactory(LectureFactory, number=6, title="CNNs"),
            code="6.10",
            slug="yolo",
            title="YOLO",
        )
        practice = factory.Trait(
            lecture=factory.SubFactory(LectureFactory, number=9, title="Practice"),
            code="9.1",
            slug="practice",
            title="Practice",
            order=1,
        )

    lecture = factory.SubFactory(LectureFactory)
    code = factory.LazyAttributeSequence(lambda t, n: f"{t.lecture.number}.{n + 1}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.Sequence(lambda n: f"Topic {n}")


class QuestionFactory(DjangoModelFactory[Question]):
    """A numeric question whose answer is 1."""

    class Meta:
        model = Question

    topic = factory.SubFactory(TopicFactory)
    slug = factory.Sequence(lambda n: f"question-{n}")
    kind = Question.Kind.NUMERIC
    prompt = "How many?"
    spec = factory.LazyFunction(lambda: {"answer": 1})
    is_published = True  # the model's default is a draft


class CodingExerciseFactory(DjangoModelFactory[CodingExercise]):
    """An exercise graded by an engine spec (the IoU one unless told otherwise).
    `own`: an instructor's own exercise, `centre(x)`, in the practice topic, not
    yet validated nor published."""

    class Meta:
        model = CodingExercise

    class Params:
        iou = factory.Trait(
            topic=factory.SubFactory(TopicFactory, yolo=True),
            slug="iou",
            title="IoU",
            prompt="Write iou.",
        )
        own = factory.Trait(
            topic=factory.SubFactory(TopicFactory, practice=True),
            slug="centre",
            title="Centre a vector",
            prompt="Write `centre(x)`: subtract the mean.",
            engine_spec="",
            entry_point="centre",
            reference_solution=CENTRE_REFERENCE,
            case_generator=CENTRE_GENERATOR,
            starter_code=CENTRE_STARTER,
            tolerance=factory.LazyFunction(lambda: {"abs": 1e-9, "rel": 1e-9}),
            hints=factory.LazyFunction(lambda: ["The mean of x is x.mean()."]),
            is_published=False,
        )

    topic = factory.SubFactory(TopicFactory)
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    title = factory.Sequence(lambda n: f"Exercise {n}")
    prompt = "Write the function."
    engine_spec = "iou"
    is_published = True  # the model's default is a draft; `own` is unpublished
