"""A new instructor's first afternoon, clicked through in headless Chromium:
authoring a parameterised numeric question and a coding exercise with an own
reference solution in the admin, previewing both, seeing the sandbox
validation pass, publishing; then a student answers and submits, and the
gradebook, the item analysis, the CSV and a regrade dry run show it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from exercises.models import CodingExercise, Question, Submission, Topic
from exercises.presentation import current_seed
from exercises.variants import variant_for
from tests.e2e.editor import EDITOR, type_code
from tests.e2e.editor import sign_in as student_sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.slow

PROMPT = (
    "Two of your boxes, corners $(x_1, y_1, x_2, y_2)$: "
    "$A = {{ box_a|tex_tuple }}$ and $B = {{ box_b|tex_tuple }}$. "
    "What is their IoU?"
)
GENERATOR = """\
import numpy as np

def cases(seed):
    rng = np.random.default_rng(seed)
    return [
        {"inputs": {"x": rng.normal(size=3)}, "label": f"random, seed {seed}"},
    ]
"""
REFERENCE = """\
import numpy as np

def centre(x):
    x = np.asarray(x, dtype=float)
    return x - x.mean()
"""
STARTER = "def centre(x):\n    raise NotImplementedError\n"


def admin_sign_in(page, username: str) -> None:
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("link", name="Coding exercises").is_visible()


def save_and_continue(page) -> None:
    page.get_by_role("button", name="Save and continue editing").first.click()
    saved = page.locator(".messagelist .success, .errornote").first
    saved.wait_for()
    errors = page.locator(".errorlist, .errornote").all_inner_texts()
    assert page.locator(".messagelist .success").count(), errors


def author_the_question(page, shot, topic: Topic) -> Question:
    page.goto("/admin/exercises/question/add/")
    page.get_by_label("Topic:").select_option(str(topic.pk))
    page.get_by_label("Kind:").select_option("numeric")
    page.get_by_label("Slug:").fill("iou-of-your-boxes")
    page.get_by_label("Title:").fill("IoU of your two boxes")
    page.get_by_label("Prompt:").fill(PROMPT)
    page.get_by_label("Explanation:").fill(
        "Intersection over union: $\\frac{|A \\cap B|}{|A \\cup B|}$."
    )
    page.get_by_label("Hints:").fill("Draw the two boxes first.")
    page.get_by_label("Tags:").fill("iou, boxes")
    page.get_by_label("Is published").uncheck()
    page.get_by_label("Generator:").select_option("iou_pair")
    page.get_by_label("Figure:").select_option("boxes")
    # The answer comes from the generator; only the tolerance is the author's.
    assert page.get_by_label("Absolute tolerance:").is_visible()
    page.get_by_label("Absolute tolerance:").fill("0.001")
    shot(page, "question-form")
    save_and_continue(page)
    question = Question.objects.get(slug="iou-of-your-boxes")
    assert not question.is_published and question.spec["generator"] == "iou_pair"

    # The preview: the question as a student sees it, for two seeds.
    page.get_by_role("link", name="Preview").first.click()
    seen = []
    for seed in (1, 2):
        page.goto(f"/admin/exercises/question/{question.pk}/preview/?seed={seed}")
        prompt = page.locator(".prompt").first.inner_text()
        answer = re.search(r"Correct answer: ([-+0-9.e]+)", page.content())
        assert answer, "the preview shows the correct answer"
        expected = variant_for(question.spec, seed).answer
        assert float(answer.group(1)) == pytest.approx(float(expected), rel=1e-5)
        assert "{{" not in prompt and page.locator(".prompt math").count() > 0
        seen.append(prompt)
        shot(page, f"question-preview-seed-{seed}")
    assert seen[0] != seen[1], "two seeds, two different pairs of boxes"

    # Publish it from its change page.
    page.goto(f"/admin/exercises/question/{question.pk}/change/")
    page.get_by_label("Is published").check()
    save_and_continue(page)
    question.refresh_from_db()
    assert question.is_published
    return question


def author_the_exercise(page, shot, topic: Topic) -> CodingExercise:
    page.goto("/admin/exercises/codingexercise/add/")
    page.get_by_label("Topic:").select_option(str(topic.pk))
    page.get_by_label("Slug:").fill("centre-a-vector")
    page.get_by_label("Title:").fill("Centre a vector")
    page.get_by_label("Prompt:").fill("Write `centre(x)`: $x - \\bar{x}$.")
    page.get_by_label("Entry point:").fill("centre")
    page.get_by_label("Reference solution:").fill(REFERENCE)
    page.get_by_label("Case generator:").fill(GENERATOR)
    page.get_by_label("Starter code:").fill(STARTER)
    page.get_by_label("Absolute tolerance:").fill("1e-9")
    page.get_by_label("Relative tolerance:").fill("1e-9")
    page.get_by_label("Hints:").fill("Subtract the mean.")
    shot(page, "exercise-form")
    save_and_continue(page)

    # Saving validated it in the sandbox: the panel shows every step passed.
    panel = page.locator("#validation-panel")
    panel.get_by_text("Passed", exact=True).wait_for(timeout=120_000)
    steps = panel.locator("table.validation-steps tbody tr")
    assert steps.count() >= 3
    assert panel.locator(".step-failed").count() == 0
    assert "Publishable" in panel.inner_text()
    labels = panel.locator("table.generated-cases").inner_text()
    for seed in (1, 2):
        assert f"random, seed {seed}" in labels  # cases drawn for both seeds
    shot(page, "exercise-validated")
    exercise = CodingExercise.objects.get(slug="centre-a-vector")
    assert exercise.validation_status == "passed" and not exercise.is_published

    with page.expect_navigation():
        page.get_by_role("link", name="Preview as a student", exact=True).click()
    expect(page.locator(".notice").first).to_contain_text("Not published")
    preview = page.locator("main").inner_text()
    assert "random, seed 1" in preview and "random, seed 2" in preview
    assert "3 / 3 cases passed" in preview  # the reference, graded like a student
    shot(page, "exercise-preview")

    page.goto(f"/admin/exercises/codingexercise/{exercise.pk}/change/")
    page.get_by_label("Is published").check()
    save_and_continue(page)
    exercise.refresh_from_db()
    assert exercise.is_published
    return exercise


def test_a_new_instructor_authors_and_reads_the_results(
    browser, live_server, shot, course, instructor, student
) -> None:
    topic = Topic.objects.get(code="6.10")
    errors: list[str] = []

    def new_page():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1200, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    teacher = new_page()
    admin_sign_in(teacher, instructor.username)
    question = author_the_question(teacher, shot, topic)
    exercise = author_the_exercise(teacher, shot, topic)

    # A student answers the question and submits code.
    learner = new_page()
    student_sign_in(learner, student.username)
    learner.goto(f"/questions/{question.slug}/")
    answer = variant_for(question.spec, current_seed(student, question)).answer
    learner.get_by_label("Your answer").fill(f"{float(answer):.6f}")
    learner.get_by_role("button", name="Check my answer").click()
    learner.locator("#feedback .notice").first.wait_for()
    assert "✓ Correct." in learner.locator("#feedback").inner_text()
    shot(learner, "student-answer")

    learner.goto(f"/exercises/{exercise.slug}/")
    learner.locator(EDITOR).wait_for()
    type_code(learner, REFERENCE)
    learner.get_by_role("button", name="Submit for grading").click()
    learner.locator(".report .notice.success").wait_for(timeout=90_000)
    assert "3 / 3 cases passed" in learner.locator(".report .headline").inner_text()
    submission = Submission.objects.get(user=student, exercise=exercise)
    assert submission.score == 1.0
    learner.context.close()

    # The gradebook, filtered to the topic, shows the student's work.
    teacher.goto("/instructor/gradebook/")
    teacher.locator("form.filters select[name=topic]").select_option(str(topic.pk))
    teacher.get_by_role("button", name="Apply").click()
    teacher.wait_for_url(f"**topic={topic.pk}**")
    row = teacher.locator("tr", has_text=student.username).first
    row.wait_for()
    shot(teacher, "gradebook")
    with teacher.expect_download() as download:
        teacher.get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    (mine,) = [line for line in rows if line["username"] == student.username]
    assert mine["6.10 attempts"] == "1" and mine["6.10 correct"] == "1", mine
    assert float(mine["centre-a-vector best score"]) == 1.0

    # The item analysis lists the new question and the new exercise.
    teacher.goto("/instructor/items/")
    items = teacher.locator("main").inner_text()
    assert "IoU of your two boxes" in items and "Centre a vector" in items
    shot(teacher, "items")

    # A regrade dry run of the exercise: nothing would change.
    teacher.goto(f"/instructor/regrade/?exercise={exercise.pk}")
    teacher.get_by_role(
        "button", name="Dry run every submission of Centre a vector"
    ).click()
    teacher.get_by_text("No score would change: nothing to apply.").wait_for(
        timeout=120_000
    )
    assert "None so far" not in teacher.locator("main").inner_text()
    shot(teacher, "regrade-dry-run")
    assert errors == []
