"""Item analysis per parameter value: the statistics by hand, the facets of a
variant, and a parameterised question's first attempts split by what it
drew (the course's head_parameter_count generator: a base network and its
feature count, chosen from the seed)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import cache

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from exercises.models import Question
from exercises.variants import Variant, variant_for
from tests.factories import (
    InstructorFactory,
    QuestionFactory,
    QuizAttemptFactory,
    StudentFactory,
)
from tests.factories.analysis import dated
from tutor.analysis import stats
from tutor.analysis.facets import (
    DECLARED,
    OTHER,
    shown_names,
    split,
    value_facets,
)
from tutor.analysis.parameters import (
    EASIER,
    HARDER,
    ItemParameters,
    Parameter,
    item_parameters,
)
from tutor.analysis.scope import Scope

SPEC = {"generator": "head_parameter_count", "tolerance": {"abs": 0.5}}
BASES = ("VGG16", "ResNet50", "DenseNet121", "MobileNetV2")
PROMPT = "A new head on {{ base }} ({{ C }} features). How many parameters?"


# ------------------------------------------------------------------ statistics


def test_it_shrinks_a_small_bucket_towards_the_items_facility() -> None:
    assert stats.shrunk_facility(0, 2, 0.7) == pytest.approx(0.56)
    assert stats.shrunk_facility(20, 20, 0.5) == pytest.approx(24 / 28)


def test_it_takes_one_newton_step_for_the_difficulty_shift() -> None:
    shift = stats.difficulty_shift([0.5] * 4, [False, False, False, True])
    assert shift is not None
    assert (shift.logits, shift.se) == pytest.approx((1.0, 1.0))  # (2 − 1) / 1
    assert stats.difficulty_shift([1.0, 0.0], [True, False]) is None


def test_it_calibrates_the_item_so_expected_right_matches_observed() -> None:
    abilities, correct = [-1.0, 0.0, 0.5, 2.0], [False, True, False, True]
    b = stats.item_difficulty(abilities, correct)
    assert sum(stats.sigmoid(t - b) for t in abilities) == pytest.approx(2.0)
    assert stats.item_difficulty([0.0, 1.0], [True, True]) == -stats.LOGIT_LIMIT
    assert stats.item_difficulty([0.0, 1.0], [False, False]) == stats.LOGIT_LIMIT


def test_it_controls_the_false_discovery_rate_benjamini_hochberg() -> None:
    # Sorted: .01 ≤ .025, .03 ≤ .05, .04 ≤ .075, .5 > .1.
    assert stats.benjamini_hochberg([0.01, 0.04, 0.03, 0.5], 0.1) == [
        True,
        True,
        True,
        False,
    ]
    # .06 would pass alone (≤ .1); among four no p₍ₖ₎ is ≤ k · .025.
    assert stats.benjamini_hochberg([0.06, 0.2, 0.3, 0.4], 0.1) == [False] * 4


def test_it_compares_the_strongest_and_weakest_27_percent() -> None:
    abilities = [float(i) for i in range(10)]
    correct = [i >= 7 for i in range(10)]  # the top three right
    assert stats.upper_lower_index(abilities, correct) == pytest.approx(1.0)
    assert stats.upper_lower_index(abilities, [True] * 10) == pytest.approx(0.0)
    assert stats.upper_lower_index([0.0], [True]) is None


def test_a_rest_score_gives_a_finite_ability() -> None:
    assert stats.rest_ability(0, 0) == 0.0
    assert stats.rest_ability(1, 1) == pytest.approx(math.log(2))
    assert stats.rest_ability(0, 1) == pytest.approx(-math.log(2))


# ---------------------------------------------------------------------- facets


def test_it_reads_the_names_the_student_sees() -> None:
    question = Question(
        prompt="Boxes {{ box_a|tex_tuple }} and {{box_b}}.",
        spec={
            "generator": "iou_pair",
            "options": [{"text": "{% for row in rows %}{{ row }}{% endfor %}"}],
            "parts": [{"name": "p", "label": "With {{ k }} classes"}],
        },
    )
    assert shown_names(question) == ("box_a", "tex_tuple", "box_b", "row", "rows", "k")


def test_it_turns_each_kind_of_value_into_facets() -> None:
    assert value_facets("flag", True) == {"flag": "yes"}
    assert value_facets("k", np.int64(7)) == {"k": 7.0}
    assert value_facets("word", "cat") == {"word": "cat"}
    assert value_facets("x", float("nan")) == {}
    assert value_facets("w", np.array([[0.0, -1.0], [2.0, 3.0]])) == {
        "w: shape": "2 × 2",
        "w: has a zero": "yes",
        "w: has a negative entry": "yes",
    }
    assert value_facets("words", ["a", "b", "c"]) == {"words: length": 3.0}
    assert value_facets("spec", {"a": 1}) == {}


def test_a_generator_may_declare_a_facet_of_its_own() -> None:
    nested = Variant(values={"box_a": [0, 0, 10, 10], "box_b": [2, 2, 5, 5]})
    crossing = Variant(values={"box_a": [0, 0, 10, 10], "box_b": [5, 5, 15, 15]})
    assert DECLARED["iou_pair"](nested) == {"boxes": "one inside the other"}
    assert DECLARED["iou_pair"](crossing) == {"boxes": "partly overlapping"}


def test_few_values_are_buckets_of_their_own_and_many_are_split_in_thirds() -> None:
    by_value = split([3.0, 1.0, 3.0, 2.0])
    assert by_value is not None and not by_value.by_thirds
    assert by_value.labels == ("1", "2", "3")
    thirds = split([float(v) for v in range(1, 10)])
    assert thirds is not None and thirds.by_thirds
    assert [thirds.of(float(v)) for v in (1, 3, 4, 6, 7, 9)] == [
        "≤ 3.667 (lowest third)",
        "≤ 3.667 (lowest third)",
        "over 3.667, up to 6.333 (middle third)",
        "over 3.667, up to 6.333 (middle third)",
        "over 6.333 (highest third)",
        "over 6.333 (highest third)",
    ]
    assert split([5.0, 5.0]) is None


def test_rare_words_share_one_bucket() -> None:
    words = [f"w{i:02d}" for i in range(12)] + ["w00"] * 5
    buckets = split(words)
    assert buckets is not None and len(buckets.labels) == 10
    assert buckets.labels[-1] == OTHER and buckets.of("w11") == OTHER
    assert buckets.of("w00") == "w00"


# ---------------------------------------------------------- first attempts in DB


@cache
def seeds_with(base: str, count: int) -> tuple[int, ...]:
    """The first `count` seeds whose variant draws `base`."""
    found: list[int] = []
    seed = 0
    while len(found) < count:
        if variant_for(SPEC, seed).values["base"] == base:
            found.append(seed)
        seed += 1
    return tuple(found)


@pytest.fixture
def question(db: None) -> Question:
    return QuestionFactory(slug="head", prompt=PROMPT, spec=SPEC)


def answer(user: User, question: Question, seed: int, right: bool) -> None:
    QuizAttemptFactory(user=user, question=question, seed=seed, is_correct=right)


def answer_bases(question: Question, plan: dict[str, list[bool]]) -> None:
    """Eight students share out each base's answers, one variant each."""
    students = [StudentFactory() for _ in range(8)]
    for base, marks in plan.items():
        for index, (seed, right) in enumerate(
            zip(seeds_with(base, len(marks)), marks, strict=True)
        ):
            answer(students[index % 8], question, seed, right)


