"""A safe reader for numbers written as students write them.

Accepts a number, a fraction or a small arithmetic expression ("1/8",
"log(2/2)", "0.992/0.018", "3·10^-2", "−0,5"). The input is parsed to a syntax
tree and walked against a whitelist; nothing is ever passed to eval. Every
constant becomes a float before arithmetic, so a huge power overflows at once
instead of building a giant integer.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_LENGTH = 200
MAX_DEPTH = 20
MAX_EXPONENT = 1000.0
FUNCTIONS: dict[str, Callable[[float], float]] = {
    "log": math.log,
    "ln": math.log,
    "log10": math.log10,
    "log2": math.log2,
    "exp": math.exp,
    "sqrt": math.sqrt,
    "tanh": math.tanh,
    "sigmoid": lambda x: 1.0 / (1.0 + math.exp(-x)),
}
CONSTANTS = {"pi": math.pi, "e": math.e}
_REPLACEMENTS = {
    "\u2212": "-",  # minus sign
    "\u2013": "-",  # en dash
    "\u00d7": "*",  # multiplication sign
    "\u00b7": "*",  # middle dot
    "\u22c5": "*",  # dot operator
    "\u00f7": "/",
    "^": "**",
    "\u03c0": "pi",
}


class ReadError(ValueError):
    """The input is not a readable number; the message says where and why."""


@dataclass(frozen=True)
class Reading:
    value: float
    normalised: str


def read_number(text: str) -> Reading:
    if not isinstance(text, str) or not text.strip():
        raise ReadError("Enter a number.")
    if len(text) > MAX_LENGTH:
        raise ReadError(f"That is longer than {MAX_LENGTH} characters.")
    normalised = normalise(text)
    for word in re.findall(r"[A-Za-z_]\w*", normalised):
        if (
            word not in FUNCTIONS
            and word not in CONSTANTS
            and not re.fullmatch(r"e\d*", word)
        ):
            raise ReadError(
                f"“{word}” is not a number: write digits, a fraction such as 1/8, "
                "or use log, exp, sqrt."
            )
    try:
        tree = ast.parse(normalised, mode="eval")
    except SyntaxError as exc:
        position = (exc.offset or 1) - 1
        raise ReadError(
            f"Could not read the input at character {position + 1}: "
            f"“{normalised[:position]}⟦{normalised[position : position + 1]}⟧"
            f"{normalised[position + 1 :]}”."
        ) from None
    value = _evaluate(tree.body, 0)
    if not math.isfinite(value):
        raise ReadError("That evaluates to infinity or to something undefined.")
    return Reading(value, normalised)


def normalise(text: str) -> str:
    out = text.strip()
    for old, new in _REPLACEMENTS.items():
        out = out.replace(old, new)
    # A comma between digits is a decimal comma ("0,125").
    out = re.sub(r"(?<=\d),(?=\d)", ".", out)
    # "3·10^-2" and "2e-3" are fine; "2x" is not. Drop thin spaces inside numbers.
    return re.sub(r"(?<=\d)[\s\u2009\u202f](?=\d)", "", out)


def _evaluate(node: ast.AST, depth: int) -> float:
    if depth > MAX_DEPTH:
        raise ReadError("That expression is nested too deeply.")
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        if isinstance(node.value, bool):
            raise ReadError("That is not a number.")
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise ReadError(
            f"“{node.id}” is not a number; only numbers and log, exp, sqrt are allowed."
        )
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        value = _evaluate(node.operand, depth + 1)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        return _binary(node, depth)
    if isinstance(node, ast.Call):
        return _call(node, depth)
    raise ReadError("Only numbers, + − × / ^, brackets and log, exp, sqrt are allowed.")


def _binary(node: ast.BinOp, depth: int) -> float:
    left = _evaluate(node.left, depth + 1)
    right = _evaluate(node.right, depth + 1)
    try:
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
        if isinstance(node.op, ast.Pow):
            if abs(right) > MAX_EXPONENT:
                raise ReadError("That exponent is too large.")
            result = left**right
            if isinstance(result, complex):
                raise ReadError("That power is not a real number.")
            return float(result)
    except ZeroDivisionError:
        raise ReadError("That divides by zero.") from None
    except OverflowError:
        raise ReadError("That number is too large.") from None
    raise ReadError("Only + − × / and ^ are allowed between numbers.")


def _call(node: ast.Call, depth: int) -> float:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        raise ReadError("Only log, ln, exp, sqrt, tanh and sigmoid may be called.")
    if len(node.args) != 1 or node.keywords:
        raise ReadError(f"{node.func.id} takes exactly one argument.")
    argument = _evaluate(node.args[0], depth + 1)
    try:
        result = FUNCTIONS[node.func.id](argument)
    except (ValueError, OverflowError):
        raise ReadError(
            f"{node.func.id}({argument:g}) is undefined or too large."
        ) from None
    if isinstance(result, complex):
        raise ReadError(f"{node.func.id}({argument:g}) is not a real number.")
    return float(result)
