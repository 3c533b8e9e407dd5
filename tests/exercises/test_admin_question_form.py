"""The question form in the admin: the form of every kind, saving unchanged
or edited, validation on save, adding a question and the raw spec."""

from __future__ import annotations

import pytest

from exercises.models import AuditEntry, Question, Topic
from tests.exercises.admin_forms import admin_client, change_url, errors_of, form_data

pytestmark = pytest.mark.django_db
__all__ = ["admin_client"]  # a fixture

# One question of each kind from the bank, with something of its spec the
# change page must show in a field.
KINDS = {
    "single": "design-pyramid-shape",
    "multiple": "design-four-principles",
    "numeric": "bce-half",
    "symbolic": "design-two-3x3-symbolic",
    "matrix": "design-pyramid-stages",
    "ordering": "dd-regimes-order",
    "multistep": "design-factorise-by-hand",
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_renders_the_change_page_of_each_kind(admin_client, course, kind) -> None:
    question = Question.objects.get(slug=KINDS[kind])
    page = admin_client.get(change_url(question.slug))
    assert page.status_code == 200
    data = form_data(page)
    assert data["kind"] == [kind]
    spec = question.spec
    if kind in ("single", "multiple"):
        assert data["options-TOTAL_FORMS"] == [str(len(spec["options"]) + 2)]
        assert data["options-0-text"] == [spec["options"][0]["text"]]
        assert data["options-0-correct"] == ["on"]
    elif kind == "multistep":
        assert data["parts-0-name"] == [spec["parts"][0]["name"]]
        assert data["parts-0-tolerance_abs"] == ["0.5"]
    elif kind == "ordering":
        assert data["items"][0].split("\r\n") == spec["items"]
    elif kind == "symbolic":
        assert data["answer"] == [spec["answer"]]
        assert data["variables"] == ["C"]
    elif kind == "numeric":
        assert float(data["answer"][0]) == spec["answer"]
        assert data["tolerance_abs"] == ["0.001"]
    else:
        assert data["generator"] == [spec["generator"]]
    assert b"Preview" in page.content


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_renders_the_add_page_of_each_kind(admin_client, course, kind) -> None:
    page = admin_client.get(f"/admin/exercises/question/add/?kind={kind}")
    assert page.status_code == 200
    data = form_data(page)
    assert data["kind"] == [kind]
    assert data["options-TOTAL_FORMS"] == ["2"] and data["parts-TOTAL_FORMS"] == ["1"]
    assert b"iou_pair" in page.content  # a generator, with its guarantees
    assert b"the boxes overlap partially" in page.content


@pytest.mark.parametrize("kind", list(KINDS))
def test_saving_unchanged_keeps_the_spec_as_it_was(admin_client, course, kind) -> None:
    question = Question.objects.get(slug=KINDS[kind])
    before = dict(question.spec)
    url = change_url(question.slug)
    response = admin_client.post(url, form_data(admin_client.get(url)))
    assert response.status_code == 302, errors_of(response)
    question.refresh_from_db()
    assert question.spec == before
    assert not AuditEntry.objects.filter(action="change").exists()


def test_an_edit_writes_the_spec_and_keeps_unknown_keys(admin_client, course) -> None:
    question = Question.objects.get(slug="bce-half")
    question.spec["partial_credit"] = True  # a key the form does not edit
    question.save()
    url = change_url(question.slug)
    data = form_data(admin_client.get(url))
    data["tolerance_abs"] = ["0.01"]
    data["tolerance_rel"] = ["0"]
    data["wrong"] = ["1\r\n0.30103"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    question.refresh_from_db()
    assert question.spec["tolerance"] == {"abs": 0.01, "rel": 0}
    assert question.spec["wrong"] == ["1", "0.30103"]
    assert question.spec["partial_credit"] is True
    assert question.spec["answer"] == pytest.approx(0.693147, abs=1e-6)
    entry = AuditEntry.objects.get(action="change", target_id=str(question.pk))
    assert entry.actor_name == "carol"
    assert entry.details["spec_keys"] == ["tolerance", "wrong"]
    assert "spec (tolerance, wrong)" in entry.summary


def test_an_option_edited_in_its_row(admin_client, course) -> None:
    question = Question.objects.get(slug="design-pyramid-shape")
    url = change_url(question.slug)
    data = form_data(admin_client.get(url))
    data["options-1-explanation"] = ["Rewritten in the admin."]
    data["options-3-DELETE"] = ["on"]
    data["options-4-text"] = ["A new wrong option."]
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    options = Question.objects.get(pk=question.pk).spec["options"]
    assert len(options) == 4
    assert options[1]["explanation"] == "Rewritten in the admin."
    assert options[3] == {"text": "A new wrong option."}
    assert [bool(o.get("correct")) for o in options] == [True, False, False, False]


def test_an_invalid_question_shows_the_error_and_stores_nothing(
    admin_client, course
) -> None:
    question = Question.objects.get(slug="design-pyramid-shape")
    url = change_url(question.slug)
    data = form_data(admin_client.get(url))
    data.pop("options-0-correct")  # no correct option left
    data["title"] = ["Changed title"]
    page = admin_client.post(url, data)
    assert page.status_code == 200
    assert "exactly one correct" in errors_of(page)
    question.refresh_from_db()
    assert question.title == "The pyramid-shape pattern"
    assert not AuditEntry.objects.exists()


def test_a_wrong_answer_that_passes_is_refused(admin_client, course) -> None:
    question = Question.objects.get(slug="design-two-3x3-symbolic")
    url = change_url(question.slug)
    data = form_data(admin_client.get(url))
    data["wrong"] = ["18*C^2 + 2*C\r\n9*C^2"]  # the first is the right answer
    page = admin_client.post(url, data)
    assert page.status_code == 200
    assert "a wrong answer passes" in errors_of(page)
    question.refresh_from_db()
    assert "18*C^2 + 2*C" not in question.spec["wrong"]


def test_an_answer_that_cannot_be_read_is_a_field_error(admin_client, course) -> None:
    url = change_url("bce-half")
    data = form_data(admin_client.get(url))
    data["answer"] = ["about 0.7"]
    page = admin_client.post(url, data)
    assert page.status_code == 200
    assert 'class="errors form-row field-answer' in page.content.decode() or (
        "field-answer" in page.content.decode() and errors_of(page)
    )
    assert Question.objects.get(slug="bce-half").spec["answer"] == pytest.approx(
        0.6931, abs=1e-4
    )


def _new_question(topic: Topic, **overrides) -> dict:
    data = {
        "topic": str(topic.pk),
        "kind": "numeric",
        "slug": "made-in-admin",
        "order": "0",
        "title": "Half of a number",
        "prompt": "What is half of $8$?",
        "explanation": "$8 / 2 = 4$.",
        "hints": "Divide by two.",
        "difficulty": "1",
        "tags": "arithmetic, test",
        "is_published": "on",
        "answer": "4",
        "tolerance_abs": "0.01",
        "wrong": "8\r\n16",
        "mode": "order",
        "options-TOTAL_FORMS": "0",
        "options-INITIAL_FORMS": "0",
        "parts-TOTAL_FORMS": "0",
        "parts-INITIAL_FORMS": "0",
        "spec": "{}",
        "shuffle": "on",
    }
    return {**data, **overrides}


def test_adding_a_question(admin_client, course) -> None:
    topic = Topic.objects.get(code="6.1")
    response = admin_client.post("/admin/exercises/question/add/", _new_question(topic))
    assert response.status_code == 302, errors_of(response)
    question = Question.objects.get(slug="made-in-admin")
    assert question.spec == {
        "answer": 4,
        "tolerance": {"abs": 0.01},
        "wrong": ["8", "16"],
    }
    assert question.hints == ["Divide by two."]
    assert question.tags == ["arithmetic", "test"]
    assert AuditEntry.objects.filter(action="add", target_id=str(question.pk)).exists()


def test_adding_an_invalid_question_stores_nothing(admin_client, course) -> None:
    topic = Topic.objects.get(code="6.1")
    count = Question.objects.count()
    page = admin_client.post(
        "/admin/exercises/question/add/", _new_question(topic, wrong="4.0")
    )
    assert page.status_code == 200
    assert "a wrong answer passes" in errors_of(page)
    assert Question.objects.count() == count


def test_the_raw_spec_replaces_the_fields_when_edited(admin_client, course) -> None:
    url = change_url("bce-half")
    data = form_data(admin_client.get(url))
    data["spec"] = ['{"answer": 2, "tolerance": {"abs": 0.5}, "wrong": ["3"]}']
    data["answer"] = ["99"]  # ignored: the raw spec wins
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    spec = Question.objects.get(slug="bce-half").spec
    assert spec == {"answer": 2, "tolerance": {"abs": 0.5}, "wrong": ["3"]}


def test_a_multistep_part_edited(admin_client, course) -> None:
    url = change_url("design-factorise-by-hand")
    data = form_data(admin_client.get(url))
    data["parts-1-tolerance_abs"] = ["1"]
    data["parts-1-label"] = ["Parameters of the stack"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    parts = Question.objects.get(slug="design-factorise-by-hand").spec["parts"]
    assert parts[1] == {
        "name": "stack",
        "label": "Parameters of the stack",
        "kind": "numeric",
        "tolerance": {"abs": 1, "rel": 0},
    }
    assert parts[0]["label"].startswith("Parameters of the single")
