"""Exam-level variants for lecture 7.7 (simple RNN): back-propagation through two
steps of a 2-unit RNN (states and Jacobians), the spectral norm of a symmetric W
and how fast the gradient at rest vanishes or explodes, the gradient of a loss
with respect to the shared weight (both time steps); the greedy language-model
trace is in exam_7_07_trace.py.

Every key comes from `engine.reference.recurrent`, through torch autograd where
a derivative is asked for. Intermediate values the engine does not return
(pre-activations, scores) are computed here only to reject degenerate draws and
for the explanations; the `holds` checks compare them with the engine.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.reference import recurrent
from exercises.variants import Variant, generator
from exercises.variants._common import (
    INPUTS,
    QUARTERS,
    WEIGHTS,
    bounded_draw,
    differs,
    scalar,
    shaped,
)

NONZERO_QUARTERS = QUARTERS[QUARTERS != 0]


def _f64(value: Any, grad: bool = False) -> torch.Tensor:
    return torch.tensor(
        np.asarray(value, dtype=float), dtype=torch.float64
    ).requires_grad_(grad)


# ------------------------------------------------- two steps of a 2-unit RNN


def _two_step_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    w = rng.choice(WEIGHTS, size=(2, 2))
    u = rng.choice(INPUTS, size=(2, 1))
    h0 = rng.choice(NONZERO_QUARTERS, size=2)
    xs = rng.choice(INPUTS, size=(2, 1))
    states = recurrent.rnn_hidden_states(xs, h0, w, u).numpy()
    pre = np.stack([w @ h0 + u @ xs[0], w @ states[0] + u @ xs[1]])
    if np.any(np.abs(pre) < 0.2) or np.any(np.abs(pre) > 2.0):
        return None
    j21 = recurrent.rnn_jacobian(xs, h0, w, u)[0].numpy()
    h0_leaf = _f64(h0, grad=True)
    j20 = (
        torch.autograd.functional.jacobian(
            lambda h: recurrent.rnn_hidden_states(xs, h, w, u)[-1], h0_leaf
        )
        .detach()
        .numpy()
    )
    early = w @ np.diag(1 - states[0] ** 2)  # the notes' factor, one step early
    if not (
        differs(j21, early, 0.05)
        and differs(j21, w, 0.05)
        and differs(j21, j21.T, 0.05)
        and np.max(np.abs(j20)) >= 0.05
        and differs(j20, j21, 0.05)
    ):
        return None
    return {"W": w, "U": u, "h0": h0, "xs": xs, "states": states, "pre": pre,
            "J21": j21, "J20": j20, "early": early}  # fmt: skip


def _two_step_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    w, h1, h2 = values["W"], answer["h1"], answer["h2"]
    if not np.allclose(np.diag(1 - h2**2) @ w, answer["J21"], atol=1e-12):
        return "the engine's ∂h_2/∂h_1 is not diag(1 − h_2²) W"
    chained = answer["J21"] @ np.diag(1 - h1**2) @ w
    if not np.allclose(chained, answer["J20"], atol=1e-12):
        return "autograd's ∂h_2/∂h_0 is not the chain of the two step Jacobians"
    if not differs(answer["J21"], values["early"], 0.05):
        return "the notes' early-derivative factor gives (almost) the same Jacobian"
    return None


@generator(
    "rnn_exam_two_step_jacobian",
    guarantees=(
        "H = 2, one input: W entries in {−1, −0.5, 0, 0.5, 1}, U and x_t in {±0.5, ±1}, h_0 non-zero multiples of 0.25",
        "every pre-activation has 0.2 ≤ |a| ≤ 2",
        "∂h_2/∂h_1 differs by > 0.05 somewhere from W, from its transpose and from the notes' W diag(1 − h_1²)",
        "∂h_2/∂h_0 has an entry ≥ 0.05 in size and differs from ∂h_2/∂h_1",
        "states from the engine's rnn_hidden_states, ∂h_2/∂h_1 from rnn_jacobian, ∂h_2/∂h_0 by torch autograd through rnn_hidden_states",
    ),
    holds=_two_step_holds,
)
def rnn_exam_two_step_jacobian(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    drawn = bounded_draw(rng, _two_step_draw)
    w, u, xs = drawn["W"], drawn["U"], drawn["xs"]
    states = drawn["states"]
    answer = {
        "h1": states[0],
        "h2": states[1],
        "J21": drawn["J21"],
        "J20": drawn["J20"],
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """h_2 from the student's h_1; ∂h_2/∂h_1 from their h_2; ∂h_2/∂h_0 from
        their ∂h_2/∂h_1 and h_1."""
        if part == "h2" and "h1" in earlier:
            h1 = shaped(earlier["h1"], (2,))
            return None if h1 is None else np.tanh(w @ h1 + u @ xs[1])
        if part == "J21" and "h2" in earlier:
            h2 = shaped(earlier["h2"], (2,))
            return None if h2 is None else np.diag(1 - h2**2) @ w
        if part == "J20" and {"h1", "J21"} <= earlier.keys():
            h1, j21 = shaped(earlier["h1"], (2,)), shaped(earlier["J21"], (2, 2))
            if h1 is None or j21 is None:
                return None
            return j21 @ np.diag(1 - h1**2) @ w
        return None

    values = {
        **drawn, "x1": float(xs[0, 0]), "x2": float(xs[1, 0]), **answer,
        "pre1": drawn["pre"][0], "pre2": drawn["pre"][1],
        "D1": 1 - states[0] ** 2, "D2": 1 - states[1] ** 2,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# ---------------------------------- a symmetric W at rest: how fast it fades

# (p, q, r) with p² + q² = r²: W = [[m + p, ±q], [±q, m − p]] has the
# eigenvalues m ± r exactly.
TRIPLES = ((0.3, 0.4, 0.5), (0.4, 0.3, 0.5), (0.15, 0.2, 0.25), (0.2, 0.15, 0.25),
           (0.6, 0.8, 1.0), (0.8, 0.6, 1.0), (0.45, 0.6, 0.75), (0.6, 0.45, 0.75))  # fmt: skip
CENTRES = np.round(np.arange(-0.5, 0.65, 0.05), 2)
VANISH, EXPLODE = 1e-3, 1e3
T_MAX = 80


def _norm_at_rest(w: np.ndarray, steps: int) -> float:
    """‖∂h_T/∂h_1‖₂ of the engine's RNN resting at h = 0 (h_0 = 0, inputs 0)."""
    return recurrent.rnn_jacobian(
        np.zeros((steps, 1)), np.zeros(2), w, np.zeros((2, 1))
    )[1]


