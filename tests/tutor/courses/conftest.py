"""Fixtures of the courses tests: a published assignment with a question item
worth two points and a coding item worth three."""

from __future__ import annotations

import pytest

from tests.factories.courses import AssignmentFactory, AssignmentItemFactory
from tutor.courses.models import Assignment, AssignmentItem


@pytest.fixture
def assignment(db: None) -> Assignment:
    return AssignmentFactory(published=True)


@pytest.fixture
def question_item(assignment: Assignment) -> AssignmentItem:
    return AssignmentItemFactory(assignment=assignment, points=2.0)


@pytest.fixture
def coding_item(assignment: Assignment) -> AssignmentItem:
    return AssignmentItemFactory(assignment=assignment, coding=True, points=3.0)
