"""Exam-level variants for lecture 7.8 (LSTM): the full derivative ∂C_2/∂C_0,
counting the paths through h_1 into the next gates; a two-step trace of one unit
whose gates read h_{t−1}; the smallest forget-gate bias that keeps a share of
the gradient along the cell state.

Every key comes from `engine.reference.recurrent`, through torch autograd where
a derivative is asked for (or from torch for the inverse sigmoid, checked
against the engine in `holds`). Where a question gives a gate's value rather
than its weights, the generator builds inputs that produce exactly that value
on a weight of 1 and runs the engine's cell on them.
"""

from __future__ import annotations

from functools import lru_cache
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
    logit,
    scalar,
    sigmoid,
)

GATE_LEVELS = np.array([0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9])
CANDIDATES = np.array([-0.8, -0.6, -0.4, -0.2, 0.2, 0.4, 0.6, 0.8])
RECURRENT = np.array([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0])


def _f64(value: Any, grad: bool = False) -> torch.Tensor:
    return torch.tensor(
        np.asarray(value, dtype=float), dtype=torch.float64
    ).requires_grad_(grad)


# ----------------------------------------- ∂C_2/∂C_0 with the paths through h_1


def _full_gradient(
    rec: np.ndarray, gates1: dict[str, float], gates2: dict[str, float], c0: float
) -> dict[str, float]:
    """Two steps of the engine's LSTM cell for one unit whose pre-activations
    are rec_g · h_{t−1} + x_{t,g} (the input x_t has one entry per gate, on a
    weight of 1; no bias). x_1 gives the step-1 gates exactly (h_0 = 0), x_2 the
    step-2 gates exactly at the h_1 the cell reaches. C_1 and C_0 are leaves of
    autograd's graph, so ∂C_2/∂C_1 counts the direct path and the paths through
    h_1 = o_1 tanh(C_1)."""
    w = np.zeros((4, 5))
    w[:, 0] = rec
    w[:, 1:] = np.eye(4)
    bias = np.zeros(4)
    x1 = np.array([logit(gates1["f"]), logit(gates1["i"]),
                   float(np.arctanh(gates1["c"])), logit(gates1["o"])])  # fmt: skip
    c0_leaf = _f64([c0], grad=True)
    h1, c1 = recurrent.lstm_cell(x1, np.zeros(1), c0_leaf, w, bias)
    h1_value = float(h1.detach()[0])
    x2 = np.array([
        logit(gates2["f"]) - rec[0] * h1_value,
        logit(gates2["i"]) - rec[1] * h1_value,
        float(np.arctanh(gates2["c"])) - rec[2] * h1_value,
        0.0,
    ])  # fmt: skip
    _, c2 = recurrent.lstm_cell(x2, h1, c1, w, bias)
    d21, d20 = torch.autograd.grad(c2[0], [c1, c0_leaf])
    return {"c1": float(c1.detach()[0]), "h1": h1_value, "c2": float(c2.detach()[0]),
            "d21": scalar(d21), "d20": scalar(d20)}  # fmt: skip


def _full_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    rec = rng.choice(RECURRENT, size=4)
    rec[3] = 0.0  # o_2 does not touch C_2: its weight is not asked for
    gates1 = {"f": float(rng.choice(GATE_LEVELS)), "i": float(rng.choice(GATE_LEVELS)),
              "c": float(rng.choice(CANDIDATES)), "o": float(rng.choice(GATE_LEVELS))}  # fmt: skip
    gates2 = {"f": float(rng.choice(GATE_LEVELS)), "i": float(rng.choice(GATE_LEVELS)),
              "c": float(rng.choice(CANDIDATES))}  # fmt: skip
    c0 = float(rng.choice([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5]))
    result = _full_gradient(rec, gates1, gates2, c0)
    extra = result["d21"] - gates2["f"]
    if (
        abs(result["c1"]) < 0.1
        or abs(extra) < max(0.05, 0.1 * abs(result["d21"]))
        or abs(result["d20"]) < 0.02
    ):
        return None
    return {"rec": rec, "gates1": gates1, "gates2": gates2, "c0": c0, **result}