def _crosses(w: np.ndarray, steps: int, vanishing: bool) -> bool:
    norm = _norm_at_rest(w, steps)
    return norm < VANISH if vanishing else norm > EXPLODE


def _first_crossing(w: np.ndarray, vanishing: bool) -> int | None:
    """The smallest T at which the engine's norm passes the threshold, by
    bisection (the norm is monotone in T at rest); None if not by T_MAX."""
    low, high = 1, T_MAX  # at T = 1 the Jacobian is the identity: not crossed
    if not _crosses(w, high, vanishing):
        return None
    while high - low > 1:
        middle = (low + high) // 2
        if _crosses(w, middle, vanishing):
            high = middle
        else:
            low = middle
    return high


def _rest_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    p, q, r = TRIPLES[int(rng.integers(len(TRIPLES)))]
    m = float(rng.choice(CENTRES))
    sign = float(rng.choice([-1.0, 1.0]))
    w = np.array([[m + p, sign * q], [sign * q, m - p]])
    eigen = (m + r, m - r)
    rho = max(abs(e) for e in eigen)
    if not (0.55 <= rho <= 0.85 or 1.15 <= rho <= 1.5):
        return None
    if np.any(np.abs(w) < 0.05):
        return None
    vanishing = rho < 1
    exponent = np.log(VANISH if vanishing else EXPLODE) / np.log(rho)
    if not 0.15 <= exponent % 1 <= 0.85:
        return None  # T* must not hinge on the fourth digit of ρ
    return {"W": np.round(w, 4), "m": m, "r": r, "eigen": eigen, "vanishing": vanishing}


