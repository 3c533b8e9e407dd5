"""Cheat-sheet PDFs made by the real Chromium, read back through their text
layer, and the sheet pages in a browser (phone width, printing).

Chromium writes a MathML identifier in mathematical italic (σ becomes 𝜎,
U+1D70E), so the text is NFKC-normalised before it is searched, and spaces are
dropped since a formula's pieces come out spaced as laid out. A formula found
that way, e.g. "ht=tanh(Wht−1+Uxt)", was typeset: raw LaTeX would read
"h_t = \\tanh(W h_{t-1} …".
"""

from __future__ import annotations

import io
import os
import re
import time
import unicodedata
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from exercises.models import Topic
from tests.factories import PASSWORD, PersonalSheetFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
TIMINGS = OUTPUT / "cheatsheet-pdf.txt"
FORMULAS = {
    6: [
        "IoU(B1,B2)=",
        "xadv=x+εsign",
        "GM[l]=M[l]",
        "Ltotal=αLcontent(C,G)+βLstyle(S,G)",
        "LBCE=−1N∑",
    ],
    7: [
        "σ(t·c)=11+e−t·c",
        "ht=tanh(Wht−1+Uxt)",
        "Ct=ft⊙Ct−1+it⊙",
        "IDF(w)=logNdf(w)",
        "J(t)=∑ilogσ(t·ci)+∑jlogσ(−t·nj)",
    ],
}


@pytest.fixture(autouse=True)
def chromium(settings, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing and CI must run the PDF tests")
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium`")
    settings.CHROMIUM_PATH = str(CHROMIUM)
    settings.VAR_DIR = tmp_path  # an empty PDF cache: the first request is cold


def fetch(client: Client, url: str) -> tuple[bytes, float]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response.content, elapsed


def read(pdf: bytes) -> tuple[int, str]:
    """(pages, text without whitespace, NFKC-normalised)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def keep(pdf: bytes, name: str) -> None:
    """Beside the screenshots, for a person to open."""
    (OUTPUT / "e2e").mkdir(parents=True, exist_ok=True)
    (OUTPUT / "e2e" / name).write_bytes(pdf)


def record(line: str) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    with TIMINGS.open("a", encoding="utf-8") as file:
        file.write(line + "\n")


@pytest.mark.parametrize("number", [6, 7])
def test_a_lectures_pdf_fits_two_pages_and_holds_its_formulas(
    client: Client, course: None, number: int, settings
) -> None:
    url = f"/sheets/lecture-{number}/pdf"
    pdf, cold = fetch(client, url)
    settings.CHROMIUM_PATH = "/nonexistent/chromium"  # the second must be cached
    again, cached = fetch(client, url)
    record(f"lecture {number}: cold {cold:.2f} s, cached {cached * 1000:.1f} ms")
    assert again == pdf
    assert cached < 1.0

    keep(pdf, f"cheat-sheet-lecture-{number}.pdf")
    pages, text = read(pdf)
    assert pages <= 2
    assert squeeze(f"Cheat sheet: lecture {number}") in text
    for topic in Topic.objects.filter(lecture__number=number):
        assert squeeze(f"{topic.code} {topic.title}") in text, topic.code
    for formula in FORMULAS[number]:
        assert formula in text, formula
    assert "\\" not in text  # no LaTeX command left as text
    other = 7 if number == 6 else 6
    assert squeeze(Topic.objects.filter(lecture__number=other)[0].title) not in text


def test_the_whole_course_pdf_holds_both_lectures(client: Client, course: None) -> None:
    pdf, cold = fetch(client, "/sheets/all/pdf")
    record(f"both lectures: cold {cold:.2f} s")
    keep(pdf, "cheat-sheet-all.pdf")
    pages, text = read(pdf)
    assert pages <= 4
    for topic in Topic.objects.all():
        assert squeeze(f"{topic.code} {topic.title}") in text, topic.code
    for formula in FORMULAS[6] + FORMULAS[7]:
        assert formula in text, formula


def test_a_personal_sheets_pdf_holds_only_its_topics_and_notes(
    student, student_client: Client, course: None
) -> None:
    yolo, lstm = Topic.objects.get(code="6.10"), Topic.objects.get(code="7.8")
    sheet = PersonalSheetFactory(
        user=student,
        title="Night before",
        notes={"7.8": "Forget gate near one: $\\prod_k f_k \\approx 1$ keeps memory."},
        topics=[yolo, lstm],
    )
    pdf, cold = fetch(student_client, f"/sheets/mine/{sheet.pk}/pdf")
    record(f"personal sheet (2 topics): cold {cold:.2f} s")
    keep(pdf, "cheat-sheet-personal.pdf")
    pages, text = read(pdf)
    assert pages == 1
    assert "Nightbefore" in text
    assert squeeze("6.10 YOLO") in text and squeeze("7.8 LSTM") in text
    assert "IoU(B1,B2)=" in text and "Ct=ft⊙Ct−1+it⊙" in text
    assert "Forgetgatenearone:∏kfk≈1keepsmemory." in text
    for topic in Topic.objects.exclude(pk__in=[yolo.pk, lstm.pk]):
        assert squeeze(f"{topic.code} {topic.title}") not in text, topic.code


# --- The pages in a browser -----------------------------------------------------------


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_sheets_fit_a_phone(browser, live_server, course, student, shot) -> None:
    sheet = PersonalSheetFactory(
        user=student,
        title="Phone",
        notes={
            "6.6": "$$\\eta_t = \\eta_{\\min} + (\\eta_{\\max} - \\eta_{\\min})"
            "\\max(0, 1 - x) \\quad \\text{a long one}$$"
        },
        topics=Topic.objects.filter(code__in=["6.6", "6.4"]),
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    sign_in(page, student.username)
    for url, name in [
        ("/sheets/", "phone-sheets"),
        ("/sheets/all/", "phone-sheet-all"),
        (f"/sheets/mine/{sheet.pk}/", "phone-sheet-mine"),
        ("/sheets/mine/new?weakest=5", "phone-sheet-new"),
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width}px wide at a phone's width"
        shot(page, name)
    context.close()


@pytest.mark.parametrize("number", [6, 7])
def test_printing_the_page_from_the_browser_fits_two_pages(
    page, course, number: int, shot
) -> None:
    page.goto(f"/sheets/lecture-{number}/")
    assert page.locator(".cheatsheet math").count() >= 40
    shot(page, f"sheet-lecture-{number}")
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    pages, text = read(pdf)
    assert pages <= 2
    assert "DLtutor" not in text  # the site's header is not printed
    for formula in FORMULAS[number]:
        assert formula in text, formula
