"""Write paths of the course staff: creating a course and its assignments,
picking their items from the topic tree, publishing, and who is in it.
Every change is an audit entry (exercises.audit)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet

from exercises import audit
from exercises.models import CodingExercise, Lecture, Question, Topic
from exercises.roles import INSTRUCTORS
from exercises.selectors import EXERCISE_OPEN
from tutor.courses.membership import enrol
from tutor.courses.models import Assignment, AssignmentItem, Course, Membership
from tutor.courses.models import invite_code as new_invite_code

# Paths under /courses/ that a course code must not take.
RESERVED_CODES = frozenset({"new", "join", "staff"})


class AuthoringRefused(Exception):
    """A change the course staff asked for that cannot be made; says why."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def may_create_course(user: Any) -> bool:
    """Site staff and the instructors group create courses (and then teach them)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(
        user.is_staff
        or user.is_superuser
        or user.groups.filter(name=INSTRUCTORS).exists()
    )


def course_create(
    *, actor: Any, code: str, title: str, term: str, topics: Iterable[Topic]
) -> Course:
    """A course with its creator as its instructor."""
    try:
        with transaction.atomic():
            course = Course.objects.create(code=code, title=title, term=term)
            course.topics.set(list(topics))
            enrol(
                course=course,
                user=actor,
                role=Membership.Role.INSTRUCTOR,
                source=Membership.Source.STAFF,
            )
    except IntegrityError:
        raise AuthoringRefused(f"A course with the code “{code}” exists.") from None
    audit.record(actor, "course.create", course, f"created {course.code}")
    return course


def course_update(*, actor: Any, course: Course, changes: dict[str, Any]) -> Course:
    topics = changes.pop("topics", None)
    for name, value in changes.items():
        setattr(course, name, value)
    course.save()
    if topics is not None:
        course.topics.set(list(topics))
    audit.record(
        actor, "course.change", course, "edited the course", fields=list(changes)
    )
    return course


def invite_regenerate(*, actor: Any, course: Course) -> str:
    """A new invite code: the old code and link stop working."""
    for _ in range(5):
        code = new_invite_code()
        if not Course.objects.filter(invite_code=code).exists():
            break
    course.invite_code = code
    course.save(update_fields=["invite_code"])
    audit.record(actor, "course.invite", course, "made a new invite code")
    return code


def member_update(
    *, actor: Any, membership: Membership, role: str, time_multiplier: float
) -> Membership:
    """Change a member's role or accommodation; the last instructor stays one."""
    if (
        membership.role == Membership.Role.INSTRUCTOR
        and role != Membership.Role.INSTRUCTOR
        and _instructors(membership.course).count() <= 1
    ):
        raise AuthoringRefused("The course's last instructor must stay one.")
    old = {"role": membership.role, "time_multiplier": membership.time_multiplier}
    membership.role = role
    membership.time_multiplier = time_multiplier
    membership.save(update_fields=["role", "time_multiplier"])
    audit.record(
        actor,
        "course.member",
        membership.course,
        f"{membership.user.get_username()}: {membership.get_role_display()}, "
        f"time ×{time_multiplier:g}",
        old=old,
        new={"role": role, "time_multiplier": time_multiplier},
    )
    return membership


def member_remove(*, actor: Any, membership: Membership) -> None:
    """Take a member out of the course (their work stays in the database)."""
    if (
        membership.role == Membership.Role.INSTRUCTOR
        and _instructors(membership.course).count() <= 1
    ):
        raise AuthoringRefused("The course's last instructor cannot be removed.")
    name = membership.user.get_username()
    membership.delete()
    audit.record(actor, "course.remove", membership.course, f"removed {name}")


def _instructors(course: Course) -> QuerySet[Membership]:
    return Membership.objects.filter(course=course, role=Membership.Role.INSTRUCTOR)


# --- Assignments ------------------------------------------------------------------


def assignment_save(*, actor: Any, assignment: Assignment, created: bool) -> Assignment:
    """Store an assignment built by the form (its fields already checked)."""
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise AuthoringRefused(
            f"This course already has an assignment “{assignment.slug}”."
        ) from None
    action = "assignment.create" if created else "assignment.change"
    audit.record(actor, action, assignment, f"saved {assignment.title}")
    return assignment