def _rest_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    w, steps = values["W"], int(answer["T_star"])
    if abs(answer["rho"] - float(np.max(np.abs(np.linalg.eigvalsh(w))))) > 1e-9:
        return "the spectral norm of the symmetric W is not its largest |eigenvalue|"
    if abs(answer["norm_T"] - answer["rho"] ** (values["T"] - 1)) > 1e-9 * max(
        1.0, answer["norm_T"]
    ):
        return "the engine's norm at rest is not ρ^(T−1)"
    vanishing = values["vanishing"]
    if not _crosses(w, steps, vanishing) or _crosses(w, steps - 1, vanishing):
        return "T* is not the first step at which the norm passes the threshold"
    return None


@generator(
    "rnn_exam_rest_spectral",
    guarantees=(
        "W symmetric 2×2 with entries of two decimals and eigenvalues m ± r exactly (a Pythagorean triple)",
        "ρ = ‖W‖₂ in [0.55, 0.85] (vanishing: threshold 10⁻³) or [1.15, 1.5] (exploding: threshold 10³)",
        "log(threshold)/log ρ is at least 0.15 away from an integer, so T* is robust to rounding ρ",
        "ρ, the norm at T and T* from the engine's rnn_jacobian at rest (h_0 = 0, inputs 0); T* by bisection on the engine's norms",
    ),
    holds=_rest_holds,
)
def rnn_exam_rest_spectral(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    drawn = bounded_draw(rng, _rest_draw)
    w, vanishing = drawn["W"], drawn["vanishing"]
    steps = int(rng.choice([8, 10, 12, 15]))
    rho = _norm_at_rest(w, 2)  # at T = 2 the Jacobian at rest is W itself
    norm_t = _norm_at_rest(w, steps)
    t_star = _first_crossing(w, vanishing)
    assert t_star is not None, "ρ was drawn so that the norm crosses by T_MAX"
    threshold = VANISH if vanishing else EXPLODE
    answer = {"rho": rho, "norm_T": norm_t, "T_star": float(t_star)}

    def crossing(rho_mine: float) -> float | None:
        """The first T at which ρ^(T−1) passes the threshold, for the student's ρ."""
        if (
            rho_mine <= 0
            or (vanishing and rho_mine >= 1)
            or (not vanishing and rho_mine <= 1)
        ):
            return None
        exponent = np.log(threshold) / np.log(rho_mine)
        return float(np.floor(exponent) + 2)

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The norm at T and T* from the student's own ρ."""
        if "rho" not in earlier:
            return None
        rho_mine = float(earlier["rho"])
        if part == "norm_T":
            return abs(rho_mine) ** (steps - 1)
        if part == "T_star":
            return crossing(abs(rho_mine))
        return None

    lam_big, lam_small = sorted(drawn["eigen"], key=abs, reverse=True)
    values = {
        "W": w, "T": steps, "m": drawn["m"], "r": drawn["r"],
        "lam_big": lam_big, "lam_small": lam_small,
        "lam_max": max(drawn["eigen"]),
        "negative_wins": lam_big < 0,
        "frobenius": float(np.linalg.norm(w)),
        "vanishing": vanishing,
        "threshold_tex": r"10^{-3}" if vanishing else r"10^{3}",
        "passes": "falls below" if vanishing else "rises above",
        "exponent": float(np.log(threshold) / np.log(rho)),
        "T_before": t_star - 1,
        "norm_before": _norm_at_rest(w, t_star - 1),
        "norm_star": _norm_at_rest(w, t_star),
        **answer, "T_star_int": t_star,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# --------------------------------- the gradient of a loss w.r.t. the shared w


def _weight_gradient(
    w: float, u: float, h0: float, xs: np.ndarray, y: float
) -> tuple[np.ndarray, float, float]:
    """States, ∂h_1/∂w and ∂L/∂w for L = ½(h_2 − y)², by autograd through the
    engine's rnn_hidden_states."""
    w_leaf = _f64([[w]], grad=True)
    states = recurrent.rnn_hidden_states(xs[:, None], [h0], w_leaf, [[u]])
    (dh1,) = torch.autograd.grad(states[0, 0], w_leaf, retain_graph=True)
    loss = 0.5 * (states[1, 0] - y) ** 2
    (dloss,) = torch.autograd.grad(loss, w_leaf)
    return states.detach().numpy().reshape(-1), scalar(dh1), scalar(dloss)


def _weight_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    w = float(rng.choice([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5]))
    u = float(rng.choice(INPUTS))
    h0 = float(rng.choice(NONZERO_QUARTERS))
    xs = rng.choice(INPUTS, size=2)
    y = float(rng.choice([-1.0, -0.5, 0.5, 1.0]))
    states, dh1, dloss = _weight_gradient(w, u, h0, xs, y)
    h1, h2 = states
    pre = np.array([w * h0 + u * xs[0], w * h1 + u * xs[1]])
    last_only = (h2 - y) * (1 - h2**2) * h1
    if (
        np.any(np.abs(pre) < 0.2)
        or np.any(np.abs(pre) > 2.5)
        or abs(h2 - y) < 0.2
        or abs(dh1) < 0.1
        or abs(dloss) < 0.02
        or abs(dloss - last_only) < max(0.02, 0.1 * abs(dloss))
    ):
        return None
    return {"w": w, "u": u, "h0": h0, "xs": xs, "y": y, "states": states,
            "pre": pre, "dh1": dh1, "dloss": dloss, "last_only": last_only}  # fmt: skip


def _weight_holds(variant: Variant) -> str | None:
    v, a = variant.values, variant.answer
    h1, h2, w, h0 = a["h1"], a["h2"], v["w"], v["h0"]
    if abs(a["dh1"] - (1 - h1**2) * h0) > 1e-12:
        return "autograd's ∂h_1/∂w is not (1 − h_1²) h_0"
    total = (h2 - v["y"]) * (1 - h2**2) * (h1 + w * a["dh1"])
    if abs(total - a["dL"]) > 1e-12:
        return "autograd's ∂L/∂w is not the sum over both steps"
    if abs(a["dL"] - v["last_only"]) < 0.02:
        return "the last-step-only slip gives (almost) the same gradient"
    return None


@generator(
    "rnn_exam_weight_gradient",
    guarantees=(
        "a scalar RNN over 2 steps: w in {±0.5, ±1, ±1.5}, u and x_t in {±0.5, ±1}, h_0 a non-zero multiple of 0.25, y in {±0.5, ±1}",
        "every pre-activation has 0.2 ≤ |a| ≤ 2.5; |h_2 − y| ≥ 0.2; |∂h_1/∂w| ≥ 0.1; |∂L/∂w| ≥ 0.02",
        "the full ∂L/∂w differs from the last-step-only term by ≥ max(0.02, 10%)",
        "states from the engine's rnn_hidden_states, both derivatives by torch autograd through it",
    ),
    holds=_weight_holds,
)
def rnn_exam_weight_gradient(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    d = bounded_draw(rng, _weight_draw)
    w, u, h0, xs, y = d["w"], d["u"], d["h0"], d["xs"], d["y"]
    h1, h2 = (float(s) for s in d["states"])
    answer = {"h1": h1, "h2": h2, "dh1": d["dh1"], "dL": d["dloss"]}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """h_2 from the student's h_1; ∂h_1/∂w from their h_1; ∂L/∂w from their
        h_1, h_2 and ∂h_1/∂w."""
        if part == "h2" and "h1" in earlier:
            return float(np.tanh(w * float(earlier["h1"]) + u * xs[1]))
        if part == "dh1" and "h1" in earlier:
            return (1 - float(earlier["h1"]) ** 2) * h0
        if part == "dL" and {"h1", "h2", "dh1"} <= earlier.keys():
            mine1, mine2 = float(earlier["h1"]), float(earlier["h2"])
            return (mine2 - y) * (1 - mine2**2) * (mine1 + w * float(earlier["dh1"]))
        return None

    values = {
        "w": w, "u": u, "h0": h0, "x1": float(xs[0]), "x2": float(xs[1]), "y": y,
        "pre1": d["pre"][0], "pre2": d["pre"][1], "err": h2 - y, "tanh2": 1 - h2**2,
        "inner": h1 + w * d["dh1"], "last_only": d["last_only"],
        "through_h1": (h2 - y) * (1 - h2**2) * w * d["dh1"], **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)
