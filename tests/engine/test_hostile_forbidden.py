""" "Forbidden" is decided by what the code reaches, never by a name alike.

Three layers, each tested so that it can fail:
- the static check (find_forbidden) resolves what names are bound to: a
  student's own `self.jacobian` or `__all__ = ["cosine_similarity"]` is not
  torch's, and `torch.lstm_cell` is nn.LSTMCell's computation;
- the run-time refusal in the child catches what the static check cannot see
  (names computed at run time), under every alias of a forbidden routine;
- engine.grade turns either into the "forbidden" verdict, never "passed".
Working solutions that use a forbidden routine are also graded with nothing
forbidden, to show that they would pass if they got through.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import keyword
import re
import textwrap
from pathlib import Path

import pytest

from engine import all_specs, get_spec, grade
from engine.grader import default_runner
from engine.sandbox.forbidden import ALIASES, MODULE_ROUTINES, expand, read_refusal
from engine.sandbox.subprocess_runner import SubprocessRunner
from engine.sandbox.types import Job, Limits
from engine.static_checks import ForbiddenUse, find_forbidden, parse

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)

SAMPLES = Path(__file__).parent / "samples"
PROBE_LIMITS = Limits(cpu_seconds=20, wall_seconds=60, memory_mb=1024)
LSTM = ("torch.nn.LSTMCell", "torch.nn.LSTM", "tensorflow", "keras")
JACOBIAN = get_spec("rnn_jacobian").forbidden
COSINE = get_spec("cosine_similarity").forbidden
WITH_FORBIDDEN = [spec.id for spec in all_specs() if spec.forbidden]


def hidden(text: str) -> str:
    """An expression for `text` that no reading of the source can compute."""
    return f"bytes({list(text.encode())}).decode()"


def static(source: str, forbidden: tuple[str, ...]) -> ForbiddenUse | None:
    tree = parse(textwrap.dedent(source))
    assert isinstance(tree, ast.Module), tree
    return find_forbidden(tree, forbidden)


def correct_sample(exercise: str) -> str:
    return sorted((SAMPLES / exercise).glob("correct-*.py"))[0].read_text()


def allowing_everything(exercise: str) -> object:
    return dataclasses.replace(get_spec(exercise), forbidden=())


# ------------------------------------------------------------ static: unit


@pytest.mark.parametrize(
    ("forbidden", "source"),
    [
        (JACOBIAN, "class Net:\n    def __init__(self):\n        self.jacobian = 1\n"),
        (
            JACOBIAN,
            "class R:\n    def go(self):\n        return self.func(self.grad)\n",
        ),
        (JACOBIAN, "def f(x):\n    x.backward()\n    return x.jacobian\n"),
        (JACOBIAN, "def jacobian(f, x):\n    return f(x)\njacobian(abs, 1)\n"),
        (JACOBIAN, "o = object()\ngetattr(o, 'jacobian', None)\n"),
        (COSINE, "__all__ = ['cosine_similarity']\n"),
        (COSINE, "def cosine_similarity(a, b):\n    return 0.0\n"),
        (COSINE, "import numpy as np\nnp.cosine_similarity = 1\n"),
        (LSTM, "model = 'LSTM'\nprint('model = LSTM', model, 'torch.nn.LSTMCell')\n"),
        (LSTM, "class M:\n    LSTMCell = 1\nM.LSTMCell\nM().lstm_cell\n"),
        (LSTM, "import torch\ndef f(torch):\n    return torch.lstm_cell\n"),
        (LSTM, "import torch\ndef f():\n    torch = {}\n    return torch.lstm_cell\n"),
        (LSTM, "import torch\ntorch.nn.GRUCell(2, 2)\ntorch.gru_cell\n"),
        (LSTM, "import torch\ntorch.nn.Linear(2, 2)\n"),
        (("art",), "art = 'art'\nprint(art)\n"),
        (("sklearn",), "'import sklearn'\nprint('sklearn')\n"),
        (("torch.autograd",), "import torch\nwith torch.no_grad():\n    pass\n"),
        (("numpy.rot90",), "import numpy as np\nnp.flip(np.ones(2))\n"),
    ],
)
def test_a_students_own_names_are_not_forbidden(
    forbidden: tuple[str, ...], source: str
) -> None:
    assert static(source, forbidden) is None


@pytest.mark.parametrize(
    ("forbidden", "source", "used"),
    [
        (LSTM, "from torch.nn import LSTMCell", "torch.nn.LSTMCell"),
        (LSTM, "import torch.nn as nn\nnn.LSTMCell(2, 2)", "torch.nn.LSTMCell"),
        (LSTM, "from torch.nn import LSTMCell as C\n", "torch.nn.LSTMCell"),
        (
            LSTM,
            "from torch import nn\nnn.modules.rnn.LSTMCell",
            "torch.nn.modules.rnn.LSTMCell",
        ),
        (LSTM, "import torch\ntorch.lstm_cell", "torch.lstm_cell"),
        (LSTM, "import torch\ntorch._VF.lstm_cell", "torch._VF.lstm_cell"),
        (
            LSTM,
            "import torch\ntorch._C._VariableFunctions.lstm_cell",
            "torch._C._VariableFunctions.lstm_cell",
        ),
        (
            LSTM,
            "import torch\ntorch.ops.aten.lstm_cell.default",
            "torch.ops.aten.lstm_cell.default",
        ),
        (LSTM, "import torch\ntorch.lstm", "torch.lstm"),
        (LSTM, "import torch\ngetattr(torch.nn, 'LSTM' + 'Cell')", "torch.nn.LSTMCell"),
        (
            LSTM,
            "import torch\nname = 'LSTM'\ngetattr(torch.nn, f'{name}Cell')",
            "torch.nn.LSTMCell",
        ),
        (
            LSTM,
            "import torch\ngetattr(torch.nn, 'lleCMTSL'[::-1])",
            "torch.nn.LSTMCell",
        ),
        (LSTM, "__import__('torch').nn.LSTMCell", "torch.nn.LSTMCell"),
        (
            LSTM,
            "t = __import__('torch.nn', fromlist=['x'])\nt.LSTMCell",
            "torch.nn.LSTMCell",
        ),
        (
            LSTM,
            "import importlib\nimportlib.import_module('torch.nn').LSTMCell",
            "torch.nn.LSTMCell",
        ),
        (
            LSTM,
            "from importlib import import_module as im\nim('torch.nn').LSTMCell",
            "torch.nn.LSTMCell",
        ),
        (LSTM, "import sys\nsys.modules['torch.nn'].LSTMCell", "torch.nn.LSTMCell"),
        (LSTM, "import torch\nvars(torch.nn)['LSTMCell']", "torch.nn.LSTMCell"),
        (LSTM, "from torch.nn import *\nLSTMCell(2, 2)", "torch.nn.LSTMCell"),
        (
            LSTM,
            "import torch\ntorch._C._jit_get_operation('aten::lstm_cell')",
            "torch.ops.aten.lstm_cell",
        ),
        (
            LSTM,
            "import torch.nn\nclass Cell(torch.nn.LSTMCell):\n    pass",
            "torch.nn.LSTMCell",
        ),
        (
            LSTM,
            "def f():\n    import torch.nn as nn\n    return nn.LSTM",
            "torch.nn.LSTM",
        ),
        (LSTM, "import torch\nnn = torch.nn\nn2 = nn\nn2.LSTM", "torch.nn.LSTM"),
        (LSTM, "import tensorflow as tf", "tensorflow"),
        (
            LSTM,
            "import importlib\nimportlib.import_module('keras.layers')",
            "keras.layers",
        ),
        (
            JACOBIAN,
            "from torch.autograd.functional import jacobian as j",
            "torch.autograd.functional.jacobian",
        ),
        (
            JACOBIAN,
            "import torch\ntorch.autograd.functional.hessian",
            "torch.autograd.functional.hessian",
        ),
        (JACOBIAN, "import torch\ntorch.func.jacrev", "torch.func.jacrev"),
        (JACOBIAN, "from torch.func import grad", "torch.func.grad"),
        (JACOBIAN, "import torch\ntorch.Tensor.backward(x)", "torch.Tensor.backward"),
        (
            JACOBIAN,
            "import torch.autograd.forward_ad as fw\nfw.make_dual",
            "torch.autograd.forward_ad.make_dual",
        ),
        (JACOBIAN, "import functorch", "functorch"),
        (
            COSINE,
            "import torch.nn.functional as F\nF2 = F\nF2.cosine_similarity",
            "torch.nn.functional.cosine_similarity",
        ),
        (COSINE, "import torch\ntorch.cosine_similarity", "torch.cosine_similarity"),
        (
            COSINE,
            "from torch.nn import functional as F\nF.cosine_embedding_loss",
            "torch.nn.functional.cosine_embedding_loss",
        ),
        (
            COSINE,
            "import torch\ntorch.nn.CosineSimilarity(dim=0)",
            "torch.nn.CosineSimilarity",
        ),
        (
            COSINE,
            "from scipy.spatial.distance import cosine",
            "scipy.spatial.distance.cosine",
        ),
        (
            ("torch.autograd",),
            "import torch\ntorch.autograd.grad",
            "torch.autograd.grad",
        ),
        (
            ("torch.optim.lr_scheduler",),
            "from torch.optim import lr_scheduler",
            "torch.optim.lr_scheduler",
        ),
        (("numpy.rot90",), "import numpy\nnumpy.rot90", "numpy.rot90"),
        (("torch.rot90",), "import torch\ntorch.Tensor.rot90", "torch.Tensor.rot90"),
    ],
)
def test_a_forbidden_routine_is_found_however_it_is_named(
    forbidden: tuple[str, ...], source: str, used: str
) -> None:
    found = static(source, forbidden)
    assert found is not None and found.name == used
    assert found.line == len(source.strip().splitlines()) or "import" in source


def test_the_first_use_in_the_source_is_reported() -> None:
    source = "import torch\nx = 1\ny = torch.nn.LSTM\nz = torch.lstm_cell\n"
    found = static(source, LSTM)
    assert found == ForbiddenUse("torch.nn.LSTM", 3, "torch.nn.LSTM")


@pytest.mark.parametrize("exercise", WITH_FORBIDDEN)
def test_every_entry_and_alias_is_found_statically(exercise: str) -> None:
    forbidden = get_spec(exercise).forbidden
    for path, entry in expand(forbidden).items():
        head, _, rest = path.partition(".")
        source = f"import {head}\n{path}\n" if rest else f"import {head}\n"
        found = static(source, forbidden)
        assert found is not None and found.entry in forbidden, (path, found)
        if found.line == 2:  # not the import of a forbidden module itself
            assert (found.name, found.entry) == (path, entry)


# -------------------------------------- false positives, through engine.grade


def decoys(exercise: str, sample: str) -> str:
    """Code that only looks like the exercise's forbidden routines."""
    spec = get_spec(exercise)
    names = {entry.rsplit(".", 1)[-1] for entry in spec.forbidden}
    names |= {"jacobian", "func", "LSTM", "LSTMCell", "cosine_similarity", "grad"}
    names = {n for n in names if n.isidentifier() and not keyword.iskeyword(n)}
    own = sorted(
        n
        for n in names
        if n != spec.entry_point and not re.search(rf"\b{re.escape(n)}\b", sample)
    )
    attributes = "\n".join(f"        self.{n} = {n!r}" for n in sorted(names))
    local = "\n".join(
        f"    def {n}(*args):\n        return ({n!r}, args)" for n in sorted(names)
    )
    return f"""

__all__ = [{spec.entry_point!r}, *{sorted(names)!r}]


class _Model:
    def __init__(self):
{attributes}

    def everything(self):
        return [getattr(self, name) for name in __all__[1:]] + [self.jacobian, self.func]


class _Loss:
    def backward(self):
        return self

    def grad(self, *args):
        return args


def _lookalikes():
{local}
    return [{", ".join(f"{n}()" for n in sorted(names))}]


{"".join(f"def {n}(*args):{chr(10)}    return args{chr(10)}{chr(10)}" for n in own)}
model = "LSTM"
print("model = LSTM", model, "torch.nn.LSTMCell", "torch.autograd.functional.jacobian")
_used = (_Model().everything(), _lookalikes(), [{", ".join(f"{n}()" for n in own)}])
_used = (_used, _Loss().backward().grad(1), getattr(_Model(), "jacobian"))
"""


