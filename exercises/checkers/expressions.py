"""Reading a student's expression safely into sympy.

Nothing a student types reaches `sympify`, `parse_expr` or `eval`: both run
Python code (`sympify("__import__('os')...")` does). Instead the input is
normalised, parsed by Python's own parser (which builds a tree and runs
nothing), checked against a whitelist of node types — numbers, declared
variables, + − × ÷ and powers, and calls of a few named functions — with caps
on length, size, nesting and exponents, and only then built into sympy objects
by this module's own code.

A malformed input raises `ExpressionError` with a message saying where.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sympy

MAX_LENGTH = 300
MAX_NODES = 200
MAX_DEPTH = 30
MAX_EXPONENT = 64
MAX_CONSTANT = 10**12
# The largest magnitude any part of an expression may reach, as a power of
# ten, estimated from the syntax tree before anything is computed: beyond it,
# exact arithmetic (9^64^64…) or nested exponentials would take the server
# minutes or hours, and no answer of this course needs such numbers.
MAX_LOG10 = 1000.0
# Variables are checked at points of magnitude at most this (see symbolic.py).
VARIABLE_LOG10 = 1.0


class ExpressionError(ValueError):
    """The input is not a readable expression; the message says where and why."""


class sigma(sympy.Function):  # noqa: N801 - the notes' name for the logistic function
    """The logistic function σ(x) = 1 / (1 + e^(−x))."""

    def _eval_rewrite_as_exp(self, x: Any, **kwargs: Any) -> Any:
        return 1 / (1 + sympy.exp(-x))

    def fdiff(self, argindex: int = 1) -> Any:
        return sigma(self.args[0]) * (1 - sigma(self.args[0]))

    def _latex(self, printer: Any, exp: Any = None) -> str:
        tex = rf"\sigma\left({printer._print(self.args[0])}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "exp": sympy.exp,
    "log": sympy.log,
    "ln": sympy.log,
    "sqrt": sympy.sqrt,
    "tanh": sympy.tanh,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "abs": sympy.Abs,
    "sigma": sigma,
    "sigmoid": sigma,
}
CONSTANTS = {"pi": sympy.pi, "e": sympy.E}
_REPLACEMENTS = {
    "\u2212": "-",
    "\u2013": "-",
    "\u00d7": "*",
    "\u00b7": "*",
    "\u22c5": "*",
    "\u2299": "*",  # ⊙: element-wise product, a product of scalars here
    "\u00f7": "/",
    "^": "**",
    "\u03c3": "sigma",
    "\u03c0": "pi",
    "\u221a": "sqrt",
}
_ALLOWED = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Call, ast.Load,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd,
)  # fmt: skip


@dataclass(frozen=True)
class Parsed:
    expression: sympy.Expr
    normalised: str

    @property
    def latex(self) -> str:
        try:
            return sympy.latex(self.expression)
        except (ValueError, RecursionError):  # e.g. an integer past str()'s limit
            return r"\text{(too long to show)}"


def normalise(text: str) -> str:
    out = text.strip()
    for old, new in _REPLACEMENTS.items():
        out = out.replace(old, new)
    out = re.sub(r"(?<=\d),(?=\d)", ".", out)  # a decimal comma
    # Implicit products a student writes by hand: 2x, 2(x+1), (a)(b), x(1-x).
    out = re.sub(r"(?<=\d)(?![eE][+-]?\d)\s*(?=[A-Za-z_(])", "*", out)
    out = re.sub(r"\)\s*(?=[\w(])", ")*", out)
    return out


def parse(text: str, variables: Iterable[str]) -> Parsed:
    """The expression as a sympy object over `variables` (other names are refused)."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("Enter an expression.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"That is longer than {MAX_LENGTH} characters.")
    normalised = normalise(text)
    known = set(variables)
    normalised = _multiply_variables_before_brackets(normalised, known)
    try:
        tree = ast.parse(normalised, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(_syntax_message(normalised, exc)) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("That expression could not be read.") from None
    _check_shape(tree, known)
    symbols = {name: sympy.Symbol(name, real=True) for name in known}
    return Parsed(_build(tree.body, symbols), normalised)


def _multiply_variables_before_brackets(text: str, variables: set[str]) -> str:
    # "x(1 - x)" means x·(1 − x) when x is a variable, not a call.
    for name in sorted(variables, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\s*\(", f"{name}*(", text)
    return text


def _syntax_message(text: str, exc: SyntaxError) -> str:
    position = max(0, min(len(text), (exc.offset or 1) - 1))
    marked = f"{text[:position]}⟦{text[position : position + 1]}⟧{text[position + 1 :]}"
    return f"Could not read the expression at character {position + 1}: “{marked}”."


def _check_shape(tree: ast.Expression, variables: set[str]) -> None:
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ExpressionError("That expression is too long to check.")
    called = {id(node.func) for node in nodes if isinstance(node, ast.Call)}
    for node in nodes:
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(_refusal(node))
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, (int, float))
        ):
            raise ExpressionError("Only numbers may appear as constants.")
        if id(node) in called:
            continue  # a function's name: _check_call judges it
        if (
            isinstance(node, ast.Name)
            and node.id not in variables
            and node.id not in CONSTANTS
        ):
            if node.id in FUNCTIONS:
                raise ExpressionError(f"{node.id} is a function: write {node.id}(…).")
            allowed = ", ".join(sorted(variables)) or "none"
            raise ExpressionError(
                f"“{node.id}” is not one of the variables ({allowed})."
            )
        if isinstance(node, ast.Call):
            _check_call(node)
    if _depth(tree.body) > MAX_DEPTH:
        raise ExpressionError("That expression is nested too deeply.")
    if magnitude(tree.body) > MAX_LOG10:
        raise ExpressionError(
            "That expression reaches numbers too large to check (more than "
            f"{MAX_LOG10:.0f} digits): simplify it and try again."
        )


def _refusal(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return "Attribute access (a dot after a name) is not allowed."
    if isinstance(
        node, (ast.Lambda, ast.comprehension, ast.ListComp, ast.GeneratorExp)
    ):
        return "Only an arithmetic expression is allowed."
    if isinstance(node, ast.Subscript):
        return "Indexing with [ ] is not allowed; write names like W_f as Wf."
    return f"“{type(node).__name__}” is not allowed in an expression."


def _check_call(node: ast.Call) -> None:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        allowed = ", ".join(sorted(FUNCTIONS))
        raise ExpressionError(f"Only these functions may be called: {allowed}.")
    if len(node.args) != 1 or node.keywords:
        raise ExpressionError(f"{node.func.id} takes exactly one argument.")


_LOG10_E = math.log10(math.e)
# Functions whose value stays within [-1, 1] (or near it) whatever the input.
_BOUNDED = {"tanh", "sin", "cos", "sigma", "sigmoid"}
_EXPONENTIAL = {"exp", "sinh", "cosh"}


def magnitude(node: ast.AST) -> float:
    """An upper bound on log10 of the size of any value the (checked) node can
    take, with variables at most 10^VARIABLE_LOG10: the size of the numbers an
    evaluation would build. Computed on the tree alone, in floats; math.inf
    when unbounded."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return math.log10(max(abs(float(node.value)), 1.0))
    if isinstance(node, ast.Name):
        return 0.5 if node.id in CONSTANTS else VARIABLE_LOG10
    if isinstance(node, ast.UnaryOp):
        return magnitude(node.operand)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call_magnitude(node.func.id, magnitude(node.args[0]))
    if isinstance(node, ast.BinOp):
        return _binop_magnitude(node)
    return math.inf


def _call_magnitude(name: str, argument: float) -> float:
    if name in _BOUNDED:
        return 0.0
    if name in _EXPONENTIAL:
        return _LOG10_E * _power_of_ten(argument)
    if name == "sqrt":
        return argument / 2
    return argument  # log, ln, abs: never larger than their argument's size


def _binop_magnitude(node: ast.BinOp) -> float:
    left, right = magnitude(node.left), magnitude(node.right)
    if isinstance(node.op, (ast.Add, ast.Sub)):
        return max(left, right) + math.log10(2)
    if isinstance(node.op, ast.Mult):
        return left + right
    if isinstance(node.op, ast.Div):
        return left + _reciprocal_magnitude(node.right)
    return left * _power_of_ten(right)  # a power: |a^b| <= |a|^|b|


def _reciprocal_magnitude(node: ast.AST) -> float:
    """A bound on log10 |1/x| for a constant x (a small divisor makes a large
    number); a divisor that involves a variable is a pole, not growth."""
    if isinstance(node, ast.UnaryOp):
        return _reciprocal_magnitude(node.operand)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and node.value
    ):
        return max(0.0, -math.log10(abs(float(node.value))))
    return 0.0


def _power_of_ten(exponent: float) -> float:
    return math.inf if exponent > 300 else 10.0**exponent


def _depth(node: ast.AST) -> int:
    children = list(ast.iter_child_nodes(node))
    return 1 + max((_depth(child) for child in children), default=0)


def _build(node: ast.AST, symbols: dict[str, sympy.Symbol]) -> Any:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, (int, float))  # _check_shape let only numbers in
        return _constant(node.value)
    if isinstance(node, ast.Name):
        return symbols.get(node.id, CONSTANTS.get(node.id))
    if isinstance(node, ast.UnaryOp):
        operand = _build(node.operand, symbols)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        return FUNCTIONS[node.func.id](_build(node.args[0], symbols))
    assert isinstance(node, ast.BinOp)
    left, right = _build(node.left, symbols), _build(node.right, symbols)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if isinstance(node.op, ast.Div):
        if right == 0:
            raise ExpressionError("That divides by zero.")
        return left / right
    return _power(left, right)


def _constant(value: float) -> Any:
    if abs(value) > MAX_CONSTANT:
        raise ExpressionError("That number is too large.")
    if isinstance(value, int):
        return sympy.Integer(value)
    return (
        sympy.nsimplify(value, rational=True)
        if abs(value) < 1e6
        else sympy.Float(value)
    )


def _power(base: Any, exponent: Any) -> Any:
    # Bottom-up magnitude check: 9^9^9 is refused before it is ever computed.
    if exponent.is_number:
        magnitude = abs(complex(exponent.evalf(15)))
        if magnitude > MAX_EXPONENT:
            raise ExpressionError(
                f"Exponents larger than {MAX_EXPONENT} are not allowed."
            )
    elif base.is_number and abs(complex(base.evalf(15))) > 1e6:
        raise ExpressionError("That power is too large to check.")
    return sympy.Pow(base, exponent)
