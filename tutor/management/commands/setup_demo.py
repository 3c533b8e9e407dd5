from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils import timezone

from exercises.models import CodingExercise, Question, Topic
from exercises.roles import INSTRUCTORS, STUDENTS, ensure_roles
from tutor.courses.authoring import (
    assignment_publish,
    assignment_save,
    course_create,
    items_add,
)
from tutor.courses.membership import enrol
from tutor.courses.models import Assignment, Course, Membership

DEMO_COURSE = "demo"


class Command(BaseCommand):
    help = (
        "Create (or reset) a demo instructor and a demo student and print their "
        "credentials. For a local first run only."
    )

    def handle(self, *args: Any, **options: Any) -> str:
        ensure_roles()
        accounts = [
            (
                "instructor",
                os.environ.get("DEMO_INSTRUCTOR_PASSWORD", "instructor-demo"),
                INSTRUCTORS,
                True,
            ),
            (
                "student",
                os.environ.get("DEMO_STUDENT_PASSWORD", "student-demo"),
                STUDENTS,
                False,
            ),
        ]
        User = get_user_model()
        lines = []
        for username, password, group, staff in accounts:
            user, _ = User.objects.get_or_create(username=username)
            user.email = f"{username}@example.com"
            user.is_staff = staff
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            lines.append(
                f"  {group[:-1]:<10} username: {username:<11} password: {password}"
            )
        course = _demo_course(
            instructor=User.objects.get(username="instructor"),
            student=User.objects.get(username="student"),
        )
        return (
            "Demo accounts:\n"
            + "\n".join(lines)
            + f"\nDemo course: /courses/{course.code}/ (invite code {course.invite_code})"
        )


def _demo_course(*, instructor: Any, student: Any) -> Course:
    """A course the demo accounts are in, with one assignment due in a week
    (two questions and a coding exercise of lecture 6.10), unless it exists."""
    course = Course.objects.filter(code=DEMO_COURSE).first()
    if course is None:
        topics = Topic.objects.filter(slug="yolo")
        course = course_create(
            actor=instructor,
            code=DEMO_COURSE,
            title="Deep learning (demo)",
            term="Demo",
            topics=topics,
        )
    enrol(course=course, user=student, role=None, source=Membership.Source.STAFF)
    if course.assignments.exists():
        return course
    now = timezone.now()
    assignment = Assignment(
        course=course,
        slug="object-detection",
        title="Object detection: IoU and NMS",
        description="Two questions and one function to write, from lecture 6.10.",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=7),
        late_until=now + timedelta(days=9),
        late_penalty=0.2,
        max_attempts=3,
    )
    assignment_save(actor=instructor, assignment=assignment, created=True)
    questions = Question.objects.filter(topic__slug="yolo", is_published=True)[:2]
    exercises = CodingExercise.objects.filter(slug="iou", is_published=True)
    items_add(
        actor=instructor,
        assignment=assignment,
        questions=questions,
        exercises=exercises,
        points=1.0,
    )
    if assignment.items.exists():
        assignment_publish(actor=instructor, assignment=assignment, publish=True)
    return course