@pytest.mark.parametrize("exercise", WITH_FORBIDDEN)
def test_a_correct_solution_with_look_alike_names_passes(exercise: str) -> None:
    sample = correct_sample(exercise)
    source = sample + decoys(exercise, sample)
    assert static(source, get_spec(exercise).forbidden) is None
    report = grade(exercise, source)
    assert report.verdict == "passed", report.message


def test_torch_internals_that_are_not_forbidden_keep_working() -> None:
    """torch.norm goes through torch._VF, whose namespace is guarded in the
    cosine exercise: what is not forbidden still works behind the guard."""
    source = """
    import torch

    def cosine_similarity(a, b):
        a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
        norms = torch.norm(a) * torch.linalg.vector_norm(b)
        return float(torch.dot(a, b) / norms) if norms > 0 else 0.0
    """
    report = grade("cosine_similarity", textwrap.dedent(source))
    assert report.verdict == "passed", report.message


# ------------------------------------------ true positives, through engine.grade


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


LSTM_PRELUDE = """
import importlib
import numpy as np
import torch


def _prepare(x, h_prev, C_prev, W, b):
    x, h, c, W, b = (torch.as_tensor(np.asarray(v, dtype=float)) for v in (x, h_prev, C_prev, W, b))
    single = x.dim() == 1
    if single:
        x, h, c = x[None], h[None], c[None]
    H = h.shape[-1]
    # The notes' gate blocks are f, i, C~, o; torch's are i, f, g, o.
    order = torch.cat([torch.arange(H, 2 * H), torch.arange(0, H), torch.arange(2 * H, 4 * H)])
    W, b = W[order], b[order]
    return single, x, h, c, W[:, H:], W[:, :H], b


def _finish(single, h, c):
    h, c = h.detach(), c.detach()
    if single:
        h, c = h[0], c[0]
    return h.numpy(), c.numpy()
"""

