"""Routines an exercise forbids: the alias table, and how a refusal is worded.

An exercise's `forbidden` list names library routines ("torch.nn.LSTMCell")
and modules ("sklearn") that would do the exercise for the student. A routine
is reachable under more than one name: nn.LSTMCell computes torch.lstm_cell,
which is also torch._VF.lstm_cell, torch._C._VariableFunctions.lstm_cell and
torch.ops.aten.lstm_cell. `ALIASES` lists those other names; the static check
(engine.static_checks) and the run-time refusal in the child
(engine.sandbox.blocking) both use it. A refusal's text (`refusal`) is read
back in the trusted process by `read_refusal`, which believes only the names
the exercise forbids.

This module runs next to hostile code: it imports only the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REFUSED = "is not allowed in this exercise"


class ForbiddenCallError(RuntimeError):
    """Raised when the submission reaches a routine the exercise forbids."""


def _aten(op: str) -> tuple[str, ...]:
    """Every Python name of one ATen operator exposed at torch's top level."""
    return (
        f"torch.{op}",
        f"torch._C._VariableFunctions.{op}",
        f"torch._C._VariableFunctionsClass.{op}",
        f"torch._VF.{op}",
        f"torch._VF.vf.{op}",
        f"torch.ops.aten.{op}",
    )


def _aten_nn(op: str) -> tuple[str, ...]:
    """An ATen operator exposed through torch.nn.functional (torch._C._nn)."""
    return (f"torch._C._nn.{op}", f"torch.ops.aten.{op}")


def _quantized_rnn(name: str) -> tuple[str, ...]:
    """A recurrent module's quantized versions (they take float weights too)."""
    paths = [f"torch.nn.modules.rnn.{name}"]
    for package in ("torch.ao.nn.quantized.dynamic", "torch.nn.quantized.dynamic"):
        paths += [f"{package}.{name}", f"{package}.modules.rnn.{name}"]
    if name in ("LSTMCell", "LSTM"):
        # A pure-Python LSTM built from Linear layers.
        for package in ("torch.ao.nn.quantizable", "torch.nn.quantizable"):
            paths += [f"{package}.{name}", f"{package}.modules.rnn.{name}"]
    return tuple(paths)


# nn.RNNBase("LSTM", ...) is nn.LSTM: its name is refused where a recurrent
# module is, but the class itself keeps working (nn.LSTM is built on it).
_RNN_BASE = ("torch.nn.RNNBase", "torch.nn.modules.rnn.RNNBase")

_JACOBIAN_FAMILY = tuple(
    f"torch.autograd.functional.{name}"
    for name in ("jacobian", "hessian", "vjp", "jvp", "hvp", "vhp")
)

_EAGER = "torch._functorch.eager_transforms"

