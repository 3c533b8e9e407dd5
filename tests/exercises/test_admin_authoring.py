"""Authoring in the admin beyond the question form: the preview, cheat-sheet
entries, blueprints, audit entries, read-only records, and admin edits
reaching the bank files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exercises.bank import course_load, course_read
from exercises.exports.course_files import course_export
from exercises.models import AuditEntry, Lecture, Question, Topic
from tests.exercises.admin_forms import admin_client, change_url, errors_of, form_data
from tests.factories import AuditEntryFactory, QuizAttemptFactory
from tutor.models import ExamBlueprint

pytestmark = pytest.mark.django_db
__all__ = ["admin_client"]  # a fixture


# ------------------------------------------------------------ the preview


def test_the_preview_shows_two_seeds_with_different_numbers(
    admin_client, course
) -> None:
    question = Question.objects.get(slug="design-receptive-field-stack")
    url = f"/admin/exercises/question/{question.pk}/preview/"
    pages = [admin_client.get(url, {"seed": seed}) for seed in (1, 2)]
    assert all(page.status_code == 200 for page in pages)
    prompts = [_between(page, '<div class="prompt">', "</div>") for page in pages]
    assert prompts[0] != prompts[1]
    from exercises.presentation import present

    for seed, page in zip((1, 2), pages, strict=True):
        field = present(question, seed).variant.answer
        assert f"Correct answer: {float(field):.6g}" in page.content.decode()
        assert f"seed {seed}" in page.content.decode()
    assert b"guarantee" in pages[0].content.lower()


def test_the_preview_of_an_unpublished_choice_question(admin_client, course) -> None:
    question = Question.objects.get(slug="design-pyramid-shape")
    question.is_published = False
    question.save()
    page = admin_client.get(f"/admin/exercises/question/{question.pk}/preview/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Not published" in html
    radios = re.findall(r'type="radio"\s+name="choice"', html)
    assert len(radios) == 4  # the student's form
    assert html.count('<span class="ok">✓</span>') == 1
    assert "the pattern is about the shape of the feature maps" in html.lower()
    assert "its own answer is accepted" in html


def _between(page, start: str, end: str) -> str:
    html = page.content.decode()
    return html[html.index(start) : html.index(end, html.index(start))]


# --------------------------------------------------- publishing and audit


def test_publishing_from_the_list_is_audited(admin_client, course) -> None:
    ids = list(Question.objects.filter(topic__code="6.3").values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/exercises/question/",
        {"action": "unpublish", "_selected_action": [str(pk) for pk in ids]},
    )
    assert response.status_code == 302
    assert not Question.objects.filter(pk__in=ids, is_published=True).exists()
    entries = AuditEntry.objects.filter(action="unpublish")
    assert sorted(int(e.target_id) for e in entries) == sorted(ids)
    admin_client.post(
        "/admin/exercises/question/",
        {"action": "publish", "_selected_action": [str(ids[0])]},
    )
    assert AuditEntry.objects.filter(action="publish", target_id=str(ids[0])).exists()


def test_unpublishing_in_the_list_is_audited(admin_client, course) -> None:
    topic = Topic.objects.get(code="6.3")
    url = f"/admin/exercises/question/?topic__id__exact={topic.pk}"
    data = form_data(admin_client.get(url), "changelist-form")
    data.pop("action", None)
    data.pop("form-0-is_published")
    data["_save"] = ["Save"]
    assert admin_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get()
    question = Question.objects.get(pk=entry.target_id)
    assert entry.action == "unpublish" and not question.is_published


def test_unpublishing_in_the_form_is_its_own_entry(admin_client, course) -> None:
    url = change_url("bce-half")
    data = form_data(admin_client.get(url))
    del data["is_published"]
    assert admin_client.post(url, data).status_code == 302
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["unpublish"]
    assert not Question.objects.get(slug="bce-half").is_published


def test_deleting_is_audited(admin_client, course) -> None:
    question = Question.objects.get(slug="bce-half")
    url = f"/admin/exercises/question/{question.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action="delete")
    assert entry.target_label == "bce-half" and entry.target_id == str(question.pk)


# --------------------------------------------------------------- topics


def test_the_topic_page_typesets_each_formula(admin_client, course) -> None:
    topic = Topic.objects.get(code="7.3")
    page = admin_client.get(f"/admin/exercises/topic/{topic.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    boxes = re.findall(r'<div class="box-field box-rendered">(.*?)</div>', html, re.S)
    assert len(boxes) == len(topic.cheat_sheet) + 1  # and a blank new one
    assert all("<math" in box for box in boxes[:-1]) and "<math" not in boxes[-1]
    assert "\\frac" not in "".join(boxes)  # typeset, not raw LaTeX


def test_a_cheat_sheet_entry_edited_and_a_bad_formula_refused(
    admin_client, course
) -> None:
    topic = Topic.objects.get(code="7.3")
    url = f"/admin/exercises/topic/{topic.pk}/change/"
    data = form_data(admin_client.get(url), "topic_form")
    data["cheat_sheet-0-meaning"] = ["Edited meaning with $x^2$."]
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    topic.refresh_from_db()
    assert topic.cheat_sheet[0]["meaning"] == "Edited meaning with $x^2$."
    assert AuditEntry.objects.get(action="change").details["fields"] == ["cheat_sheet"]

    for bad, problem in [
        (r"\left( v \cdot w", "does not typeset"),
        (r"\cosine(v, w)", r"keeps the LaTeX command \cosine"),
    ]:
        data["cheat_sheet-0-formula"] = [bad]
        page = admin_client.post(url, data)
        assert page.status_code == 200
        assert problem in page.content.decode()
        topic.refresh_from_db()
        assert topic.cheat_sheet[0]["formula"].startswith(r"\cos(v, w)")


# ----------------------------------------------------------- blueprints


def test_a_blueprint_with_rules_per_topic(admin_client, course) -> None:
    data = form_data(
        admin_client.get("/admin/tutor/examblueprint/add/"), "examblueprint_form"
    )
    assert data["rules-0-topic"] == [""]  # a blank row posts nothing
    data.update(
        {"name": ["Recurrent nets"], "rules-0-topic": ["7.8"], "rules-0-count": ["2"]}
    )
    response = admin_client.post("/admin/tutor/examblueprint/add/", data)
    assert response.status_code == 302, errors_of(response)
    blueprint = ExamBlueprint.objects.get(name="Recurrent nets")
    assert blueprint.rules == [{"topic": "7.8", "count": 2}]

    url = f"/admin/tutor/examblueprint/{blueprint.pk}/change/"
    data = form_data(admin_client.get(url), "examblueprint_form")
    data.update({"rules-1-topic": ["7.9"], "rules-1-count": ["3"]})
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    blueprint.refresh_from_db()
    assert blueprint.rules == [
        {"topic": "7.8", "count": 2},
        {"topic": "7.9", "count": 3},
    ]
    actions = AuditEntry.objects.filter(target_type="tutor.ExamBlueprint")
    assert sorted(actions.values_list("action", flat=True)) == ["add", "change"]
    assert b"Recurrent nets" in admin_client.get("/admin/tutor/examblueprint/").content


# --------------------------------------------------------- the records


def test_records_and_the_audit_log_are_read_only(admin_client, course, student) -> None:
    question = Question.objects.get(slug="bce-half")
    attempt = QuizAttemptFactory(user=student, question=question, score=1)
    entry = AuditEntryFactory(actor_name="carol", action="change")
    for base, pk in [
        ("/admin/exercises/quizattempt/", attempt.pk),
        ("/admin/exercises/auditentry/", entry.pk),
    ]:
        assert admin_client.get(base).status_code == 200
        page = admin_client.get(f"{base}{pk}/change/")
        assert page.status_code == 200 and b'name="_save"' not in page.content
        assert admin_client.get(f"{base}add/").status_code == 403
        assert (
            admin_client.post(f"{base}{pk}/change/", {"score": "0"}).status_code == 403
        )
        assert (
            admin_client.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code == 403
        )
    attempt.refresh_from_db()
    assert attempt.score == 1 and AuditEntry.objects.filter(pk=entry.pk).exists()


# ----------------------------------------------- admin edits reach the files


def test_an_admin_edit_survives_export_and_a_fresh_load(
    admin_client, course, tmp_path: Path
) -> None:
    url = change_url("design-pyramid-shape")
    data = form_data(admin_client.get(url))
    data["options-2-explanation"] = ["Edited: a decoder grows the map."]
    data["title"] = ["Pyramid shape, edited"]
    assert admin_client.post(url, data).status_code == 302
    url = change_url("bce-half")
    data = form_data(admin_client.get(url))
    data["tolerance_abs"] = ["0.005"]
    assert admin_client.post(url, data).status_code == 302

    course_export(tmp_path)
    Question.objects.all().delete()
    Topic.objects.all().delete()
    Lecture.objects.all().delete()
    course_load(course_read(tmp_path))

    pyramid = Question.objects.get(slug="design-pyramid-shape")
    assert pyramid.title == "Pyramid shape, edited"
    assert (
        pyramid.spec["options"][2]["explanation"] == "Edited: a decoder grows the map."
    )
    assert Question.objects.get(slug="bce-half").spec["tolerance"] == {"abs": 0.005}
    course_export(tmp_path / "again")
    for first in sorted(tmp_path.glob("lecture-*/*.yaml")):
        second = tmp_path / "again" / first.relative_to(tmp_path)
        assert second.read_text() == first.read_text(), first.name
