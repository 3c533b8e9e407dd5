"""The course's cheat sheets over HTTP: HTML, Markdown, the PDF's fallbacks.
A student's own sheets are in test_personal_sheets.py; the PDFs themselves,
made by Chromium, in tests/e2e/test_cheatsheet_pdf.py."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.test import Client

from exercises.bank_checks import html_problems
from exercises.models import Topic
from tutor import pdf
from tutor.cheatsheets import course_sheet, sheet_print_html

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


# --- The course's sheets -------------------------------------------------------


def test_it_typesets_every_formula_of_the_course(client: Client, course: None) -> None:
    response = client.get("/sheets/all/")
    assert response.status_code == 200
    body = sheet_body(response.content.decode())
    topics = Topic.objects.all()
    assert body.count('<div class="sheet-entry">') == entries(topics)
    assert body.count("<math") >= entries(topics)
    assert html_problems(body) == []
    assert "\\frac" not in body and "latex-error" not in body
    for topic in topics:
        assert f"{topic.code}</span> {topic.title}" in body
    assert section_codes(body) == [t.code for t in topics if t.cheat_sheet]


def test_it_makes_one_sheet_per_lecture(client: Client, course: None) -> None:
    for number in (6, 7):
        response = client.get(f"/sheets/lecture-{number}/")
        assert response.status_code == 200
        body = sheet_body(response.content.decode())
        topics = Topic.objects.filter(lecture__number=number)
        assert body.count("<math") >= entries(topics)
        codes = section_codes(body)
        assert codes and all(code.startswith(f"{number}.") for code in codes)
        assert f"Cheat sheet: lecture {number}" in response.content.decode()


def test_the_first_address_still_serves_the_sheet(client: Client, course: None) -> None:
    response = client.get("/lectures/lecture-7/cheatsheet/")
    assert response.status_code == 200
    assert response.content.count(b"<math") >= 10
    assert b'<link rel="canonical" href="/sheets/lecture-7/">' in response.content


def test_an_unknown_sheet_is_404(client: Client, course: None) -> None:
    for url in ["/sheets/lecture-9/", "/sheets/lecture-9/pdf", "/sheets/nope/markdown"]:
        assert client.get(url).status_code == 404


def test_the_sheet_is_linked_from_the_lecture_and_topic_pages(
    client: Client, course: None
) -> None:
    lecture = client.get("/lectures/lecture-6/").content.decode()
    assert 'href="/sheets/lecture-6/"' in lecture
    assert 'href="/sheets/lecture-6/pdf"' in lecture
    topic = client.get("/topics/yolo/").content.decode()
    assert 'href="/sheets/lecture-6/#yolo"' in topic
    assert 'id="yolo"' in client.get("/sheets/lecture-6/").content.decode()


def test_the_markdown_holds_every_formula_as_latex(
    client: Client, course: None
) -> None:
    response = client.get("/sheets/lecture-7/markdown")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="cheat-sheet-lecture-7.md"'
    )
    text = response.content.decode()
    assert text.startswith("# Cheat sheet: lecture 7\n")
    for topic in Topic.objects.filter(lecture__number=7):
        assert f"\n## {topic.code} {topic.title}\n" in text
        for entry in topic.cheat_sheet:
            assert f"\n$${entry['formula'].strip()}$$\n" in text
    assert "## 6." not in text
    assert "<math" not in text


def test_without_chromium_the_pdf_answers_503_and_says_why(
    client: Client, course: None
) -> None:
    response = client.get("/sheets/lecture-6/pdf")
    assert response.status_code == 503
    page = response.content.decode()
    assert "needs Chromium" in page
    assert 'href="/sheets/lecture-6/"' in page
    assert 'href="/sheets/lecture-6/markdown"' in page


def test_a_cached_pdf_is_served_without_chromium(
    client: Client, course: None, settings, tmp_path: Path
) -> None:
    """The cache key is the print page's HTML: put a PDF under the key the view
    will compute, and the view must serve it though Chromium is missing."""
    key = pdf.cache_key(sheet_print_html(course_sheet(lecture=None)))
    (tmp_path / "pdf-cache").mkdir()
    (tmp_path / "pdf-cache" / f"{key}.pdf").write_bytes(b"%PDF-1.4 cached")
    response = client.get("/sheets/all/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.4 cached"
    assert response["Content-Disposition"] == 'inline; filename="cheat-sheet-all.pdf"'


def test_a_chromium_that_fails_gives_503(
    client: Client, course: None, settings, tmp_path: Path
) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    settings.CHROMIUM_PATH = str(fake)
    response = client.get("/sheets/lecture-7/pdf")
    assert response.status_code == 503
    assert "could not make the PDF" in response.content.decode()


def test_a_chromium_that_hangs_is_killed_at_the_timeout(
    client: Client, course: None, settings, tmp_path: Path
) -> None:
    fake = tmp_path / "chromium"
    pids = tmp_path / "pids"
    fake.write_text(
        f"#!/bin/sh\necho $$ > {pids}\nsleep 300 &\necho $! >> {pids}\nsleep 300\n"
    )
    fake.chmod(0o755)
    settings.CHROMIUM_PATH = str(fake)
    settings.PDF_TIMEOUT_SECONDS = 1
    response = client.get("/sheets/lecture-7/pdf")
    assert response.status_code == 503
    started = [int(pid) for pid in pids.read_text().split()]
    assert len(started) == 2  # the "browser" and the helper it left running
    assert _all_gone(started), "a process of the hung Chromium survived"


def _all_gone(pids: list[int], patience: float = 20.0) -> bool:
    """Whether every process has ended (a zombie waiting for its reaper has),
    waiting up to `patience` seconds for the kill to take effect."""
    deadline = time.monotonic() + patience
    while True:
        alive = [pid for pid in pids if _running(pid)]
        if not alive or time.monotonic() > deadline:
            return not alive
        time.sleep(0.05)


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "State:\tZ" not in status