# forbidden entry -> the other names of the same routine (or of a routine
# that computes the same thing from the same arguments).
ALIASES: dict[str, tuple[str, ...]] = {
    # recurrent cells and layers
    "torch.nn.LSTMCell": (
        *_quantized_rnn("LSTMCell"),
        *_aten("lstm_cell"),
        *_aten("quantized_lstm_cell"),
    ),
    "torch.nn.LSTM": (
        *_quantized_rnn("LSTM"),
        *_aten("lstm"),
        *_aten("quantized_lstm"),
        *_RNN_BASE,
    ),
    "torch.nn.GRUCell": (
        *_quantized_rnn("GRUCell"),
        *_aten("gru_cell"),
        *_aten("quantized_gru_cell"),
    ),
    "torch.nn.GRU": (
        *_quantized_rnn("GRU"),
        *_aten("gru"),
        *_aten("quantized_gru"),
        *_RNN_BASE,
    ),
    "torch.nn.RNNCell": (
        *_quantized_rnn("RNNCell"),
        *_aten("rnn_tanh_cell"),
        *_aten("rnn_relu_cell"),
        *_aten("quantized_rnn_tanh_cell"),
        *_aten("quantized_rnn_relu_cell"),
    ),
    "torch.nn.RNN": (
        "torch.nn.modules.rnn.RNN",
        *_aten("rnn_tanh"),
        *_aten("rnn_relu"),
        *_RNN_BASE,
    ),
    # cosine similarity (cosine_embedding_loss with target 1 is 1 - cos)
    "torch.nn.functional.cosine_similarity": (
        *_aten("cosine_similarity"),
        "torch.nn.functional.cosine_embedding_loss",
        *_aten("cosine_embedding_loss"),
        "torch.nn.CosineEmbeddingLoss",
        "torch.nn.modules.loss.CosineEmbeddingLoss",
    ),
    "torch.nn.CosineSimilarity": ("torch.nn.modules.distance.CosineSimilarity",),
    # binary cross-entropy and its pieces
    "torch.nn.functional.binary_cross_entropy": _aten_nn("binary_cross_entropy"),
    "torch.nn.BCELoss": ("torch.nn.modules.loss.BCELoss",),
    "torch.nn.functional.binary_cross_entropy_with_logits": _aten(
        "binary_cross_entropy_with_logits"
    ),
    "torch.nn.BCEWithLogitsLoss": ("torch.nn.modules.loss.BCEWithLogitsLoss",),
    "torch.nn.functional.logsigmoid": (
        *_aten_nn("log_sigmoid"),
        "torch.ops.aten.log_sigmoid_forward",
        "torch.nn.LogSigmoid",
        "torch.nn.modules.activation.LogSigmoid",
    ),
    "torch.nn.functional.softplus": (
        *_aten_nn("softplus"),
        "torch.nn.Softplus",
        "torch.nn.modules.activation.Softplus",
    ),
    # embeddings
    "torch.nn.EmbeddingBag": (
        "torch.nn.modules.sparse.EmbeddingBag",
        "torch.nn.functional.embedding_bag",
        *_aten("embedding_bag"),
        *_aten("_embedding_bag"),
        *_aten("_embedding_bag_forward_only"),
    ),
    # rotations
    "numpy.rot90": ("numpy.lib._function_base_impl.rot90",),
    "torch.rot90": (*_aten("rot90"), "torch.Tensor.rot90"),
    # pseudo-inverses and least squares
    "numpy.linalg.pinv": (
        "numpy.linalg._linalg.pinv",
        "numpy.linalg.linalg.pinv",
        "scipy.linalg.pinv",
        "torch.linalg.pinv",
        "torch._C._linalg.linalg_pinv",
        "torch.ops.aten.linalg_pinv",
    ),
    "numpy.linalg.lstsq": (
        "numpy.linalg._linalg.lstsq",
        "numpy.linalg.linalg.lstsq",
        "scipy.linalg.lstsq",
        "torch.linalg.lstsq",
        "torch._C._linalg.linalg_lstsq",
        "torch.ops.aten.linalg_lstsq",
    ),
    "torch.pinverse": (
        *_aten("pinverse"),
        "torch.Tensor.pinverse",
        "torch.linalg.pinv",
        "torch._C._linalg.linalg_pinv",
        "torch.ops.aten.linalg_pinv",
    ),
    "scipy.linalg.pinvh": ("scipy.linalg._basic.pinvh",),
    # automatic differentiation
    "torch.autograd.functional.jacobian": _JACOBIAN_FAMILY,
    "torch.autograd.grad": (),
    "torch.autograd.backward": (),
    "torch.Tensor.backward": ("torch._tensor.Tensor.backward",),
    "torch.func.jacrev": (
        f"{_EAGER}.jacrev",
        "torch.func.hessian",
        f"{_EAGER}.hessian",
        "functorch.jacrev",
        "functorch.hessian",
    ),
    "torch.func.jacfwd": (
        f"{_EAGER}.jacfwd",
        "torch.func.jvp",
        f"{_EAGER}.jvp",
        "torch.func.linearize",
        f"{_EAGER}.linearize",
        "functorch.jacfwd",
        "functorch.jvp",
        # forward-mode AD by hand: a Jacobian column per dual tangent
        "torch.autograd.forward_ad.make_dual",
        "torch.autograd.forward_ad.unpack_dual",
    ),
    "torch.func.vjp": (
        f"{_EAGER}.vjp",
        "torch.func.grad",
        "torch.func.grad_and_value",
        "torch._functorch.apis.grad",
        "torch._functorch.apis.grad_and_value",
        f"{_EAGER}.grad",
        f"{_EAGER}.grad_and_value",
        "functorch.vjp",
        "functorch.grad",
        "functorch.grad_and_value",
    ),
}

