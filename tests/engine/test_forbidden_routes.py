"""Every route to a forbidden routine, through engine.grade: an LSTM cell, a
Jacobian by autograd, a library cosine, however imported or named; the ones no
reading of the source can see are refused in the child. Each is also graded
with nothing forbidden, to show that only the refusal stops it.
"""

from __future__ import annotations

import pytest

from engine import grade
from tests.engine.forbidding import (
    COSINE,
    FUNCTION,
    JACOBIAN,
    LSTM,
    allowing_everything,
    hidden,
    lstm_source,
    static,
)
from tests.engine.hostile import LINUX_ONLY

pytestmark = LINUX_ONLY


def assert_refused_but_working(exercise: str, source: str, used: str) -> None:
    """Graded as forbidden, naming what was used; graded with nothing
    forbidden, the same code passes (so only the refusal stops it)."""
    report = grade(exercise, source)
    assert report.verdict == "forbidden" and not report.gradable, report.message
    assert report.score == 0.0
    assert f"uses {used}" in report.message or f"used {used}" in report.message, (
        report.message
    )
    control = grade(allowing_everything(exercise), source)  # type: ignore[arg-type]
    assert control.verdict == "passed", control.message


MODULE = """
def lstm_cell(x, h_prev, C_prev, W, b):
    single, x, h, c, w_ih, w_hh, b = _prepare(x, h_prev, C_prev, W, b)
    Cell = {routine}
    cell = Cell(w_ih.shape[1], h.shape[1], dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(w_ih)
        cell.weight_hh.copy_(w_hh)
        cell.bias_ih.copy_(b)
        cell.bias_hh.zero_()
    h, c = cell(x, (h, c))
    return _finish(single, h, c)
"""

# (import line, expression giving the routine, body, name the report gives)
LSTM_ROUTES = [
    ("from torch.nn import LSTMCell", "LSTMCell", MODULE, "torch.nn.LSTMCell"),
    ("import torch.nn as nn", "nn.LSTMCell", MODULE, "torch.nn.LSTMCell"),
    ("from torch.nn import LSTMCell as C", "C", MODULE, "torch.nn.LSTMCell"),
    (
        "from torch import nn",
        "nn.modules.rnn.LSTMCell",
        MODULE,
        "torch.nn.modules.rnn.LSTMCell",
    ),
    ("", 'getattr(torch.nn, "LSTM" + "Cell")', MODULE, "torch.nn.LSTMCell"),
    ("", '__import__("torch").nn.LSTMCell', MODULE, "torch.nn.LSTMCell"),
    ("", 'importlib.import_module("torch.nn").LSTMCell', MODULE, "torch.nn.LSTMCell"),
    ("", "torch.lstm_cell", FUNCTION, "torch.lstm_cell"),
    ("", "torch._VF.lstm_cell", FUNCTION, "torch._VF.lstm_cell"),
    (
        "",
        "torch._C._VariableFunctions.lstm_cell",
        FUNCTION,
        "torch._C._VariableFunctions.lstm_cell",
    ),
    ("", "torch.ops.aten.lstm_cell", FUNCTION, "torch.ops.aten.lstm_cell"),
]

# The same routines reached through names computed at run time: only the
# child can refuse them.
LSTM_HIDDEN_ROUTES = [
    (f"getattr(torch.nn, {hidden('LSTMCell')})", MODULE, "torch.nn.LSTMCell"),
    (f"__import__({hidden('torch')}).nn.LSTMCell", MODULE, "torch.nn.LSTMCell"),
    (
        f"importlib.import_module({hidden('torch.nn.modules.rnn')}).LSTMCell",
        MODULE,
        "torch.nn.LSTMCell",
    ),
    (
        f"[c for c in torch.nn.RNNCellBase.__subclasses__() if c.__name__ == {hidden('LSTMCell')}][0]",
        MODULE,
        "torch.nn.LSTMCell",
    ),
    (f"getattr(torch, {hidden('lstm_cell')})", FUNCTION, "torch.lstm_cell"),
    (
        f"getattr(__import__({hidden('torch._VF')}, fromlist=['_']), {hidden('lstm_cell')})",
        FUNCTION,
        "torch._VF.lstm_cell",
    ),
    (
        f"getattr(getattr(torch._C, {hidden('_VariableFunctions')}), {hidden('lstm_cell')})",
        FUNCTION,
        "torch._C._VariableFunctions.lstm_cell",
    ),
    (
        f"getattr(getattr(torch._C, {hidden('_VariableFunctionsClass')}), {hidden('lstm_cell')})",
        FUNCTION,
        "torch._C._VariableFunctionsClass.lstm_cell",
    ),
    (
        f"getattr(torch.ops.aten, {hidden('lstm_cell')})",
        FUNCTION,
        "torch.ops.aten.lstm_cell",
    ),
]


@pytest.mark.parametrize(("imports", "routine", "body", "used"), LSTM_ROUTES)
def test_an_lstm_cell_from_the_library_is_forbidden(
    imports: str, routine: str, body: str, used: str
) -> None:
    source = lstm_source(imports, routine, body)
    assert static(source, LSTM) is not None
    assert_refused_but_working("lstm_cell", source, used)


@pytest.mark.parametrize(("routine", "body", "used"), LSTM_HIDDEN_ROUTES)
def test_an_lstm_cell_reached_at_run_time_is_refused_in_the_child(
    routine: str, body: str, used: str
) -> None:
    source = lstm_source("", routine, body)
    assert static(source, LSTM) is None, "this route is meant for the child to refuse"
    assert_refused_but_working("lstm_cell", source, used)


