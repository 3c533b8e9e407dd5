"""A student's own cheat sheets: the weakest topics offered first, their
own notes beside the course's formulas, and who may see and change them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from exercises.bank_checks import html_problems
from exercises.models import Question, Topic
from tests.factories import PersonalSheetFactory
from tests.factories.mastery import answered
from tutor.mastery import TopicMastery, topic_mastery_list
from tutor.models import PersonalSheet
from tutor.personal_sheets import weakest_topics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path: Path) -> None:
    """A PDF cache of the test's own, and no Chromium unless a test says so."""
    settings.VAR_DIR = tmp_path
    settings.CHROMIUM_PATH = str(tmp_path / "no-chromium")


def sheet_body(html: str) -> str:
    """The sheet itself, without the site's navigation around it."""
    start = html.index('<div class="cheatsheet">')
    return html[start:]


def section_codes(html: str) -> list[str]:
    return re.findall(r'<span class="sheet-code">([\d.]+)</span>', html)


def entries(topics) -> int:
    return sum(len(topic.cheat_sheet) for topic in topics)


# --- Weakest topics -------------------------------------------------------------


def test_weakest_topics_come_from_the_started_then_the_untried(
    course: None,
) -> None:
    topics = list(Topic.objects.order_by("lecture__number", "order"))
    a, b, c, d, e, f = topics[:6]
    rows = [
        TopicMastery(a, 0.2, 0, "not_started"),
        TopicMastery(b, 0.84, 2, "learning"),  # 2 of 2 right
        TopicMastery(c, 0.07, 3, "learning"),
        TopicMastery(d, 0.30, 2, "learning"),
        TopicMastery(e, 0.2, 0, "not_started"),
        TopicMastery(f, 0.96, 3, "mastered"),
    ]
    assert weakest_topics(rows, count=2) == [c, d]
    assert weakest_topics(rows, count=4) == [c, d, b, a]
    assert weakest_topics(rows, count=9) == [c, d, b, a, e, f]
    assert weakest_topics(rows, count=0) == []


def answer(user: User, question: Question, *, right: bool) -> None:
    answered(user, question, correct=right)


def test_the_new_sheet_form_ticks_the_weakest_topics(
    student: User, student_client: Client, course: None
) -> None:
    lstm = Topic.objects.get(code="7.8")
    iou = Topic.objects.get(code="6.10")
    for question in lstm.questions.filter(is_published=True)[:3]:
        answer(student, question, right=False)
    for index, question in enumerate(iou.questions.filter(is_published=True)[:3]):
        answer(student, question, right=index < 2)
    rows = topic_mastery_list(user=student)
    expected = weakest_topics(rows, count=3)
    assert expected[:2] == [lstm, iou]

    page = student_client.get("/sheets/mine/new?weakest=3").content.decode()
    ticked = re.findall(r'name="topics"\s+value="(\d+)"\s+checked', page)
    assert sorted(map(int, ticked)) == sorted(t.pk for t in expected)
    assert "Ticked your 3 weakest topics" in page
    assert "topics you have not tried yet, in course order" in page
    assert 'value="My weakest topics"' in page


def test_a_student_who_tried_nothing_is_told_so(
    student_client: Client, course: None
) -> None:
    page = student_client.get("/sheets/mine/new?weakest=2").content.decode()
    first_two = Topic.objects.order_by("lecture__number", "order")[:2]
    ticked = re.findall(r'name="topics"\s+value="(\d+)"\s+checked', page)
    assert sorted(map(int, ticked)) == sorted(t.pk for t in first_two)
    assert "You have not tried any topic yet" in page


# --- A student's own sheets --------------------------------------------------------


