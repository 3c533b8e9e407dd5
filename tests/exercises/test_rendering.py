"""Course text to MathML: what the converter alone gets wrong is fixed here."""

from __future__ import annotations

import pytest

from exercises.bank_checks import html_problems
from exercises.rendering import latex_to_mathml, render_markdown


@pytest.mark.parametrize("environment", ["bmatrix", "pmatrix", "vmatrix"])
def test_a_matrix_after_an_equals_sign_has_stretchy_fences(environment: str) -> None:
    mathml = latex_to_mathml(
        rf"W = \begin{{{environment}}} 1 & 2 \\ 3 & 4 \end{{{environment}}}"
    )
    assert mathml.count('stretchy="true"') == 2
    assert "<mtable>" in mathml


@pytest.mark.parametrize(
    "latex",
    [r"\lvert B_1 \rvert", r"\lVert w \rVert_2", r"\lVert\cdot\rVert"],
)
def test_norm_bars_come_out_as_a_stretchy_pair(latex: str) -> None:
    mathml = latex_to_mathml(latex)
    assert mathml.count('stretchy="true"') == 2
    assert not html_problems(mathml)


def test_bars_already_sized_are_left_alone() -> None:
    assert not html_problems(latex_to_mathml(r"\left\lvert x \right\rvert"))
    assert not html_problems(latex_to_mathml(r"\bigl\lVert x \bigr\rVert"))


def test_latex_outside_dollars_is_reported() -> None:
    assert html_problems(render_markdown("with C_{t-1} = 1"))
    assert html_problems(render_markdown(r"the \sigma function"))
    assert not html_problems(render_markdown("with $C_{t-1} = 1$ and `x_{i}`"))


def test_a_formula_the_converter_cannot_read_shows_as_code() -> None:
    mathml = latex_to_mathml(r"\frac{1}{")
    assert 'class="latex-error"' in mathml
    assert html_problems(mathml)


def test_text_cannot_forge_a_formula_placeholder() -> None:
    from exercises.rendering import render_markdown

    html = render_markdown("MATHPLACEHOLDER0X and MATHPLACEHOLDER99X, then $x$")
    assert "MATHPLACEHOLDER0X" in html and "MATHPLACEHOLDER99X" in html
    assert html.count("<math") == 1


def test_a_formula_inside_a_link_address_cannot_break_out() -> None:
    from exercises.rendering import render_markdown

    html = render_markdown('[x]($\\text{" onmouseover="alert(1)}$)')
    assert "onmouseover" not in html


def test_markdown_text_removes_raw_html_and_script_links() -> None:
    from exercises.rendering import markdown_text

    text = markdown_text("a <script>alert(1)</script> [b](javascript:x) $c<d$")
    assert "<script" not in text and "&lt;script&gt;" in text
    assert "javascript:" not in text and "[b](#" in text
    assert "$c&lt;d$" in text


def _course_texts() -> list[str]:
    """Every string in the course bank: prompts, explanations, hints, notes."""
    from exercises.bank import course_read

    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for topic in course_read().topics:
        walk(topic.data)
    return found


def test_the_reused_converter_renders_every_course_text_as_a_new_one_would() -> None:
    """One converter per thread, reset between texts, leaves nothing of one
    text in the next (footnotes, fenced blocks, lists): the course bank, in
    order, comes out as markdown.markdown renders each text afresh."""
    import markdown

    from exercises.rendering import _EXTENSIONS, _markdown_html

    texts = _course_texts()
    assert len(texts) > 500
    for text in texts:
        assert _markdown_html(text) == markdown.markdown(text, extensions=_EXTENSIONS)


def test_a_text_is_rendered_once_and_then_served_from_memory() -> None:
    from exercises.rendering import _rendered

    text = "A note rendered by this test alone: $\\sigma(x)$ and **bold**."
    before = _rendered.cache_info()
    first = render_markdown(text)
    second = render_markdown(text)
    after = _rendered.cache_info()
    assert first == second and "<math" in first and "<strong>" in first
    assert after.misses - before.misses == 1 and after.hits - before.hits == 1
    # `inline` is part of the key: the same text without its paragraph.
    assert render_markdown(text, inline=True) == first[3:-4]
