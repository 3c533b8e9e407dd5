"""The static check finds a forbidden routine by what a name resolves to:
a student's own look-alike names are not forbidden (also through engine.grade:
a correct solution full of them passes), every alias of a forbidden routine is.
"""

from __future__ import annotations

import keyword
import re
import textwrap

import pytest

from engine import all_specs, get_spec, grade
from engine.sandbox.forbidden import expand
from engine.static_checks import ForbiddenUse
from tests.engine.forbidding import COSINE, JACOBIAN, LSTM, correct_sample, static
from tests.engine.hostile import LINUX_ONLY

pytestmark = LINUX_ONLY

WITH_FORBIDDEN = [spec.id for spec in all_specs() if spec.forbidden]


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
