"""Exam-level variants for lecture 7.7 (simple RNN): a greedy language-model
trace, the key from `engine.reference.recurrent` (the other 7.7 variants are
in exam_7_07.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.reference import recurrent
from exercises.variants import Variant, generator
from exercises.variants._common import (
    WEIGHTS,
    bounded_draw,
    vector,
)

# ----------------------------------------- a greedy language-model trace

WORDS = ("A", "B", "C")
STEPS = 4


def _greedy(
    w: np.ndarray, u: np.ndarray, v: np.ndarray, start: int
) -> tuple[list[int], list[np.ndarray], list[np.ndarray]]:
    """Feed the start word, then each step's most probable word, through the
    engine's rnn_step from h_0 = 0; the words chosen, the states and scores."""
    h, word = np.zeros(2), start
    chosen, states, scores = [], [], []
    for _ in range(STEPS):
        h_t, o_t = recurrent.rnn_step(np.eye(3)[word], h, w, u, v)
        h = vector(h_t)
        word = int(torch.argmax(o_t))
        chosen.append(word)
        states.append(h)
        scores.append(v @ h)
    return chosen, states, scores


def _greedy_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    w = rng.choice(WEIGHTS, size=(2, 2))
    u = rng.choice(WEIGHTS, size=(2, 3))
    v = rng.choice(np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), size=(3, 2))
    start = int(rng.integers(3))
    chosen, states, scores = _greedy(w, u, v, start)
    for s in scores:
        top = np.sort(s)
        if top[-1] - top[-2] < 0.1:
            return None  # a near tie: rounding could pick another word
    memoryless, _, memoryless_scores = _greedy(np.zeros((2, 2)), u, v, start)
    if any(np.sort(s)[-1] - np.sort(s)[-2] < 0.05 for s in memoryless_scores):
        return None
    if memoryless == chosen or len(set(chosen)) < 2:
        return None
    return {"W": w, "U": u, "V": v, "start": start, "chosen": chosen,
            "states": states, "scores": scores, "memoryless": memoryless}  # fmt: skip


def _greedy_holds(variant: Variant) -> str | None:
    values = variant.values
    if variant.answer == values["memoryless_labels"]:
        return "ignoring W h_{t−1} gives the same words"
    for s in values["scores"]:
        top = np.sort(s)
        if top[-1] - top[-2] < 0.1:
            return "two scores almost tie"
    return None


@generator(
    "rnn_exam_greedy_trace",
    guarantees=(
        "vocabulary A, B, C as one-hot inputs; H = 2; W and U entries in {−1, −0.5, 0, 0.5, 1}, V in {−2, −1, 0, 1, 2}",
        "four greedy steps from h_0 = 0; at every step the best score beats the second by ≥ 0.1",
        "dropping W h_{t−1} (no memory) gives a different sequence; the answer uses at least two words",
        "each step from the engine's rnn_step, the next word its softmax's arg max",
    ),
    holds=_greedy_holds,
)
def rnn_exam_greedy_trace(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    d = bounded_draw(rng, _greedy_draw)
    labels = [WORDS[i] for i in d["chosen"]]
    memoryless = [WORDS[i] for i in d["memoryless"]]
    fed = [WORDS[d["start"]], *labels[:-1]]
    steps = [
        {
            "t": t + 1,
            "fed": fed[t],
            "h": d["states"][t],
            "s": d["scores"][t],
            "word": labels[t],
        }
        for t in range(STEPS)
    ]
    values = {
        "W": d["W"], "U": d["U"], "V": d["V"], "start": WORDS[d["start"]],
        "steps": steps, "scores": d["scores"],
        "answer_text": ", ".join(labels),
        "memoryless_labels": memoryless, "memoryless_text": ", ".join(memoryless),
        "first_column": d["U"][:, d["start"]],
    }  # fmt: skip
    return Variant(values=values, answer=labels)
