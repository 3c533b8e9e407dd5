"""The ladder's pages: the rung strip, the worked, faded and Parsons pages,
checking an answer (bad input is a 4xx and no attempt) and its verdict."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from engine.ladder import get_ladder
from exercises.coding import ladder as rungs
from exercises.models import CodingExercise, RungAttempt
from tests.factories import CodingExerciseFactory, SubmissionFactory
from tests.factories.ladder import (
    RungAttemptFactory,
    failed_report,
    model_blanks,
    solution_blocks,
    with_distractor,
)

pytestmark = pytest.mark.django_db
LADDER = get_ladder("iou")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def exercise() -> CodingExercise:
    return CodingExerciseFactory(iou=True)


def _url(name: str, exercise: CodingExercise) -> str:
    return reverse(name, args=[exercise.slug])


def _seed(client: Client, exercise: CodingExercise) -> int:
    """The seed of the variant the page shows: the page carries only a keyed
    token for it, never the seed itself (block ids follow from the seed)."""
    page = client.get(_url("ladder-parsons", exercise)).content.decode()
    token = re.search(r'name="variant" value="([0-9a-f]+)"', page).group(1)
    user = User.objects.get(pk=client.session["_auth_user_id"])
    seed = rungs.rung_seed(user=user, exercise=exercise, rung="parsons")
    assert rungs.variant_token(seed) == token
    assert str(seed) not in page
    return seed


def _parsons_post(placed, seed: int, **extra: str) -> dict[str, object]:
    return {
        "variant": rungs.variant_token(seed),
        "block": [block for block, _ in placed],
        "indent": [str(indent) for _, indent in placed],
        **extra,
    }


def test_it_shows_the_worked_example_with_subgoals_and_whys(
    student_client, exercise
) -> None:
    page = student_client.get(_url("ladder-worked", exercise)).content.decode()
    for line in LADDER.lines:
        assert line.text.replace("'", "&#x27;") in page
        assert line.why.replace("'", "&#x27;") in page
        assert line.subgoal in page
    assert exercise.prompt in page
    assert re.search(r'aria-current="page">\s*<span class="rung-title">Worked', page)


def test_the_exercise_page_has_the_strip_with_each_rungs_state(
    student, student_client, exercise
) -> None:
    RungAttemptFactory(
        user=student, exercise=exercise, faded=True, checked=True, passed=False
    )
    RungAttemptFactory(user=student, exercise=exercise, checked=True)
    SubmissionFactory(user=student, exercise=exercise, graded=True, verdict="failed")
    student_client.get(_url("ladder-worked", exercise))
    page = student_client.get(_url("exercise", exercise)).content.decode()
    strip = page[
        page.index('class="rung-strip"') : page.index(
            "</nav>", page.index('class="rung-strip"')
        )
    ]
    states = re.findall(
        r'rung-title">([^<]+)</span>\s*<span class="rung-state[^"]*">'
        r"(?:✓ )?([^<]+)<",
        strip,
    )
    assert states == [
        ("Worked example", "read"),
        ("Faded example", "tried"),
        ("Parsons problem", "passed"),
        ("Implement", "tried"),
    ]
    assert re.search(
        r'aria-current="page">\s*<span class="rung-title">Implement', strip
    )


@pytest.mark.parametrize("name", ["ladder-worked", "ladder-faded", "ladder-parsons"])
def test_an_exercise_without_a_ladder_has_no_rung_pages_and_no_strip(
    student_client, name: str
) -> None:
    own = CodingExerciseFactory(own=True, validation_status="passed", is_published=True)
    assert student_client.get(_url(name, own)).status_code == 404
    page = student_client.get(_url("exercise", own)).content.decode()
    assert "rung-strip" not in page


def test_the_faded_page_labels_each_blank_and_never_shows_its_text(
    student_client, exercise
) -> None:
    page = student_client.get(_url("ladder-faded", exercise) + "?level=2")
    html = page.content.decode()
    for blank_id, text in model_blanks(LADDER, 2).items():
        assert f'<label for="blank-{blank_id}">' in html
        assert f'id="blank-{blank_id}"' in html
        assert text not in html
    assert re.search(r'aria-current="page">Level 2<', html)


@pytest.mark.parametrize("level", ["0", "9", "x", "1e3"])
def test_a_level_that_does_not_exist_is_a_400(student_client, exercise, level) -> None:
    response = student_client.get(_url("ladder-faded", exercise), {"level": level})
    assert response.status_code == 400
    assert b"levels 1 to 3" in response.content


@pytest.mark.parametrize(
    ("blank", "words"),
    [("", b"is empty"), ("max(0.0,", b""), ("x = 1", b""), ("y" * 201, b"201")],
)
def test_a_blank_that_cannot_run_is_a_400_and_no_attempt(
    student_client, exercise, blank: str, words: bytes
) -> None:
    response = student_client.post(
        _url("ladder-faded-check", exercise), {"level": "1", "blank-b1": blank}, **HTMX
    )
    assert response.status_code == 400 and words in response.content
    assert not RungAttempt.objects.exists()


def test_a_right_faded_answer_is_graded_for_real_and_passes(
    student, student_client, exercise, django_capture_on_commit_callbacks
) -> None:
    blanks = {f"blank-{k}": v for k, v in model_blanks(LADDER, 3).items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post(
            _url("ladder-faded-check", exercise), {"level": "3", **blanks}
        )
    attempt = RungAttempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rung-attempt", args=[attempt.pk])
    assert attempt.passed is True and attempt.status == "done" and attempt.is_first
    assert attempt.answer == {"level": 3, "blanks": model_blanks(LADDER, 3)}
    page = student_client.get(response["Location"]).content.decode()
    assert "✓ Passed." in page and "Parsons problem" in page


def test_a_wrong_answer_shows_the_mistake_and_the_visible_case_only(
    student_client, exercise, django_capture_on_commit_callbacks
) -> None:
    with (
        mock.patch("engine.grade", return_value=failed_report()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = student_client.post(
            _url("ladder-faded-check", exercise),
            {"level": "1", "blank-b1": "(x2 - x1) * (y2 - y1)"},
            **HTMX,
        )
    assert response.status_code == 201
    attempt = RungAttempt.objects.get()
    assert attempt.passed is False and attempt.mistake_id == "iou-no-clamp"
    status = student_client.get(reverse("rung-attempt-status", args=[attempt.pk]))
    html = status.content.decode()
    assert "Known mistake: No clamp at zero" in html
    assert "First failing case: edge 2" in html
    assert "9.5" not in html and "random 5" not in html.split("First failing")[1][:200]
    assert "1 hidden case failed" in html


def test_while_checking_a_poll_gets_no_content(
    student, student_client, exercise
) -> None:
    attempt = RungAttemptFactory(user=student, exercise=exercise)
    url = reverse("rung-attempt-status", args=[attempt.pk])
    assert student_client.get(url, **HTMX).status_code == 204
    page = student_client.get(url).content.decode()
    assert "Checking" in page and 'hx-trigger="every 1s"' in page


def test_a_check_that_failed_says_why(student, student_client, exercise) -> None:
    attempt = RungAttemptFactory(
        user=student, exercise=exercise, status="error", error_message="It broke."
    )
    page = student_client.get(reverse("rung-attempt", args=[attempt.pk]))
    assert page.status_code == 200 and b"It broke." in page.content


def test_another_students_answer_is_a_404(
    other_student, student_client, exercise
) -> None:
    attempt = RungAttemptFactory(user=other_student, exercise=exercise, checked=True)
    for name in ("rung-attempt", "rung-attempt-status"):
        assert student_client.get(reverse(name, args=[attempt.pk])).status_code == 404


def test_the_parsons_page_groups_pairs_and_has_a_plain_form(
    student_client, exercise
) -> None:
    page = student_client.get(_url("ladder-parsons", exercise)).content.decode()
    assert page.count('role="group"') == len(LADDER.distractors)
    assert 'aria-label="pick one of 2"' in page
    assert page.count('role="option"') == len(LADDER.lines) + len(LADDER.distractors)
    assert page.count('<select id="line-') == len(LADDER.lines) + len(
        LADDER.distractors
    )
    assert 'role="listbox"' in page and 'role="toolbar"' in page


def test_a_solved_parsons_passes_for_real_and_brings_a_new_variant(
    student, student_client, exercise, django_capture_on_commit_callbacks
) -> None:
    seed = _seed(student_client, exercise)
    placed = solution_blocks(LADDER, seed)
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post(
            _url("ladder-parsons-check", exercise), _parsons_post(placed, seed), **HTMX
        )
    assert response.status_code == 201
    attempt = RungAttempt.objects.get()
    assert attempt.passed is True and attempt.seed == seed and attempt.is_first
    assert attempt.answer["order_ok"] is True
    assert _seed(student_client, exercise) != seed


def test_a_placed_distractor_is_its_named_mistake(
    student_client, exercise, django_capture_on_commit_callbacks
) -> None:
    seed = _seed(student_client, exercise)
    placed, mistake = with_distractor(LADDER, seed, 0)
    with django_capture_on_commit_callbacks(execute=True):
        student_client.post(
            _url("ladder-parsons-check", exercise), _parsons_post(placed, seed)
        )
    attempt = RungAttempt.objects.get()
    assert attempt.passed is False and attempt.mistake_id == mistake
    assert attempt.answer["distractors_used"] == [mistake]
    for case in attempt.report["cases"]:
        assert not case["hidden"] or case["inputs"] is None


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"block": ["nope"], "indent": ["0"]}, 400),
        ({"block": ["a", "b"], "indent": ["0"]}, 400),
        ({"block": [], "indent": []}, 400),
        ({"indent": ["x"]}, 400),
        ({"help": "1"}, 403),
        ({"variant": "12"}, 409),
        ({"variant": ""}, 409),
    ],
)
def test_a_parsons_answer_that_cannot_be_taken_is_refused(
    student_client, exercise, change: dict[str, object], status: int
) -> None:
    seed = _seed(student_client, exercise)
    data = {**_parsons_post(solution_blocks(LADDER, seed), seed), **change}
    if change.get("indent") == ["x"]:
        data["indent"] = ["x"] * len(data["block"])
    response = student_client.post(_url("ladder-parsons-check", exercise), data, **HTMX)
    assert response.status_code == status
    assert not RungAttempt.objects.exists()


def test_help_opens_after_three_different_wrong_answers(
    student, student_client, exercise
) -> None:
    seed = _seed(student_client, exercise)
    for n in range(3):
        RungAttemptFactory(
            user=student,
            exercise=exercise,
            seed=seed,
            checked=True,
            passed=False,
            source=f"wrong {n}",
        )
    RungAttemptFactory(
        user=student,
        exercise=exercise,
        seed=seed,
        checked=True,
        passed=False,
        source="wrong 0",
    )
    page = student_client.get(_url("ladder-parsons", exercise)).content.decode()
    assert "Help me: remove a distractor" in page
    helped = student_client.get(_url("ladder-parsons", exercise), {"help": "1"})
    assert helped.content.decode().count('role="option"') == len(LADDER.lines) + 1
    placed = solution_blocks(LADDER, seed, without=1)
    with mock.patch("engine.grade", return_value=failed_report()):
        response = student_client.post(
            _url("ladder-parsons-check", exercise),
            _parsons_post(placed, seed, help="1"),
        )
    assert response.status_code == 302
    assert RungAttempt.objects.latest("pk").help_used == 1


def test_help_is_not_offered_before_three_different_wrong_answers(
    student, student_client, exercise
) -> None:
    seed = _seed(student_client, exercise)
    for _ in range(3):
        RungAttemptFactory(
            user=student,
            exercise=exercise,
            seed=seed,
            checked=True,
            passed=False,
            source="the same wrong program",
        )
    page = student_client.get(_url("ladder-parsons", exercise), {"help": "1"})
    html = page.content.decode()
    assert "Help me" not in html and "2 more different wrong answers" in html
    assert html.count('role="option"') == len(LADDER.lines) + len(LADDER.distractors)


def test_supplied_indentation_presets_each_blocks_indent(student_client) -> None:
    nms = CodingExerciseFactory(slug="nms", engine_spec="nms")
    page = student_client.get(_url("ladder-parsons", nms), {"indent": "given"})
    html = page.content.decode()
    given = re.findall(r'data-given-indent="(\d)"', html)
    assert len(given) == html.count('role="option"') and "1" in given
    assert 'aria-pressed="true"' in html


def test_only_the_first_answer_to_a_variant_is_first(
    student, student_client, exercise, django_capture_on_commit_callbacks
) -> None:
    with mock.patch("engine.grade", return_value=failed_report()):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                student_client.post(
                    _url("ladder-faded-check", exercise),
                    {"level": "1", "blank-b1": "(x2 - x1) * (y2 - y1)"},
                )
    assert list(
        RungAttempt.objects.order_by("pk").values_list("is_first", flat=True)
    ) == [True, False]


def test_a_review_answer_is_marked_for_review(student_client, exercise) -> None:
    with mock.patch("engine.grade", return_value=failed_report()):
        student_client.post(
            _url("ladder-faded-check", exercise),
            {"level": "1", "blank-b1": "0", "review": "1"},
        )
    attempt = RungAttempt.objects.get()
    assert attempt.for_review
    page = student_client.get(reverse("rung-attempt", args=[attempt.pk])).content
    assert reverse("review").encode() in page


def test_checks_are_rate_limited(student, student_client, exercise, settings) -> None:
    settings.GRADING_SUBMISSIONS_PER_MINUTE = 2
    RungAttemptFactory.create_batch(2, user=student, exercise=exercise, checked=True)
    response = student_client.post(
        _url("ladder-faded-check", exercise), {"level": "1", "blank-b1": "0"}, **HTMX
    )
    assert response.status_code == 429 and RungAttempt.objects.count() == 2


def test_one_check_at_a_time(student, student_client, exercise) -> None:
    RungAttemptFactory(user=student, exercise=exercise, faded=True)
    response = student_client.post(
        _url("ladder-faded-check", exercise), {"level": "1", "blank-b1": "0"}
    )
    assert response.status_code == 409 and RungAttempt.objects.count() == 1


def test_signed_out_checks_are_a_401_and_pages_ask_to_sign_in(exercise) -> None:
    client = Client()
    response = client.post(_url("ladder-faded-check", exercise), {"level": "1"})
    assert response.status_code == 401
    page = client.get(_url("ladder-parsons", exercise))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
