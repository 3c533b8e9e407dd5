"""Course text to safe HTML: Markdown with $…$ / $$…$$ maths as MathML.

Maths is typeset on the server (LaTeX to MathML, which browsers render
natively), so pages need no maths JavaScript and never flash raw LaTeX. The
HTML is sanitised: content written in the admin cannot inject scripts.
"""

from __future__ import annotations

import html
import re
import secrets
import threading
from functools import lru_cache

import markdown
import nh3
from latex2mathml.converter import convert

_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$\w])\$(?=\S)(.+?)(?<=\S)\$(?![\w$])", re.S)
# Formulas are set aside while Markdown runs, each behind a placeholder that
# holds a random token drawn anew for every call: text cannot forge one.
_PLACEHOLDER = "MATH{token}N{index}X"
# Every render's placeholders, one pattern compiled once: a pattern made per
# render with its token in it missed re's cache each time and pushed out the
# patterns Markdown and the maths converter reuse.
_PLACED = re.compile(r"MATH([0-9a-f]{16})N(\d+)X")

MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "lspace",
    "rspace", "columnalign", "columnspacing", "rowspacing", "linethickness", "accent",
    "accentunder", "displaystyle", "scriptlevel", "width", "height", "depth", "notation",
    "minsize", "maxsize", "movablelimits", "largeop", "symmetric", "form",
}  # fmt: skip
HTML_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "ul", "ol", "li", "a", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "hr", "span", "sub", "sup",
}  # fmt: skip
_ATTRIBUTES = dict.fromkeys(MATHML_TAGS, MATHML_ATTRIBUTES) | {
    "a": {"href", "title"},
    "code": {"class"},
    "span": {"class"},
    "th": {"align"},
    "td": {"align"},
}


# latex2mathml writes a bmatrix's brackets as plain <mo>, which browsers only
# stretch when the bracket opens or closes its row; \left…\right marks them
# stretchy wherever the matrix stands (after "W =" for instance).
_MATRIX_FENCES = {"bmatrix": ("[", "]"), "pmatrix": ("(", ")"), "vmatrix": ("|", "|")}
_MATRIX = re.compile(r"\\(begin|end)\{([bpv]matrix)\}")


def _stretchy_matrices(latex: str) -> str:
    def fence(match: re.Match[str]) -> str:
        left, right = _MATRIX_FENCES[match.group(2)]
        if match.group(1) == "begin":
            return rf"\left{left}\begin{{matrix}}"
        return rf"\end{{matrix}}\right{right}"

    return _MATRIX.sub(fence, latex)


# \lvert…\rvert and \lVert…\rVert come out as plain bars that Chromium sizes
# unevenly; as \left…\right pairs both bars match. After \bigl and the like
# the converter wants the bar itself, and keeps a command as text.
_BARS = re.compile(r"(\\(?:left|right|[bB]igg?[lr]?))?\\(l|r)(vert|Vert)(?![A-Za-z])")


def _paired_bars(latex: str) -> str:
    def pair(match: re.Match[str]) -> str:
        if match.group(1) in (r"\left", r"\right"):
            return match.group(0)
        if match.group(1):  # \bigl and the like size a bar, not a command
            return match.group(1) + ("|" if match.group(3) == "vert" else "‖")
        side = "left" if match.group(2) == "l" else "right"
        return (
            rf"\{side}|"
            if match.group(3) == "vert"
            else rf"\{side}\{match.group(2)}Vert"
        )

    return _BARS.sub(pair, latex)


@lru_cache(maxsize=4096)
def latex_to_mathml(latex: str, display: bool = False) -> str:
    """MathML for one formula; a formula that cannot be converted shows as code."""
    try:
        mathml = convert(
            _paired_bars(_stretchy_matrices(latex.strip())),
            display="block" if display else "inline",
        )
    except Exception:  # noqa: BLE001 - latex2mathml raises many kinds on bad input
        return f'<code class="latex-error">{html.escape(latex)}</code>'
    return nh3.clean(mathml, tags=MATHML_TAGS, attributes=_ATTRIBUTES)


def formulas_in(text: str) -> list[str]:
    """The LaTeX of each $…$ and $$…$$ formula of a text, in order."""
    return [match.group(1) or match.group(2) for match in _MATH.finditer(text or "")]


_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]
_CONVERTERS = threading.local()


def _markdown_html(text: str) -> str:
    """Markdown to HTML with this thread's converter, reset between texts
    (building one loads its extensions: most of the cost of a short text)."""
    converter = getattr(_CONVERTERS, "markdown", None)
    if converter is None:
        converter = _CONVERTERS.markdown = markdown.Markdown(extensions=_EXTENSIONS)
    return converter.reset().convert(text)


def render_markdown(text: str, *, inline: bool = False) -> str:
    """Sanitised HTML for Markdown with maths. `inline` drops the outer <p>.

    The formulas go back in before the one sanitising pass, so that whatever
    the text does around them (a formula inside a link's address, say) the
    sanitiser sees the whole page. A page shows the same course text to every
    student: each text is rendered once per process, then served from memory."""
    return _rendered(text or "", inline)


@lru_cache(maxsize=4096)
def _rendered(text: str, inline: bool) -> str:
    formulas: list[str] = []
    token = secrets.token_hex(8)

    def stash(match: re.Match[str]) -> str:
        display = match.group(1) is not None
        formulas.append(latex_to_mathml(match.group(1) or match.group(2), display))
        return _PLACEHOLDER.format(token=token, index=len(formulas) - 1)

    protected = _MATH.sub(stash, text).replace(r"\$", "$")
    rendered = _markdown_html(protected)
    if (
        inline
        and rendered.startswith("<p>")
        and rendered.endswith("</p>")
        and rendered.count("<p>") == 1
    ):
        rendered = rendered[3:-4]

    def put_back(match: re.Match[str]) -> str:
        if match.group(1) != token:  # the text's own look-alike: left as it is
            return match.group(0)
        return formulas[int(match.group(2))]

    with_maths = _PLACED.sub(put_back, rendered)
    return nh3.clean(
        with_maths,
        tags=HTML_TAGS | MATHML_TAGS,
        attributes=_ATTRIBUTES,
        link_rel="noopener noreferrer",
    )


_UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data|file):", re.I)


def markdown_text(text: str) -> str:
    """Markdown written by a user, made safe to hand on as a Markdown file:
    no raw HTML survives (`<`, `>` and `&` become entities, which Markdown
    shows as themselves, so no tag can open) and no link runs a script."""
    return _UNSAFE_LINK.sub("](#", html.escape(text or "", quote=False))