def create_sheet(client: Client, title: str, codes: dict[str, str]) -> PersonalSheet:
    topics = Topic.objects.filter(code__in=codes)
    data = {"title": title, "topics": [t.pk for t in topics]}
    data |= {f"note-{t.slug}": codes[t.code] for t in topics}
    response = client.post("/sheets/mine/new", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    sheet = PersonalSheet.objects.get(title=title)
    assert response["Location"] == f"/sheets/mine/{sheet.pk}/"
    return sheet


NOTE = "Remember $\\sigma(0) = \\tfrac{1}{2}$ <script>alert(1)</script>"


def test_a_personal_sheet_holds_only_its_topics_and_notes(
    student: User, student_client: Client, course: None
) -> None:
    sheet = create_sheet(student_client, "Before the exam", {"6.10": "", "7.5": NOTE})
    assert sheet.user == student
    assert sheet.notes == {"7.5": NOTE}

    page = student_client.get(f"/sheets/mine/{sheet.pk}/").content.decode()
    body = sheet_body(page)
    assert section_codes(body) == ["6.10", "7.5"]
    assert "Before the exam" in page
    assert "My notes" in body and "Remember" in body
    assert "<script>alert" not in body  # the note is sanitised
    formulas = re.findall(r'<div class="formula"><math', body)
    assert len(formulas) == entries(Topic.objects.filter(code__in=["6.10", "7.5"]))
    note = body[body.index('<div class="sheet-note">') :]
    assert "<math" in note  # the note's own formula, typeset
    assert html_problems(body) == []

    markdown = student_client.get(f"/sheets/mine/{sheet.pk}/markdown")
    assert (
        markdown["Content-Disposition"] == 'attachment; filename="before-the-exam.md"'
    )
    text = markdown.content.decode()
    assert re.findall(r"^## ([\d.]+) ", text, re.M) == ["6.10", "7.5"]
    assert "**My notes**\n\nRemember $\\sigma(0) = \\tfrac{1}{2}$" in text


def test_a_student_lists_edits_and_deletes_their_sheets(
    student_client: Client, course: None
) -> None:
    sheet = create_sheet(student_client, "Draft", {"7.8": "gates"})
    listing = student_client.get("/sheets/").content.decode()
    assert f'href="/sheets/mine/{sheet.pk}/"' in listing and "Draft" in listing

    form = student_client.get(f"/sheets/mine/{sheet.pk}/edit").content.decode()
    assert 'value="Draft"' in form and ">\ngates</textarea>" in form
    gru = Topic.objects.get(code="7.9")
    response = student_client.post(
        f"/sheets/mine/{sheet.pk}/edit",
        {"title": "Final", "topics": [gru.pk], "note-gru": "z weights the new"},
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.title == "Final"
    assert list(sheet.topics.all()) == [gru]
    assert sheet.notes == {"7.9": "z weights the new"}

    assert student_client.get(f"/sheets/mine/{sheet.pk}/delete").status_code == 200
    response = student_client.post(f"/sheets/mine/{sheet.pk}/delete")
    assert response.status_code == 302 and response["Location"] == "/sheets/"
    assert not PersonalSheet.objects.filter(pk=sheet.pk).exists()


def test_a_sheet_needs_a_title_and_a_topic(
    student_client: Client, course: None
) -> None:
    response = student_client.post("/sheets/mine/new", {"title": "", "topics": []})
    assert response.status_code == 400
    assert "Choose at least one topic." in response.content.decode()
    assert not PersonalSheet.objects.exists()


def test_another_students_sheet_is_404(
    student_client: Client, other_student: User, course: None
) -> None:
    theirs = PersonalSheetFactory(
        user=other_student, title="Bob's", topics=Topic.objects.filter(code="6.10")
    )
    for suffix in ["", "edit", "delete", "pdf", "markdown"]:
        url = f"/sheets/mine/{theirs.pk}/{suffix}"
        assert student_client.get(url).status_code == 404, url
    for suffix in ["edit", "delete"]:
        url = f"/sheets/mine/{theirs.pk}/{suffix}"
        assert student_client.post(url, {"title": "Mine now"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Bob's"


def test_personal_sheets_need_a_sign_in(client: Client, student: User) -> None:
    sheet = PersonalSheetFactory(user=student, title="Alice's")
    for url in [
        "/sheets/mine/new",
        f"/sheets/mine/{sheet.pk}/",
        f"/sheets/mine/{sheet.pk}/edit",
        f"/sheets/mine/{sheet.pk}/delete",
        f"/sheets/mine/{sheet.pk}/pdf",
        f"/sheets/mine/{sheet.pk}/markdown",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_every_form_needs_the_csrf_token(student: User, course: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    sheet = PersonalSheetFactory(user=student, title="Kept")
    topic = Topic.objects.get(code="6.10")
    data = {"title": "Forged", "topics": [topic.pk]}
    assert client.post("/sheets/mine/new", data).status_code == 403
    assert client.post(f"/sheets/mine/{sheet.pk}/edit", data).status_code == 403
    assert client.post(f"/sheets/mine/{sheet.pk}/delete").status_code == 403
    assert list(PersonalSheet.objects.values_list("title", flat=True)) == ["Kept"]
    for url in ["/sheets/mine/new", f"/sheets/mine/{sheet.pk}/edit"]:
        assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode()


HOSTILE_NOTE = (
    "MATHPLACEHOLDER99X MATHPLACEHOLDER0X "
    '[click]($\\text{" onmouseover="alert(1)}$) '
    "[run](javascript:alert(2)) <img src=x onerror=alert(3)> $a < b$"
)


def test_a_note_cannot_forge_formulas_or_inject_markup(
    student_client: Client, course: None
) -> None:
    sheet = create_sheet(student_client, "Hostile", {"7.5": HOSTILE_NOTE})
    page = student_client.get(f"/sheets/mine/{sheet.pk}/")
    assert page.status_code == 200
    body = sheet_body(page.content.decode())
    note = body[body.index('<div class="sheet-note">') :]
    assert "MATHPLACEHOLDER99X" in note  # shown as the text it is
    assert "onmouseover" not in note and "onerror" not in note
    assert "javascript:" not in note
    assert html_problems(body) == []

    text = student_client.get(f"/sheets/mine/{sheet.pk}/markdown").content.decode()
    notes = text[text.index("**My notes**") :]
    assert "<img" not in notes and "&lt;img" in notes  # shown, never a tag
    assert "javascript:" not in notes
    assert "$a &lt; b$" in notes  # text kept, with the markup characters escaped