def assignment_publish(*, actor: Any, assignment: Assignment, publish: bool) -> None:
    """Show the assignment to the course's students, or hide it again (work
    already recorded stays)."""
    if publish and not assignment.items.exists() and assignment.blueprint_id is None:
        raise AuthoringRefused(
            "Add a question, a coding exercise or a mock exam before publishing."
        )
    assignment.is_published = publish
    assignment.save(update_fields=["is_published"])
    audit.record(
        actor,
        "assignment.publish" if publish else "assignment.unpublish",
        assignment,
        ("published " if publish else "unpublished ") + assignment.title,
    )


def items_add(
    *,
    actor: Any,
    assignment: Assignment,
    questions: Iterable[Question],
    exercises: Iterable[CodingExercise],
    points: float,
) -> list[AssignmentItem]:
    """Add questions and coding exercises at the end (each once)."""
    have_q = set(assignment.items.values_list("question_id", flat=True))
    have_x = set(assignment.items.values_list("exercise_id", flat=True))
    last = assignment.items.aggregate(last=Max("order"))["last"]
    order = 0 if last is None else last + 1
    added = []
    with transaction.atomic():
        for question in questions:
            if question.pk not in have_q:
                added.append(_item(assignment, order, points, question=question))
                order += 1
        for exercise in exercises:
            if exercise.pk not in have_x:
                added.append(_item(assignment, order, points, exercise=exercise))
                order += 1
    if added:
        audit.record(
            actor,
            "assignment.items",
            assignment,
            f"added {len(added)} item{'s' if len(added) != 1 else ''}",
            items=[str(item) for item in added],
        )
    return added


def _item(
    assignment: Assignment, order: int, points: float, **content: Any
) -> AssignmentItem:
    return AssignmentItem.objects.create(
        assignment=assignment, order=order, points=points, **content
    )


@dataclass(frozen=True)
class ItemChange:
    item: AssignmentItem
    points: float
    order: int
    remove: bool


def items_update(
    *, actor: Any, assignment: Assignment, changes: list[ItemChange]
) -> None:
    """New points and order; items with work cannot be removed (their
    attempts would lose their place)."""
    removed = [c.item for c in changes if c.remove]
    with_work = [item for item in removed if item.work.exists()]
    if with_work:
        raise AuthoringRefused(
            f"“{with_work[0]}” has students' work: it cannot be removed "
            "(set its points instead)."
        )
    with transaction.atomic():
        for change in changes:
            if change.remove:
                change.item.delete()
            else:
                change.item.points, change.item.order = change.points, change.order
                change.item.save(update_fields=["points", "order"])
    audit.record(
        actor,
        "assignment.items",
        assignment,
        "changed points and order" + (f", removed {len(removed)}" if removed else ""),
    )


# --- The topic tree ----------------------------------------------------------------


@dataclass(frozen=True)
class TopicBranch:
    topic: Topic
    questions: list[Question]
    exercises: list[CodingExercise]


def topic_tree(course: Course) -> list[tuple[Lecture, list[TopicBranch]]]:
    """Lectures → topics → published questions and open coding exercises;
    only the course's topics when it lists any."""
    topics = Topic.objects.select_related("lecture").order_by(
        "lecture__number", "order", "code"
    )
    if course.topics.exists():
        topics = topics.filter(pk__in=course.topics.values("pk"))
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.filter(is_published=True, topic__in=topics):
        questions.setdefault(question.topic_id, []).append(question)
    exercises: dict[int, list[CodingExercise]] = {}
    for exercise in CodingExercise.objects.filter(EXERCISE_OPEN, topic__in=topics):
        exercises.setdefault(exercise.topic_id, []).append(exercise)
    tree: dict[int, tuple[Lecture, list[TopicBranch]]] = {}
    for topic in topics:
        branch = TopicBranch(
            topic, questions.get(topic.pk, []), exercises.get(topic.pk, [])
        )
        tree.setdefault(topic.lecture_id, (topic.lecture, []))[1].append(branch)
    return list(tree.values())


def allowed_questions(course: Course) -> QuerySet[Question]:
    """What the tree offers: the items that may be added to the course's work."""
    questions = Question.objects.filter(is_published=True)
    if course.topics.exists():
        questions = questions.filter(topic__in=course.topics.all())
    return questions


def allowed_exercises(course: Course) -> QuerySet[CodingExercise]:
    exercises = CodingExercise.objects.filter(EXERCISE_OPEN)
    if course.topics.exists():
        exercises = exercises.filter(topic__in=course.topics.all())
    return exercises