FUNCTION = """
def lstm_cell(x, h_prev, C_prev, W, b):
    single, x, h, c, w_ih, w_hh, b = _prepare(x, h_prev, C_prev, W, b)
    step = {routine}
    h, c = step(x, (h, c), w_ih, w_hh, b, torch.zeros_like(b))
    return _finish(single, h, c)
"""

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


def lstm_source(imports: str, routine: str, body: str) -> str:
    return LSTM_PRELUDE + imports + "\n" + body.format(routine=routine)


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


# ----------------------------------- every entry and alias, refused in the child

PROBE = """
import importlib


def _refused(exc):
    return type(exc).__name__ == "ForbiddenCallError"


def _reach(path):
    # Import the longest importable module of the name, read the rest as
    # attributes, then call it: "refused", "open" (it ran or failed on its
    # own) or "absent" (not in this installation).
    parts = path.split(".")
    value, used = None, 0
    for end in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        except Exception as exc:
            return "refused" if _refused(exc) else "open"
        used = end
        break
    if value is None:
        return "absent"
    try:
        for part in parts[used:]:
            value = getattr(value, part)
    except AttributeError:
        return "absent"
    except Exception as exc:
        return "refused" if _refused(exc) else "open"
    if used == len(parts):
        return "open"  # a module, imported
    try:
        value()
    except Exception as exc:
        return "refused" if _refused(exc) else "open"
    return "open"


def probe(paths):
    states = {path: _reach(path) for path in paths}
    return (
        [path for path, state in states.items() if state == "open"],
        [path for path, state in states.items() if state == "absent"],
    )
"""