def by_name(result: ItemParameters) -> dict[str, Parameter]:
    return {parameter.name: parameter for parameter in result.parameters}


@pytest.mark.django_db
def test_small_buckets_get_an_exact_shrunk_facility_and_no_flag(question) -> None:
    """p̄ = 6/8: VGG16 1 of 3 → (1 + 6)/11, ResNet50 5 of 5 → (5 + 6)/13."""
    answer_bases(question, {"VGG16": [True, False, False], "ResNet50": [True] * 5})
    result = item_parameters(question=question, scope=Scope())
    assert (result.answers, result.right) == (8, 6)
    base = by_name(result)["base"]
    assert [(b.label, b.n, b.right) for b in base.buckets] == [
        ("ResNet50", 5, 5),
        ("VGG16", 3, 1),
    ]
    assert base.buckets[1].shrunk == pytest.approx(7 / 11)
    assert base.buckets[0].shrunk == pytest.approx(11 / 13)
    assert not any(b.judged or b.flag for b in base.buckets)
    assert [b.label for b in by_name(result)["C"].buckets] == ["512", "2048"]
    assert result.flagged == ()


@pytest.mark.django_db
def test_a_base_far_harder_than_its_siblings_is_flagged(question) -> None:
    """Twelve answers per base, abilities all 0 (no other question), p̄ = 31/48:
    VGG16 1 of 12 right, δ = (12·p̄ − 1)/(12·p̄(1 − p̄)) ≈ 2.46 ± 0.60: flagged;
    each other base 10 of 12, δ ≈ −0.82: under a logit, not flagged."""
    plan = {"VGG16": [True] + [False] * 11}
    for base in ("DenseNet121", "MobileNetV2", "ResNet50"):
        plan[base] = [True] * 10 + [False] * 2
    answer_bases(question, plan)
    result = item_parameters(question=question, scope=Scope())
    p = 31 / 48
    buckets = {b.label: b for b in by_name(result)["base"].buckets}
    hard = buckets["VGG16"]
    assert hard.shift is not None
    assert hard.shift.logits == pytest.approx((12 * p - 1) / (12 * p * (1 - p)))
    assert hard.shift.se == pytest.approx(1 / math.sqrt(12 * p * (1 - p)))
    assert hard.flag == HARDER and hard.judged
    assert hard.shrunk == pytest.approx((1 + 8 * p) / 20)
    for label in ("DenseNet121", "MobileNetV2", "ResNet50"):
        shift = buckets[label].shift
        assert shift is not None and shift.logits == pytest.approx(
            (12 * p - 10) / (12 * p * (1 - p))
        )
        assert buckets[label].flag == ""
    flagged = [(name, b.label, b.flag) for name, b in result.flagged]
    assert sorted(flagged) == [("C", "512", HARDER), ("base", "VGG16", HARDER)]
    assert hard.discrimination is None  # under 20 answers