def _paths(
    rec: np.ndarray, gates2: dict[str, float], o1: float, c1: float
) -> dict[str, float]:
    f2, i2, g2 = gates2["f"], gates2["i"], gates2["c"]
    dh1 = o1 * (1 - np.tanh(c1) ** 2)
    via_f = f2 * (1 - f2) * rec[0] * c1
    via_i = i2 * (1 - i2) * rec[1] * g2
    via_c = i2 * (1 - g2**2) * rec[2]
    return {"dh1": float(dh1), "via_f": float(via_f), "via_i": float(via_i),
            "via_c": float(via_c),
            "total": float(f2 + (via_f + via_i + via_c) * dh1)}  # fmt: skip


def _full_holds(variant: Variant) -> str | None:
    v, a = variant.values, variant.answer
    paths = _paths(v["rec"], v["gates2"], v["o1"], a["c1"])
    if abs(paths["total"] - a["d21"]) > 1e-10:
        return "autograd's ∂C_2/∂C_1 is not f_2 plus the three paths through h_1"
    if abs(a["d20"] - v["f1"] * a["d21"]) > 1e-10:
        return "∂C_2/∂C_0 is not f_1 times ∂C_2/∂C_1"
    if abs(a["d21"] - v["f2"]) < 0.05:
        return "the cell path alone gives (almost) the same derivative"
    return None