# A forbidden module that the library itself needs stays importable; what it
# offers the student is refused instead. The static check still refuses any
# name under the module.
MODULE_ROUTINES: dict[str, tuple[str, ...]] = {
    "torch.autograd": (
        "torch.autograd.grad",
        "torch.autograd.backward",
        "torch.Tensor.backward",
        "torch.autograd.functional.jacobian",
        "torch.autograd.forward_ad.make_dual",
        "torch.autograd.forward_ad.unpack_dual",
    ),
    "torch.func": ("torch.func.jacrev", "torch.func.jacfwd", "torch.func.vjp"),
    # torch.ops.aten is all of torch: refused by the static check alone.
    "torch.ops": (),
}

# Internals shared by several forbidden routines: refused only when all of
# them are forbidden (the engine behind both torch.autograd.grad and
# Tensor.backward), under the name of the entry given first.
_SHARED: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("torch.autograd.backward", "torch.autograd.grad", "torch.Tensor.backward"),
        (
            "torch.autograd.graph._engine_run_backward",
            "torch.autograd.variable.Variable._execution_engine",
        ),
    ),
)

# Replaced under their own names, never made to refuse by themselves: other
# routines are built on them.
NAME_ONLY = frozenset(_RNN_BASE)


def expand(forbidden: Iterable[str]) -> dict[str, str]:
    """Every forbidden name with its aliases: dotted name -> the exercise's
    entry it falls under."""
    entries = [str(item) for item in forbidden]
    found: dict[str, str] = {}

    def add(path: str, entry: str) -> None:
        found.setdefault(path, entry)
        for alias in ALIASES.get(path, ()):
            found.setdefault(alias, entry)

    for entry in entries:
        add(entry, entry)
    for entry in entries:  # after every entry has its own name
        for routine in MODULE_ROUTINES.get(entry, ()):
            add(routine, entry)
    for needed, paths in _SHARED:
        if all(name in found for name in needed):
            for path in paths:
                found.setdefault(path, found[needed[0]])
    return found


def describe(path: str, entry: str) -> str:
    """`path` as a report names it: "torch.lstm_cell (a form of
    torch.nn.LSTMCell)", "sklearn.svm (part of sklearn)"."""
    if path == entry:
        return path
    if path.startswith(entry + "."):
        return f"{path} (part of {entry})"
    return f"{path} (a form of {entry})"


def refusal(path: str, entry: str) -> str:
    """The error text for using `path`, which falls under the exercise's
    forbidden `entry`: "torch.lstm_cell is not allowed in this exercise (a
    form of torch.nn.LSTMCell)"."""
    if path == entry:
        return f"{path} {REFUSED}"
    return f"{path} {REFUSED} ({describe(path, entry).split(' (', 1)[1]}"


_REFUSAL = re.compile(
    r"ForbiddenCallError: (?P<import>importing )?(?P<path>[\w.]+) " + re.escape(REFUSED)
)


def read_refusal(error: str, forbidden: Iterable[str]) -> str | None:
    """What a child's ForbiddenCallError says was used, described as in
    `describe`, or None. The error text comes from the child, which the
    student controls: only a name this exercise forbids is ever returned."""
    table = expand(forbidden)
    for found in reversed(list(_REFUSAL.finditer(error))):
        path = found.group("path")
        entry = entry_of(path, table)
        if entry is None:
            continue
        if found.group("import"):
            return f"an import of {describe(path, entry)}"
        return describe(path, entry)
    return None


def entry_of(path: str, table: dict[str, str]) -> str | None:
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        entry = table.get(".".join(parts[:end]))
        if entry is not None:
            return entry
    return None