def _installed(path: str) -> bool:
    return importlib.util.find_spec(path.split(".")[0]) is not None


def _is_module(path: str) -> bool:
    try:
        return importlib.util.find_spec(path) is not None
    except ImportError:
        return False


def _probe_paths(forbidden: tuple[str, ...]) -> list[str]:
    """Everything the child must refuse: each routine and alias; for a module
    the library needs, what it offers; for other modules, importing them
    (refused whether or not they are installed)."""
    paths = []
    for path in expand(forbidden):
        if path in MODULE_ROUTINES:
            continue  # stands for its routines, which are in the table
        if "." in path and not _installed(path):
            continue  # scipy.linalg.pinvh without scipy: nothing to refuse
        if (
            "." in path
            and path.split(".")[0] in {"torch", "numpy"}
            and _is_module(path)
        ):
            paths.append(f"{path}.{_first_public(path)}")  # torch.optim.lr_scheduler
            continue
        paths.append(path)
    return paths


def _first_public(module: str) -> str:
    return sorted(importlib.import_module(module).__all__)[0]


def _groups() -> list[tuple[str, ...]]:
    return sorted({spec.forbidden for spec in all_specs() if spec.forbidden})


def _run_probe(
    forbidden: tuple[str, ...], paths: list[str], runner: object = None
) -> tuple[list[str], list[str]]:
    job = Job(PROBE, "probe", [{"paths": paths}], forbidden)
    outcome = (runner or default_runner()).run(job, PROBE_LIMITS)  # type: ignore[attr-defined]
    assert outcome.status == "ok", outcome.error
    [result] = outcome.results
    assert result["ok"], result.get("error")
    open_, absent = result["value"]
    return list(open_), list(absent)


