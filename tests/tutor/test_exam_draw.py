"""The mock exam's draw: a random paper spread evenly over the topics (counts
per topic differ by at most one), random in which topics get the extra and
within each topic, the same for the same Random; a blueprint's rules as
written; the exams page saying what the draw does."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises.models import Question
from tests.factories import ExamBlueprintFactory
from tutor import services
from tutor.exam_results import paper_plan, random_plan
from tutor.services import _draw_questions, balanced_draw

SEEDS = range(300)


def _spread(counts: Counter[int], pools: dict[int, list[int]]) -> int:
    """The largest difference in numbers drawn between pools not run dry."""
    open_pools = [key for key in pools if counts[key] < len(pools[key])]
    if not open_pools:
        return 0
    drawn = [counts[key] for key in pools]
    return max(drawn) - min(counts[key] for key in open_pools)


# A loaded machine must not fail the test: no deadline, no speed check.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=12),
    count=st.integers(min_value=0, max_value=60),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_it_draws_evenly_from_every_pool(
    sizes: list[int], count: int, seed: int
) -> None:
    pools = {
        key: [key * 100 + n for n in range(size)] for key, size in enumerate(sizes)
    }
    drawn = balanced_draw(pools, count, random.Random(seed))
    assert len(drawn) == min(count, sum(sizes))
    assert len(set(drawn)) == len(drawn)
    counts = Counter(item // 100 for item in drawn)
    assert _spread(counts, pools) <= 1
    assert drawn == balanced_draw(pools, count, random.Random(seed))


def test_it_chooses_at_random_which_pools_get_the_extra_one() -> None:
    pools = {key: list(range(key * 10, key * 10 + 5)) for key in range(4)}
    extras = set()
    for seed in SEEDS:
        counts = Counter(
            item // 10 for item in balanced_draw(pools, 6, random.Random(seed))
        )
        assert sorted(counts.values()) == [1, 1, 2, 2]
        extras.add(frozenset(key for key, n in counts.items() if n == 2))
    assert len(extras) == 6  # every pair of the four pools, over 300 seeds


@pytest.mark.django_db
def test_a_random_paper_takes_one_question_from_each_of_ten_topics(
    course: None,
) -> None:
    papers = {}
    for seed in range(60):
        paper = _draw_questions(None, random.Random(seed))
        topics = Counter(question.topic_id for question in paper)
        assert len(paper) == services.RANDOM_PAPER_SIZE
        assert max(topics.values()) - min(topics.values()) <= 1
        assert len(topics) == services.RANDOM_PAPER_SIZE  # 19 topics: one each
        assert all(question.is_published for question in paper)
        papers[seed] = [question.pk for question in paper]
    assert len({tuple(paper) for paper in papers.values()}) == 60
    again = _draw_questions(None, random.Random(59))
    assert [question.pk for question in again] == papers[59]


@pytest.mark.django_db
def test_a_blueprint_without_rules_spreads_its_count_over_every_topic(
    course: None,
) -> None:
    blueprint = ExamBlueprintFactory(random_count=45, rules=[])
    topics = Question.objects.filter(is_published=True).values("topic").distinct()
    for seed in range(10):
        paper = _draw_questions(blueprint, random.Random(seed))
        counts = Counter(question.topic_id for question in paper)
        assert len(paper) == 45 and len(counts) == topics.count() == 19
        assert sorted(set(counts.values())) == [2, 3]  # 45 = 19 × 2 + 7


@pytest.mark.django_db
def test_a_blueprints_rules_still_decide_the_paper(course: None) -> None:
    blueprint = ExamBlueprintFactory(
        rules=[{"topic": "6.10", "count": 2}, {"topic": "7.2", "count": 1}]
    )
    seen = set()
    for seed in range(40):
        paper = _draw_questions(blueprint, random.Random(seed))
        assert [q.topic.code for q in paper] == ["6.10", "6.10", "7.2"]
        seen.add(tuple(q.pk for q in paper))
    assert len(seen) > 1


def test_the_plan_says_what_the_draw_does() -> None:
    assert random_plan(10, 19) == (
        "10 questions, each from a different topic: 10 of the 19 topics, "
        "chosen at random."
    )
    assert (
        random_plan(38, 19) == "38 questions: 2 questions from each of the 19 topics."
    )
    assert random_plan(45, 19) == (
        "45 questions spread over all 19 topics: 2 or 3 from each, "
        "the topics that get 3 chosen at random."
    )
    assert random_plan(5, 0).startswith("There are no published questions")


@pytest.mark.django_db
def test_the_exams_page_describes_each_paper(
    student_client: Client, course: None
) -> None:
    blueprint = ExamBlueprintFactory(
        name="YOLO and TF-IDF",
        duration_minutes=15,
        rules=[{"topic": "6.10", "count": 2}, {"topic": "7.2", "count": 1}],
    )
    page = student_client.get("/exams/").content.decode()
    assert "10 questions from every topic" not in page
    assert paper_plan(None, 19) in page
    assert (
        "3 questions: 2 from 6.10 YOLO: cells, IoU and non-max suppression, "
        "1 from 7.2 TF-IDF. 15 minutes."
    ) in page
    assert paper_plan(blueprint, 19).endswith("15 minutes.")
