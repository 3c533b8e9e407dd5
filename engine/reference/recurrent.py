"""Recurrent networks (lecture 7.7–7.9): simple RNN and its Jacobian, LSTM, GRU.

Layout. The notes write column vectors (h_t = tanh(W h_{t−1} + U x_t)). Here a
batch of N vectors is stacked as the rows of an (N, ·) array, so W h becomes
h @ Wᵀ; a single vector may also be passed 1-D. Weights keep the notes'
orientation: W (H×H), U (H×I), V (K×H), and every gate matrix is H×(H+I),
acting on the concatenation [h_{t−1}, x_t] with h FIRST. Sequences are
time-first, (T, N, I) or (T, I) for one sequence, and start from a given h0
(not from zeros). The simple RNN and the GRU have no biases, as in the notes;
the LSTM has one per gate. Everything is computed in float64.
"""

from __future__ import annotations

import torch
from numpy.typing import ArrayLike

LSTM_GATE_ORDER = ("f", "i", "C̃", "o")


def _t(value: ArrayLike | torch.Tensor) -> torch.Tensor:
    return torch.as_tensor(value, dtype=torch.float64)


# ------------------------------------------------------------------ simple RNN


def rnn_step(
    x: ArrayLike,
    h_prev: ArrayLike,
    W: ArrayLike,  # noqa: N803
    U: ArrayLike,  # noqa: N803
    V: ArrayLike,  # noqa: N803
) -> tuple[torch.Tensor, torch.Tensor]:
    """One step of the notes' simple RNN: h = tanh(W h_prev + U x), o = softmax(V h).

    x is (N, I) or (I,), h_prev (N, H) or (H,); W (H, H), U (H, I), V (K, H).
    No biases. The softmax runs over the K classes of each row (the last axis),
    never over the batch. Returns (h, o) of shapes (N, H) and (N, K).
    PyTorch's nn.RNNCell(bias=False) with weight_hh = W and weight_ih = U gives
    the same h; CS231n's rnn_step_forward stores the transposes (Wx = Uᵀ, Wh = Wᵀ).
    """
    h = torch.tanh(_t(h_prev) @ _t(W).T + _t(x) @ _t(U).T)
    return h, torch.softmax(h @ _t(V).T, dim=-1)


def rnn_sequence(
    xs: ArrayLike,
    h0: ArrayLike,
    W: ArrayLike,  # noqa: N803
    U: ArrayLike,  # noqa: N803
    V: ArrayLike,  # noqa: N803
) -> tuple[torch.Tensor, torch.Tensor]:
    """The simple RNN unrolled over xs (T, N, I) or (T, I) from h0, sharing W, U, V.

    Returns (hs, os): hs[t − 1] = h_t and os[t − 1] = o_t for t = 1..T, of shapes
    (T, N, H) and (T, N, K). h0 itself is not part of hs.
    """
    h, hs, outputs = _t(h0), [], []
    for x in _t(xs):
        h, o = rnn_step(x, h, W, U, V)
        hs.append(h)
        outputs.append(o)
    return torch.stack(hs), torch.stack(outputs)


def rnn_hidden_states(
    xs: ArrayLike,
    h0: ArrayLike,
    W: ArrayLike,  # noqa: N803
    U: ArrayLike,  # noqa: N803
) -> torch.Tensor:
    """h_1..h_T of one sequence xs (T, I) from h0 (H,), as a (T, H) tensor."""
    W_, U_ = _t(W), _t(U)
    h, hs = _t(h0), []
    for x in _t(xs):
        h = torch.tanh(W_ @ h + U_ @ x)
        hs.append(h)
    return torch.stack(hs)


def rnn_jacobian(
    xs: ArrayLike,
    h0: ArrayLike,
    W: ArrayLike,  # noqa: N803
    U: ArrayLike,  # noqa: N803
) -> tuple[torch.Tensor, float]:
    """∂h_T/∂h_1 of the simple RNN on one sequence, and its spectral norm.

    xs is (T, I), h0 (H,). Since h_{k+1} = tanh(W h_k + U x_{k+1}), one step
    contributes ∂h_{k+1}/∂h_k = diag(1 − h_{k+1}²) W: the tanh derivative is
    taken at the state the step produces. By the chain rule, latest step on the
    left, ∂h_T/∂h_1 = D_T W · D_{T−1} W ⋯ D_2 W with D_k = diag(1 − h_k²):
    T − 1 factors, the identity when T = 1. J[i, j] = ∂h_T[i]/∂h_1[j]
    (numerator layout). The norm is the largest singular value, and it is at
    most ‖W‖₂^{T−1} because 0 < 1 − h² ≤ 1.

    The notes write Π_{k=1}^{t−1} W·diag(1 − h_k²), which evaluates the tanh
    derivative one step early (at h_k rather than h_{k+1}) and leaves the order
    of the product open; the chain rule above is what autograd computes.
    """
    W_ = _t(W)
    states = rnn_hidden_states(xs, h0, W_, U)
    jacobian = torch.eye(W_.shape[0], dtype=torch.float64)
    for h in states[1:]:
        jacobian = torch.diag(1 - h**2) @ W_ @ jacobian
    return jacobian, float(torch.linalg.matrix_norm(jacobian, ord=2))


