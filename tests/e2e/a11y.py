"""axe-core in the browser tests: every rule axe runs by default (WCAG 2.0-2.2
A and AA and its best practices), every impact, must find nothing.

axe-core comes from the npm registry (devDependency "axe-core"), or from a
copy named by AXE_CORE_PATH. The script is evaluated through the browser's
debugging protocol, which the page's Content-Security-Policy does not apply to.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = [
    ROOT / "node_modules" / "axe-core" / "axe.min.js",
    Path(os.environ.get("AXE_CORE_PATH", "/nonexistent")),
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = (DESKTOP, PHONE)


@cache
def _axe_file() -> str | None:
    for path in AXE:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def axe_source() -> str:
    """axe-core's script; a failure in CI and a skip elsewhere when it is missing."""
    source = _axe_file()
    if source is None:
        message = "axe-core is missing: `npm install` (package.json lists it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return source or ""


def violations(page) -> list[dict[str, object]]:
    """What axe-core finds on the page as it is now, three nodes a rule."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async () => {
            // Two frames: what a resize or a swap set off (the page's
            // handlers run on the next frame) has run before axe looks.
            const frame = () => new Promise((done) => requestAnimationFrame(done));
            await frame();
            await frame();
            const found = await axe.run(document);
            return found.violations.map((v) => ({
                id: v.id, impact: v.impact, count: v.nodes.length,
                nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
            }));
        }"""
    )


def overflows(page) -> bool:
    """Whether the page is wider than the window (content cut off on a phone)."""
    return page.evaluate(
        """async () => {
            await new Promise((done) => requestAnimationFrame(done));
            return document.documentElement.scrollWidth > window.innerWidth + 1;
        }"""
    )


def sticking_out(page) -> list[str]:
    """The innermost elements that reach past the window's right edge."""
    return page.evaluate(
        """() => [...document.body.querySelectorAll("*")]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1
                && ![...e.children].some(
                    (c) => c.getBoundingClientRect().right > window.innerWidth + 1))
            .slice(0, 5)
            .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                + (e.className && typeof e.className === "string"
                    ? "." + e.className.trim().split(/\\s+/).join(".") : "")
                + " " + Math.round(e.getBoundingClientRect().right) + "px")"""
    )


def check_accessibility(page, where: str, *, width_checked: bool = True) -> None:
    """No violation axe-core finds, and (by default) no sideways scrolling."""
    found = violations(page)
    assert found == [], f"{where}: {json.dumps(found, indent=1)}"
    if width_checked:
        width = page.viewport_size["width"] if page.viewport_size else "?"
        assert not overflows(page), (
            f"{where}: the page is wider than {width} px: {sticking_out(page)}"
        )


def at_widths(page, where: str, **options: bool) -> None:
    """check_accessibility at 1280 px and at 390 px, leaving the page at 1280 px."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        check_accessibility(page, f"{where} at {size['width']} px", **options)
