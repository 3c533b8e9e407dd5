"""Vector and matrix answers: element-wise with tolerance, wrong shape reported
as such.

A student writes rows on separate lines (or separated by `;`), entries
separated by spaces or commas, with or without brackets:

    0.5  0.25          [[0.5, 0.25],         0.5, 0.25; 1/8, 1
    1/8  1              [1/8, 1]]

Every entry is read like a numeric answer (fractions and small expressions
are fine).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from exercises.checkers.arithmetic import ReadError, read_number
from exercises.checkers.base import CheckResult
from exercises.rendering import latex_to_mathml

MAX_ROWS = 30
MAX_COLUMNS = 30


def read_matrix(text: str) -> np.ndarray:
    if not isinstance(text, str) or not text.strip():
        raise ReadError("Enter the entries, one row per line.")
    if len(text) > 20_000:
        raise ReadError("That is too long.")
    body = text.strip()
    rows_text = re.split(r"\]\s*,?\s*\[|\n|;", body)
    rows = []
    for row_number, row_text in enumerate(rows_text, start=1):
        cleaned = row_text.replace("[", " ").replace("]", " ").strip().strip(",")
        if not cleaned:
            continue
        entries = [item for item in re.split(r"[,\s]+", cleaned) if item]
        if len(entries) > MAX_COLUMNS:
            raise ReadError(f"Row {row_number} has more than {MAX_COLUMNS} entries.")
        values = []
        for column, entry in enumerate(entries, start=1):
            try:
                values.append(read_number(entry).value)
            except ReadError as exc:
                raise ReadError(
                    f"Row {row_number}, entry {column} (“{entry}”): {exc}"
                ) from None
        rows.append(values)
    if not rows:
        raise ReadError("Enter the entries, one row per line.")
    if len(rows) > MAX_ROWS:
        raise ReadError(f"More than {MAX_ROWS} rows.")
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        raise ReadError(
            "Rows have different lengths ("
            + ", ".join(str(len(row)) for row in rows)
            + "); every row needs the same number of entries."
        )
    matrix = np.array(rows, dtype=float)
    # One row written without row structure ("0.5 0.25") is a vector.
    return matrix[0] if len(rows) == 1 and "[[" not in body else matrix


def matrix_latex(values: Any, digits: int = 4) -> str:
    array = np.atleast_2d(np.asarray(values, dtype=float))
    rows = [" & ".join(f"{v:.{digits}g}" for v in row) for row in array]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def shape_words(array: np.ndarray) -> str:
    if array.ndim == 1:
        return f"a vector of {array.shape[0]} entries"
    return f"a {array.shape[0]}×{array.shape[1]} matrix"


def check_matrix(
    spec: dict[str, Any], answer: dict[str, Any], expected: Any
) -> CheckResult:
    try:
        got = read_matrix(str(answer.get("value", "")))
    except ReadError as exc:
        return CheckResult.unreadable(str(exc))
    want = np.asarray(expected, dtype=float)
    interpretation = f"Read as {latex_to_mathml(matrix_latex(got))}"
    compared = _aligned(got, want)
    if compared is None:
        return CheckResult(
            True,
            False,
            0.0,
            f"Wrong shape: expected {shape_words(want)}, you gave {shape_words(got)}.",
            interpretation,
        )
    tolerance = spec.get("tolerance", {})
    ok = np.isclose(
        compared,
        want,
        rtol=float(tolerance.get("rel", 1e-3)),
        atol=float(tolerance.get("abs", 1e-3)),
    )
    if ok.all():
        return CheckResult(True, True, 1.0, "Correct.", interpretation)
    wrong = np.argwhere(~ok)
    first = tuple(int(i) for i in wrong[0])
    where = (
        f"entry {first[0] + 1}"
        if want.ndim == 1
        else f"row {first[0] + 1}, column {first[1] + 1}"
    )
    return CheckResult(
        True,
        False,
        round(float(ok.mean()), 6) if spec.get("partial_credit") else 0.0,
        f"{len(wrong)} of {want.size} entries are wrong; the first is {where}: "
        f"expected {want[first]:.4g}, you wrote {compared[first]:.4g}.",
        interpretation,
        {"wrong": [list(map(int, index)) for index in wrong]},
    )


def _aligned(got: np.ndarray, want: np.ndarray) -> np.ndarray | None:
    """The student's array in the expected shape; a vector may be written as a
    row or a column. None when the shapes really differ."""
    if got.shape == want.shape:
        return got
    if want.ndim == 1 and got.size == want.size and 1 in got.shape:
        return got.reshape(want.shape)
    if got.ndim == 1 and want.ndim == 2 and 1 in want.shape and got.size == want.size:
        return got.reshape(want.shape)
    return None
