"""Authoring in the admin: the question form of every kind, validation on
save, the preview, cheat-sheet entries, blueprints, audit entries, read-only
records, and admin edits reaching the bank files."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from exercises.bank import course_load, course_read
from exercises.bank_export import course_export
from exercises.models import AuditEntry, Lecture, Question, QuizAttempt, Topic
from tutor.models import ExamBlueprint

pytestmark = pytest.mark.django_db

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


class FormReader(HTMLParser):
    """The values a browser would post from one form of a page."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button"):
                return
            default = "on" if a.get("type") == "checkbox" else ""
            self.data.setdefault(a["name"], []).append(a.get("value", default))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data.setdefault(a["name"], []).append("")
        elif tag == "select":
            self._select, self._first_option, self._selected = a["name"], None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.data.setdefault(self._select, []).append(a.get("value", ""))
                self._selected = True

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            value = self.data[self._textarea][-1]
            # Django writes a newline after <textarea>, which browsers drop.
            self.data[self._textarea][-1] = value.removeprefix("\n").replace(
                "\n", "\r\n"
            )
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._selected and self._first_option is not None:
                self.data.setdefault(self._select, []).append(self._first_option)
            self._select = None
        elif tag == "form":
            self.inside = False


def form_data(page, form_id: str = "question_form") -> dict[str, list[str]]:
    reader = FormReader(form_id)
    reader.feed(page.content.decode())
    assert reader.data, f"no form #{form_id} on the page"
    return reader.data


@pytest.fixture
def admin_client(instructor) -> Client:
    client = Client()
    client.force_login(instructor)
    return client


def change_url(slug: str) -> str:
    return f"/admin/exercises/question/{Question.objects.get(slug=slug).pk}/change/"


def errors_of(page) -> str:
    """The error texts on an admin form page."""
    html = page.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", item) for item in found)


# ------------------------------------------------------------- the form


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
    attempt = QuizAttempt.objects.create(
        user=student, question=question, seed=0, answer={}, is_correct=True, score=1
    )
    entry = AuditEntry.objects.create(actor_name="carol", action="change")
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
