"""A plain-text reading of course HTML with MathML formulas in it.

Screen readers and axe-core do not take an accessible name from MathML inside a
<label>, so an option or a part whose label is a formula gets this reading as
its aria-label: `σ(x)(1 − σ(x))`, `(1)/(2)`, `W_(hh)`, `√(d_k)`, `[1, 2; 3, 4]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements whose children are read one after the other with an operator between.
_JOINED = {"mfrac": "/", "msup": "^", "msub": "_", "mroot": "√"}
_SPACE = re.compile(r"\s+")
# A sign after an opening bracket or at the start is a sign, not an operation.
_UNARY = re.compile(r"(^|[(\[^_,;]) ?([−+-]) ")


@dataclass
class _Node:
    tag: str
    children: list[_Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    """The HTML as a tree of tags and text (MathML elements are all closed)."""

    VOID = {"br", "hr", "img", "input", "mspace"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag)
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def spoken(html: str) -> str:
    """The text of `html` with every formula read out in plain characters."""
    tree = _Tree()
    tree.feed(html or "")
    tree.close()
    return _SPACE.sub(" ", _text(tree.root)).strip()


def has_math(html: str) -> bool:
    return "<math" in (html or "")


def _text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "annotation":
        return ""
    if node.tag == "math":
        return _UNARY.sub(r"\1\2", _formula(node)).strip()
    return "".join(_text(child) for child in node.children)


def _formula(node: _Node | str) -> str:
    if isinstance(node, str):
        return node.strip()
    parts = [_formula(child) for child in node.children]
    parts = [part for part in parts if part]
    if node.tag in _JOINED and len(parts) >= 2:
        if node.tag == "mroot":
            return f"{_grouped(parts[1])}√{_grouped(parts[0])}"
        base, *rest = parts
        joined = _JOINED[node.tag].join(_grouped(part) for part in rest)
        return f"{_grouped(base)}{_JOINED[node.tag]}{joined}"
    if node.tag == "msubsup" and len(parts) == 3:
        return f"{_grouped(parts[0])}_{_grouped(parts[1])}^{_grouped(parts[2])}"
    if node.tag == "msqrt":
        return f"√({''.join(parts)})"
    if node.tag == "mtable":
        return "; ".join(parts)
    if node.tag == "mtr":
        return ", ".join(parts)
    if node.tag == "mo":
        operator = "".join(parts)
        return f" {operator} " if operator in "+−-=×·<>≤≥≈→" else operator
    return "".join(parts)


def _grouped(text: str) -> str:
    """`text` alone, or in brackets when it is more than one symbol or number."""
    text = text.strip()
    if re.fullmatch(r"[\w.]+|\S", text) or _bracketed(text):
        return text
    return f"({text})"


def _bracketed(text: str) -> bool:
    """Whether the bracket that opens `text` is the one that closes it."""
    if text[:1] + text[-1:] not in ("()", "[]"):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += (char in "([") - (char in ")]")
        if depth == 0:
            return index == len(text) - 1
    return False
