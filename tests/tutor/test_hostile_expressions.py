"""Expressions that would make the web process compute for hours are refused
from their syntax tree, before any arithmetic, and the site stays responsive.

`(((9^64)^64)^64)^64` is 19 characters; evaluated, it is an integer of about
16 million digits, and one more `^64` would take hours. Its size is bounded
from the tree (a power multiplies its base's digits by its exponent) and the
input refused with a message; rendering what is accepted never raises.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.test import Client

from exercises.checkers import expressions
from exercises.checkers.expressions import ExpressionError, parse
from exercises.checkers.symbolic import check_symbolic

SLUG = "adversarial-linear-score-symbolic"
VARIABLES = ["s", "alpha", "w1", "w2"]
EXPLOSIVE = [
    "(((9^64)^64)^64)^64",
    "((((9^64)^64)^64)^64)^64",
    "((9^64)^64)^2",
    "(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)*(9^64)",
    "exp(exp(exp(10*e)))",
    "2^(20000*s)",
    "cosh(cosh(cosh(s*10)))",
    "(s^64)^64",
]


@pytest.mark.parametrize("text", EXPLOSIVE)
def test_explosive_expressions_are_refused_before_any_arithmetic(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_building(*args: Any) -> None:
        raise AssertionError("the expression was built")

    monkeypatch.setattr(expressions, "_build", no_building)
    with pytest.raises(ExpressionError, match="too large to check"):
        parse(text, VARIABLES)


def test_ordinary_powers_and_large_numbers_are_still_read() -> None:
    for text in ["9^64", "s^64", "alpha*(w1^2 + w2^2)^3", "exp(s)*exp(10)", "2^-64"]:
        parse(text, VARIABLES)
    assert len(parse("9^64", VARIABLES).latex) > 60


def test_the_checker_says_why_in_words() -> None:
    spec = {"variables": VARIABLES, "answer": "s + alpha*(w1^2 + w2^2)"}
    result = check_symbolic(spec, {"expression": "(((9^64)^64)^64)^64"})
    assert not result.readable and "too large to check" in result.message


@pytest.mark.django_db
@pytest.mark.parametrize("text", EXPLOSIVE[:3])
def test_check_the_form_refuses_with_422(
    student_client: Client, course: None, text: str
) -> None:
    response = student_client.post(f"/questions/{SLUG}/check", {"expression": text})
    assert response.status_code == 422
    assert "too large to check" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_while_such_requests_are_in_flight(
    student: Any, course: None
) -> None:
    """Before the bound, sympy built the integer holding the interpreter lock:
    /healthz waited 35 s behind one such request. The bound here (5 s) is far
    above what a loaded machine needs and far below that."""
    attacker = Client()
    attacker.force_login(student)
    statuses: list[int] = []

    def attack() -> None:
        for text in EXPLOSIVE[:2] * 5:
            statuses.append(
                attacker.post(
                    f"/questions/{SLUG}/check", {"expression": text}
                ).status_code
            )

    threads = [threading.Thread(target=attack) for _ in range(2)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    health = Client().get("/healthz")
    waited = time.monotonic() - started
    for thread in threads:
        thread.join()
    assert health.status_code == 200
    assert waited < 5.0, f"/healthz waited {waited:.1f} s"
    assert statuses == [422] * 20