# ------------------------------------------------------------------------ LSTM


def lstm_cell(
    x: ArrayLike,
    h_prev: ArrayLike,
    C_prev: ArrayLike,  # noqa: N803
    W: ArrayLike,  # noqa: N803
    b: ArrayLike,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One LSTM step with the notes' six equations.

    x is (N, I) or (I,), h_prev and C_prev (N, H) or (H,). W (4H, H+I) stacks
    the notes' W_f, W_i, W_C, W_o in that order (rows [f; i; C̃; o]) and b (4H,)
    their biases; each acts on [h_prev, x], h first:
        f = σ(W_f [h, x] + b_f)   i = σ(W_i [h, x] + b_i)
        C̃ = tanh(W_C [h, x] + b_C)   o = σ(W_o [h, x] + b_o)
        C = f ⊙ C_prev + i ⊙ C̃   h = o ⊙ tanh(C)
    Returns (h, C). PyTorch's LSTMCell stacks its gates as i, f, g, o, splits
    the columns into weight_hh (the h part) and weight_ih (the x part), and adds
    a second bias bias_hh (zero here).
    """
    h_prev_ = _t(h_prev)
    hidden = h_prev_.shape[-1]
    joined = torch.cat([h_prev_, _t(x)], dim=-1)
    f, i, candidate, o = (joined @ _t(W).T + _t(b)).split(hidden, dim=-1)
    C = torch.sigmoid(f) * _t(C_prev) + torch.sigmoid(i) * torch.tanh(candidate)
    return torch.sigmoid(o) * torch.tanh(C), C


def lstm_sequence(
    xs: ArrayLike,
    h0: ArrayLike,
    C0: ArrayLike,  # noqa: N803
    W: ArrayLike,  # noqa: N803
    b: ArrayLike,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The LSTM unrolled over xs (T, N, I) or (T, I) from (h0, C0), sharing W, b.

    Returns (hs, C_T): every hidden state h_1..h_T, shape (T, N, H), and the
    final cell state, shape (N, H).
    """
    h, C, hs = _t(h0), _t(C0), []
    for x in _t(xs):
        h, C = lstm_cell(x, h, C, W, b)
        hs.append(h)
    return torch.stack(hs), C


# ------------------------------------------------------------------------- GRU


def gru_cell(
    x: ArrayLike,
    h_prev: ArrayLike,
    W_z: ArrayLike,  # noqa: N803
    W_r: ArrayLike,  # noqa: N803
    W_h: ArrayLike,  # noqa: N803
) -> torch.Tensor:
    """One GRU step in the notes' convention, without biases.

    x is (N, I) or (I,), h_prev (N, H) or (H,); W_z, W_r, W_h are (H, H+I) and
    act on concatenations with h first:
        z = σ(W_z [h, x])   r = σ(W_r [h, x])
        h̃ = tanh(W_h [r ⊙ h, x])   h = (1 − z) ⊙ h_prev + z ⊙ h̃
    z weights the NEW candidate, and the reset multiplies h_prev BEFORE the
    matrix. PyTorch's GRUCell differs twice: its z weights the old state
    (h = (1 − z) ⊙ n + z ⊙ h_prev, as in Cho et al. 2014) and it resets after
    the matrix (n = tanh(W_in x + r ⊙ (W_hn h))), so no choice of its weights
    reproduces this cell in general.
    """
    x_, h_prev_ = _t(x), _t(h_prev)
    joined = torch.cat([h_prev_, x_], dim=-1)
    z = torch.sigmoid(joined @ _t(W_z).T)
    r = torch.sigmoid(joined @ _t(W_r).T)
    candidate = torch.tanh(torch.cat([r * h_prev_, x_], dim=-1) @ _t(W_h).T)
    return (1 - z) * h_prev_ + z * candidate


def gru_sequence(
    xs: ArrayLike,
    h0: ArrayLike,
    W_z: ArrayLike,  # noqa: N803
    W_r: ArrayLike,  # noqa: N803
    W_h: ArrayLike,  # noqa: N803
) -> torch.Tensor:
    """The notes' GRU unrolled over xs (T, N, I) or (T, I) from h0.

    Returns every hidden state h_1..h_T, shape (T, N, H).
    """
    h, hs = _t(h0), []
    for x in _t(xs):
        h = gru_cell(x, h, W_z, W_r, W_h)
        hs.append(h)
    return torch.stack(hs)