JACOBIAN_PRELUDE = """
import importlib
import numpy as np
import torch


def _setup(xs, h0, W, U):
    xs, h0, W, U = (torch.as_tensor(np.asarray(v, dtype=float)) for v in (xs, h0, W, U))
    h1 = torch.tanh(W @ h0 + U @ xs[0])

    def run(h):
        for x in xs[1:]:
            h = torch.tanh(W @ h + U @ x)
        return h

    return h1, run


def _rows_by_backward(h1, run):
    rows = []
    for i in range(len(h1)):
        h = h1.clone().requires_grad_(True)
        (run(h)[i] * 1.0).backward()
        rows.append(h.grad)
    return torch.stack(rows)


def _rows_by_grad(grad, h1, run):
    rows = []
    for i in range(len(h1)):
        h = h1.clone().requires_grad_(True)
        rows.append(grad(run(h)[i] * 1.0, h)[0])
    return torch.stack(rows)


def _columns_by_dual(fw, h1, run):
    columns = []
    for e in torch.eye(len(h1), dtype=h1.dtype):
        with fw.dual_level():
            columns.append(fw.unpack_dual(run(fw.make_dual(h1, e))).tangent)
    return torch.stack(columns, dim=1)


def rnn_jacobian(xs, h0, W, U):
    h1, run = _setup(xs, h0, W, U)
    J = ({jacobian}).detach().numpy()
    return J, float(np.linalg.norm(J, 2))
"""

EYE = "torch.eye(len(h1), dtype=h1.dtype)"
JACOBIAN_ROUTES = [
    (
        "torch.autograd.functional.jacobian(run, h1)",
        "torch.autograd.functional.jacobian",
        True,
    ),
    ("torch.func.jacrev(run)(h1)", "torch.func.jacrev", True),
    ("torch.func.jacfwd(run)(h1)", "torch.func.jacfwd", True),
    ("_rows_by_grad(torch.autograd.grad, h1, run)", "torch.autograd.grad", True),
    (
        f"torch.stack([torch.func.vjp(run, h1)[1](e)[0] for e in {EYE}])",
        "torch.func.vjp",
        True,
    ),
    ("_rows_by_backward(h1, run)", "torch.Tensor.backward", False),
    (
        f"getattr(torch.autograd.functional, {hidden('jacobian')})(run, h1)",
        "torch.autograd.functional.jacobian",
        False,
    ),
    (
        f"getattr(importlib.import_module({hidden('torch.func')}), {hidden('jacrev')})(run)(h1)",
        "torch.func.jacrev",
        False,
    ),
    (
        f"getattr(importlib.import_module({hidden('torch.func')}), {hidden('jacfwd')})(run)(h1)",
        "torch.func.jacfwd",
        False,
    ),
    (
        f"torch.stack([getattr(torch.func, {hidden('jvp')})(run, (h1,), (e,))[1] for e in {EYE}], dim=1)",
        "torch.func.jvp",
        False,
    ),
    (
        f"_rows_by_grad(getattr(torch.autograd, {hidden('grad')}), h1, run)",
        "torch.autograd.grad",
        False,
    ),
    (
        f"_columns_by_dual(importlib.import_module({hidden('torch.autograd.forward_ad')}), h1, run)",
        "torch.autograd.forward_ad.make_dual",
        False,
    ),
]


@pytest.mark.parametrize(("jacobian", "used", "seen_statically"), JACOBIAN_ROUTES)
def test_autograd_in_the_jacobian_exercise_is_forbidden(
    jacobian: str, used: str, seen_statically: bool
) -> None:
    source = JACOBIAN_PRELUDE.replace("{jacobian}", jacobian)
    assert (static(source, JACOBIAN) is not None) == seen_statically
    assert_refused_but_working("rnn_jacobian", source, used)


COSINE_PRELUDE = """
import importlib
import numpy as np
import torch


def cosine_similarity(a, b):
    a, b = (torch.as_tensor(np.asarray(v, dtype=float)) for v in (a, b))
    return float({cosine})
"""

COSINE_ROUTES = [
    (
        "__import__('torch.nn.functional', fromlist=['_']).cosine_similarity(a, b, dim=0)",
        "torch.nn.functional.cosine_similarity",
        True,
    ),
    ("torch.cosine_similarity(a, b, dim=0)", "torch.cosine_similarity", True),
    ("torch.nn.CosineSimilarity(dim=0)(a, b)", "torch.nn.CosineSimilarity", True),
    (
        "1 - torch.nn.functional.cosine_embedding_loss(a[None], b[None], torch.ones(1))",
        "torch.nn.functional.cosine_embedding_loss",
        True,
    ),
    ("torch._VF.cosine_similarity(a, b, 0, 1e-8)", "torch._VF.cosine_similarity", True),
    (
        # torch.cosine_similarity is the very object F.cosine_similarity:
        # the child names it by the exercise's entry.
        f"getattr(torch, {hidden('cosine_similarity')})(a, b, dim=0)",
        "torch.nn.functional.cosine_similarity",
        False,
    ),
    (
        f"getattr(importlib.import_module({hidden('torch.nn.functional')}), {hidden('cosine_similarity')})(a, b, dim=0)",
        "torch.nn.functional.cosine_similarity",
        False,
    ),
    (
        f"getattr(torch.nn, {hidden('CosineSimilarity')})(dim=0)(a, b)",
        "torch.nn.CosineSimilarity",
        False,
    ),
]


@pytest.mark.parametrize(("cosine", "used", "seen_statically"), COSINE_ROUTES)
def test_a_library_cosine_is_forbidden(
    cosine: str, used: str, seen_statically: bool
) -> None:
    source = COSINE_PRELUDE.replace("{cosine}", cosine)
    assert (static(source, COSINE) is not None) == seen_statically
    assert_refused_but_working("cosine_similarity", source, used)