@pytest.mark.parametrize("forbidden", _groups(), ids=lambda f: ",".join(f)[:60])
def test_the_child_refuses_every_forbidden_name_and_alias(
    forbidden: tuple[str, ...],
) -> None:
    paths = _probe_paths(forbidden)
    open_, absent = _run_probe(forbidden, paths)
    assert open_ == [], f"reachable in the child: {open_}"
    assert not set(absent) & set(forbidden), absent


@pytest.mark.parametrize(
    "forbidden",
    [group for group in _groups() if [p for p in _probe_paths(group) if "." in p]],
    ids=lambda f: ",".join(f)[:60],
)
def test_without_the_refusal_the_probe_reaches_them(
    forbidden: tuple[str, ...],
) -> None:
    """The probe above can fail: with nothing forbidden, what it found
    refused is reachable (or, an alias of another torch version, absent)."""
    paths = [p for p in _probe_paths(forbidden) if "." in p]
    open_, absent = _run_probe((), paths)
    assert set(open_) | set(absent) == set(paths)
    assert open_


def test_a_fresh_interpreter_refuses_once_torch_is_imported() -> None:
    """The subprocess runner's child has not imported torch when the job
    starts: the routines are refused once the student's import completes."""
    paths = [p for p in _probe_paths(LSTM) if p.startswith("torch")]
    open_, _ = _run_probe(LSTM, paths, SubprocessRunner())
    assert open_ == []
    source = lstm_source("", f"getattr(torch, {hidden('lstm_cell')})", FUNCTION)
    report = grade("lstm_cell", source, runner=SubprocessRunner())
    assert report.verdict == "forbidden" and "torch.lstm_cell" in report.message