@generator(
    "lstm_exam_full_cell_gradient",
    guarantees=(
        "one unit; gates given as values: f, i, o in {0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9}, C̃ in {±0.2, …, ±0.8}; C_0 in {±0.5, ±1, ±1.5}",
        "recurrent weights w_f, w_i, w_C in {±0.5, ±1, ±1.5, ±2}; the step-2 gates are exact at the h_1 the cell reaches",
        "|C_1| ≥ 0.1; the paths through h_1 change ∂C_2/∂C_1 by ≥ max(0.05, 10%); |∂C_2/∂C_0| ≥ 0.02",
        "C_1, h_1 from the engine's lstm_cell; both derivatives by torch autograd through two engine steps",
    ),
    holds=_full_holds,
)
def lstm_exam_full_cell_gradient(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    d = bounded_draw(rng, _full_draw)
    rec, g1, g2 = d["rec"], d["gates1"], d["gates2"]
    answer = {"c1": d["c1"], "h1": d["h1"], "d21": d["d21"], "d20": d["d20"]}
    kept = _paths(rec, g2, g1["o"], d["c1"])

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """h_1 from the student's C_1; ∂C_2/∂C_1 from their C_1; ∂C_2/∂C_0 from
        their ∂C_2/∂C_1."""
        if part == "h1" and "c1" in earlier:
            return g1["o"] * float(np.tanh(float(earlier["c1"])))
        if part == "d21" and "c1" in earlier:
            return _paths(rec, g2, g1["o"], float(earlier["c1"]))["total"]
        if part == "d20" and "d21" in earlier:
            return g1["f"] * float(earlier["d21"])
        return None

    values = {
        "rec": rec, "gates2": g2, "w_f": rec[0], "w_i": rec[1], "w_C": rec[2],
        "C0": d["c0"], "f1": g1["f"], "i1": g1["i"], "g1": g1["c"], "o1": g1["o"],
        "f2": g2["f"], "i2": g2["i"], "g2": g2["c"],
        "cell_only": g2["f"], "cell_only_0": g1["f"] * g2["f"],
        **kept, **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# ------------------------------------------------ two steps of one full unit

GATES = ("f", "i", "c", "o")


def _two_step_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    w_h = rng.choice(WEIGHTS[WEIGHTS != 0], size=4)
    w_x = rng.choice(WEIGHTS[WEIGHTS != 0], size=4)
    bias = rng.choice(QUARTERS, size=4)
    c0 = float(rng.choice(QUARTERS[QUARTERS != 0]))
    xs = rng.choice(INPUTS, size=2)
    w = np.stack([w_h, w_x], axis=1)  # rows f, i, C̃, o; columns (h, x)
    h1, c1 = (scalar(t) for t in recurrent.lstm_cell(xs[:1], [0.0], [c0], w, bias))
    hs, c2_t = recurrent.lstm_sequence(xs[:, None], [0.0], [c0], w, bias)
    h2, c2 = float(hs[1, 0]), scalar(c2_t)
    pre1 = w_x * xs[0] + bias
    pre2 = w_h * h1 + w_x * xs[1] + bias
    gates2 = {g: float(sigmoid(pre2[k]) if g != "c" else np.tanh(pre2[k]))
              for k, g in enumerate(GATES)}  # fmt: skip
    f2_no_memory = float(sigmoid(w_x[0] * xs[1] + bias[0]))
    if (
        np.any(np.abs(pre1) < 0.1)
        or np.any(np.abs(pre2) < 0.1)
        or abs(c1) < 0.1
        or abs(c2) < 0.1
        or abs(h1) < 0.1
        or abs(gates2["f"] - f2_no_memory) < 0.03
        or abs(h2 - h1) < 0.02
    ):
        return None
    return {"w_h": w_h, "w_x": w_x, "bias": bias, "c0": c0, "xs": xs, "w": w,
            "h1": h1, "c1": c1, "h2": h2, "c2": c2, "pre1": pre1, "pre2": pre2,
            "gates2": gates2, "f2_no_memory": f2_no_memory}  # fmt: skip


def _step2(d: dict[str, Any], h1: float) -> dict[str, float]:
    pre = d["w_h"] * h1 + d["w_x"] * d["xs"][1] + d["bias"]
    return {g: float(sigmoid(pre[k]) if g != "c" else np.tanh(pre[k]))
            for k, g in enumerate(GATES)}  # fmt: skip


def _two_step_holds(variant: Variant) -> str | None:
    v, a = variant.values, variant.answer
    g = v["gates2"]
    if abs(g["f"] * a["c1"] + g["i"] * g["c"] - a["c2"]) > 1e-12:
        return "the engine's C_2 is not f_2 C_1 + i_2 C̃_2"
    if abs(g["o"] * np.tanh(a["c2"]) - a["h2"]) > 1e-12:
        return "the engine's h_2 is not o_2 tanh(C_2)"
    if abs(a["f2"] - v["f2_no_memory"]) < 0.03:
        return "leaving out w_f h_1 gives (almost) the same forget gate"
    return None


@generator(
    "lstm_exam_two_step_trace",
    guarantees=(
        "one unit, one input: every gate has a weight on h and on x in {±0.5, ±1} and a bias in multiples of 0.25",
        "h_0 = 0, C_0 a non-zero multiple of 0.25, x_1, x_2 in {±0.5, ±1}",
        "no pre-activation within 0.1 of 0; |C_1|, |C_2|, |h_1| ≥ 0.1",
        "leaving out the recurrent term w_f h_1 changes f_2 by ≥ 0.03",
        "C_1, h_1 from the engine's lstm_cell; h_2, C_2 from its lstm_sequence",
    ),
    holds=_two_step_holds,
)
def lstm_exam_two_step_trace(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    d = bounded_draw(rng, _two_step_draw)
    g1 = {gate: float(sigmoid(d["pre1"][k]) if gate != "c" else np.tanh(d["pre1"][k]))
          for k, gate in enumerate(GATES)}  # fmt: skip
    answer = {
        "c1": d["c1"],
        "h1": d["h1"],
        "f2": d["gates2"]["f"],
        "c2": d["c2"],
        "h2": d["h2"],
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """h_1 from the student's C_1; f_2 from their h_1; C_2 from their C_1,
        f_2 and h_1; h_2 from their C_2 and h_1."""
        if part == "h1" and "c1" in earlier:
            return g1["o"] * float(np.tanh(float(earlier["c1"])))
        if part == "f2" and "h1" in earlier:
            return _step2(d, float(earlier["h1"]))["f"]
        if part == "c2" and {"c1", "h1", "f2"} <= earlier.keys():
            g2 = _step2(d, float(earlier["h1"]))
            return float(earlier["f2"]) * float(earlier["c1"]) + g2["i"] * g2["c"]
        if part == "h2" and {"c2", "h1"} <= earlier.keys():
            g2 = _step2(d, float(earlier["h1"]))
            return g2["o"] * float(np.tanh(float(earlier["c2"])))
        return None

    rows = [
        {"name": name, "w_h": d["w_h"][k], "w_x": d["w_x"][k], "b": d["bias"][k]}
        for k, name in enumerate((r"$f$", r"$i$", r"$\tilde C$", r"$o$"))
    ]
    values = {
        "rows": rows, "C0": d["c0"], "x1": float(d["xs"][0]), "x2": float(d["xs"][1]),
        "pre1": d["pre1"], "pre2": d["pre2"], "g1": g1, "g2": d["gates2"],
        "f2_no_memory": d["f2_no_memory"], "gates2": d["gates2"], **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# -------------------------------------------- the forget bias for a long memory


def _bias_holds(variant: Variant) -> str | None:
    v = variant.values
    if abs(v["engine_share"] - v["q"]) > 1e-9:
        return "the engine's ∂C_T/∂C_0 at that bias is not the share asked for"
    wrongs = (v["wrong_gate"], v["wrong_no_power"])
    if min(abs(variant.answer - wrong) for wrong in wrongs) < 0.05:
        return "a typical wrong answer is (almost) right"
    return None


def _scientific(value: float) -> str:
    """A small number for LaTeX: 7.89 \\times 10^{-31}."""
    mantissa, exponent = f"{value:.2e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


@lru_cache(maxsize=64)
def _share_along_cell(bias_f: float, steps: int) -> float:
    """∂C_T/∂C_0 by autograd through the engine's lstm_sequence, for one unit
    with no weights (all gates from their biases: f = σ(b_f))."""
    c0 = _f64([0.5], grad=True)
    _, c_final = recurrent.lstm_sequence(
        np.zeros((steps, 1)), np.zeros(1), c0, np.zeros((4, 2)),
        np.array([bias_f, 0.0, 0.5, 0.0]),
    )  # fmt: skip
    (gradient,) = torch.autograd.grad(c_final.sum(), c0)
    return scalar(gradient)


@generator(
    "lstm_exam_forget_bias",
    guarantees=(
        "T in {10, 20, 30, 50, 100} steps, a share q in {0.1, 0.25, 0.5} of the gradient to keep",
        "the bias is torch's logit of q^(1/T); at that bias the engine's ∂C_T/∂C_0 (autograd through lstm_sequence) is q",
        "the forget value itself and logit(q) (the power T left out) each miss the key by ≥ 0.05",
    ),
    holds=_bias_holds,
)
def lstm_exam_forget_bias(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    steps = int(rng.choice([10, 20, 30, 50, 100]))
    share = float(rng.choice([0.1, 0.25, 0.5]))
    forget = torch.tensor(share, dtype=torch.float64) ** (1.0 / steps)
    answer = float(torch.logit(forget))
    values = {
        "T": steps, "q": share, "f_star": float(forget), "answer": answer,
        "engine_share": _share_along_cell(answer, steps),
        "wrong_gate": float(forget),
        "wrong_no_power": logit(share),
        "zero_share": 0.5**steps,
        "zero_share_tex": _scientific(0.5**steps),
    }  # fmt: skip
    return Variant(values=values, answer=answer)
