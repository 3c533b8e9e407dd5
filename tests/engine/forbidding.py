""" "Forbidden" is decided by what the code reaches, never by a name alike.

Three layers, each tested so that it can fail:
- the static check (find_forbidden) resolves what names are bound to: a
  student's own `self.jacobian` or `__all__ = ["cosine_similarity"]` is not
  torch's, and `torch.lstm_cell` is nn.LSTMCell's computation
  (test_forbidden_static);
- the run-time refusal in the child catches what the static check cannot see
  (names computed at run time), under every alias of a forbidden routine
  (test_forbidden_in_the_child);
- engine.grade turns either into the "forbidden" verdict, never "passed"
  (test_forbidden_routes).
Working solutions that use a forbidden routine are also graded with nothing
forbidden, to show that they would pass if they got through. This module holds
what those tests share.
"""

from __future__ import annotations

import ast
import dataclasses
import textwrap
from pathlib import Path

from engine import get_spec
from engine.static_checks import ForbiddenUse, find_forbidden, parse

SAMPLES = Path(__file__).parent / "samples"
LSTM = ("torch.nn.LSTMCell", "torch.nn.LSTM", "tensorflow", "keras")
JACOBIAN = get_spec("rnn_jacobian").forbidden
COSINE = get_spec("cosine_similarity").forbidden


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
    """The exercise with nothing forbidden, at its own fitted limits: the
    control run shows that only the refusal stops a route. (torch.func and
    forward-mode AD import torch._dynamo on first use; the sandbox loads it
    before a job's CPU time counts, so they fit a one-second limit.)"""
    return dataclasses.replace(get_spec(exercise), forbidden=())


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


def lstm_source(imports: str, routine: str, body: str) -> str:
    return LSTM_PRELUDE + imports + "\n" + body.format(routine=routine)
