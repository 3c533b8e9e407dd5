"""Reading and posting the admin's forms as a browser does."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from exercises.models import Question


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