def _routine_entries() -> list[tuple[str, str]]:
    """Each dotted routine entry of any spec, once, with one exercise that
    forbids it."""
    found: dict[str, str] = {}
    for spec in all_specs():
        for entry in spec.forbidden:
            if (
                "." in entry
                and entry not in MODULE_ROUTINES
                and _installed(entry)
                and not _is_module(entry)
            ):
                found.setdefault(entry, spec.id)
    return sorted((exercise, entry) for entry, exercise in found.items())


@pytest.mark.parametrize(("exercise", "entry"), _routine_entries())
def test_each_forbidden_routine_reached_at_run_time_is_a_forbidden_verdict(
    exercise: str, entry: str
) -> None:
    spec = get_spec(exercise)
    module, _, name = entry.rpartition(".")
    source = f"""
import importlib

def {spec.entry_point}(*args):
    module = {hidden(module)}
    try:
        owner = importlib.import_module(module)
    except ImportError:  # a class: torch.Tensor
        parent, _, attribute = module.rpartition(".")
        owner = getattr(importlib.import_module(parent), attribute)
    return getattr(owner, {hidden(name)})()
"""
    assert static(source, spec.forbidden) is None
    report = grade(exercise, source)
    assert report.verdict == "forbidden", report.message
    assert f"used {entry}," in report.message, report.message
    control = grade(allowing_everything(exercise), source)  # type: ignore[arg-type]
    assert control.verdict != "forbidden"


# ------------------------------------------------------ the report's own text


def test_the_refusal_text_is_trusted_only_for_names_the_exercise_forbids() -> None:
    forged = "ForbiddenCallError: SECRET_hidden_input is not allowed in this exercise"
    assert read_refusal(forged, LSTM) is None
    real = (
        "ForbiddenCallError: torch.lstm_cell is not allowed in this exercise "
        "(a form of torch.nn.LSTMCell)"
    )
    assert read_refusal(real, LSTM) == "torch.lstm_cell (a form of torch.nn.LSTMCell)"
    imported = (
        "ForbiddenCallError: importing keras.layers is not allowed in this exercise"
    )
    assert read_refusal(imported, LSTM) == "an import of keras.layers (part of keras)"


def test_a_forbidden_verdict_carries_nothing_the_child_wrote() -> None:
    source = """
import os

def lstm_cell(x, h_prev, C_prev, W, b):
    print("SECRET-printed", x)
    os.write(1, b"SECRET-written")
    raise RuntimeError("ForbiddenCallError: SECRET_raised is not allowed in this exercise")
"""
    report = grade("lstm_cell", source)
    assert report.verdict == "forbidden"
    seen = [report.message, report.stdout, report.traceback]
    seen += [case.message + case.stdout + case.error for case in report.cases]
    assert "SECRET" not in "\n".join(seen)
    assert "a routine this exercise forbids" in report.message


def test_the_alias_table_covers_the_routines_named_in_the_brief() -> None:
    table = expand(
        LSTM
        + JACOBIAN
        + COSINE
        + get_spec("gru_cell").forbidden
        + get_spec("rnn_step").forbidden
    )
    for alias in (
        "torch.lstm_cell",
        "torch._VF.lstm_cell",
        "torch._C._VariableFunctions.lstm_cell",
        "torch.nn.modules.rnn.LSTMCell",
        "torch.gru_cell",
        "torch.lstm",
        "torch.gru",
        "torch.rnn_tanh",
        "torch.rnn_tanh_cell",
        "torch.cosine_similarity",
        "torch.nn.modules.distance.CosineSimilarity",
        "torch.func.hessian",
        "torch.autograd.functional.hessian",
    ):
        assert alias in table, alias
    assert set(ALIASES) >= {"torch.nn.LSTMCell", "torch.nn.GRUCell", "torch.nn.RNNCell"}
