"""Helpers for browser tests of the coding pages."""

from __future__ import annotations

from tests.factories import PASSWORD

# prism-code-editor: the scrolling box, and the textarea of its own that takes
# the keys (the form's textarea[name=source] is hidden and kept in sync).
EDITOR = ".prism-code-editor"
EDITOR_INPUT = ".prism-code-editor textarea.pce-textarea"
# A correct IoU, typed without indentation (the editor indents after "def …:").
RIGHT_IOU = """
def iou(box_a, box_b):
w = max(0.0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))
h = max(0.0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))
inter = w * h
union = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1]) + (box_b[2] - box_b[0]) * (box_b[3] - box_b[1]) - inter
return inter / union if union > 0 else 0.0
"""


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def type_code(page, code: str) -> None:
    """Replace the code editor's text by typing `code` on the keyboard, line
    by line. Lines are given without their indentation: the editor indents
    after a colon and keeps the indentation of the line above; it closes
    brackets and quotes and types over the closing ones, so balanced code
    comes out as typed."""
    page.locator(EDITOR_INPUT).click()
    type_lines(page, code)


def type_lines(page, code: str) -> None:
    """In the editor that has the focus, replace the text by `code` typed
    line by line on the keyboard (see type_code)."""
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    for index, line in enumerate(code.strip("\n").splitlines()):
        if index:
            page.keyboard.press("Enter")
        page.keyboard.type(line.strip())