@pytest.mark.django_db
def test_a_base_far_easier_than_its_siblings_is_flagged(question) -> None:
    """p̄ = 1/2: VGG16 12 of 12, δ = (6 − 12)/3 = −2 ± 0.58; the others 4 of
    12, δ = (6 − 4)/3 ≈ 0.67: not flagged."""
    plan = {base: [True] * 4 + [False] * 8 for base in BASES[1:]}
    answer_bases(question, {"VGG16": [True] * 12, **plan})
    result = item_parameters(question=question, scope=Scope())
    buckets = {b.label: b for b in by_name(result)["base"].buckets}
    assert buckets["VGG16"].shift is not None
    assert buckets["VGG16"].shift.logits == pytest.approx(-2.0)
    assert buckets["VGG16"].flag == EASIER
    assert [buckets[base].flag for base in BASES[1:]] == ["", "", ""]


@pytest.mark.django_db
def test_the_shift_allows_for_who_drew_the_value(question) -> None:
    """s1 is right on another question (ability ln 2), s2 wrong (−ln 2); the
    item's difficulty is 0 by symmetry, so s1 was expected right with 2/3:
    δ(s1's base) = (2/3 − 1)/(2/9) = −1.5, δ(s2's base) = +1.5, SE = 3/√2."""
    other = QuestionFactory(slug="other")
    s1, s2 = StudentFactory(), StudentFactory()
    answer(s1, other, 0, True)
    answer(s2, other, 0, False)
    answer(s1, question, seeds_with("VGG16", 1)[0], True)
    answer(s2, question, seeds_with("ResNet50", 1)[0], False)
    result = item_parameters(question=question, scope=Scope())
    assert result.difficulty == pytest.approx(0.0, abs=1e-9)
    shifts = {b.label: b.shift for b in by_name(result)["base"].buckets}
    assert shifts["VGG16"] is not None and shifts["ResNet50"] is not None
    assert shifts["VGG16"].logits == pytest.approx(-1.5)
    assert shifts["ResNet50"].logits == pytest.approx(1.5)
    assert shifts["VGG16"].se == pytest.approx(3 / math.sqrt(2))
    assert result.discrimination == pytest.approx(1.0)


@pytest.mark.django_db
def test_only_students_first_attempts_in_the_days_chosen_count(question) -> None:
    student, staff = StudentFactory(), InstructorFactory()
    vgg, resnet, dense = (seeds_with(base, 1)[0] for base in BASES[:3])
    answer(student, question, vgg, False)
    answer(student, question, vgg, True)  # a retry at the same variant
    answer(student, question, resnet, True)
    answer(staff, question, dense, True)
    old = StudentFactory()
    QuizAttemptFactory(user=old, question=question, seed=dense, is_correct=True)
    dated(old.quiz_attempts.get(), timezone.now() - timedelta(days=30))
    today = timezone.localdate()
    result = item_parameters(
        question=question, scope=Scope(start=today - timedelta(days=1), end=today)
    )
    assert (result.answers, result.right) == (2, 1)
    everyone = item_parameters(question=question, scope=Scope())
    assert (everyone.answers, everyone.right) == (3, 2)
    only_old = Scope(users=User.objects.filter(pk=old.pk))
    assert item_parameters(question=question, scope=only_old).answers == 1
    assert (
        item_parameters(question=question, scope=Scope(end=date(2000, 1, 1))).answers
        == 0
    )


@pytest.mark.django_db
def test_the_read_is_capped_at_the_latest_first_attempts(question) -> None:
    student = StudentFactory()
    for seed in seeds_with("VGG16", 3):
        answer(student, question, seed, True)
    answer(student, question, seeds_with("ResNet50", 1)[0], False)
    result = item_parameters(question=question, scope=Scope(), limit=2)
    assert result.capped and (result.answers, result.right) == (2, 1)
    assert not item_parameters(question=question, scope=Scope(), limit=4).capped


@pytest.mark.django_db
def test_a_variant_that_cannot_be_rebuilt_is_counted_and_left_out() -> None:
    broken = QuestionFactory(prompt="{{ n }}?", spec={"generator": "no-such-generator"})
    answer(StudentFactory(), broken, 1, True)
    result = item_parameters(question=broken, scope=Scope())
    assert (result.answers, result.unbuilt, result.parameters) == (0, 1, ())
