"""Exam-level variants for lecture 6.6 (transfer learning): a cyclical
learning rate stepped once per epoch instead of once per batch, the steps at
which a triangular schedule takes a given rate, and how many top layers of a
base fit a budget of trainable parameters."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine.reference import training
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw


def _lr(step: float, lr_min: float, lr_max: float, step_size: float) -> float:
    return float(training.cyclical_lr([step], lr_min, lr_max, step_size)[0])


# ------------------------------------------- CyclicLR stepped once per epoch

EpochDraw = dict[str, Any]
CLR_TOLERANCE = {"abs": 1e-7, "rel": 0.001}


def _apart(a: float, b: float) -> bool:
    """Farther apart than twice the parts' tolerance."""
    return abs(a - b) > 2 * max(CLR_TOLERANCE["abs"], CLR_TOLERANCE["rel"] * abs(b))


def _epoch_draw(rng: np.random.Generator) -> EpochDraw | None:
    lr_min = float(rng.choice([0.0005, 0.001]))
    lr_max = float(rng.choice([0.005, 0.006, 0.01]))
    batches = int(rng.choice([100, 200]))
    step_size = int(rng.choice([2, 3, 4])) * batches
    epochs = int(rng.integers(20, 41))
    epoch = int(rng.integers(2, epochs - 1))
    batch = int(rng.integers(1, batches))
    intended = _lr(epoch * batches + batch, lr_min, lr_max, step_size)
    actual = _lr(epoch, lr_min, lr_max, step_size)
    used = training.cyclical_lr(list(range(epochs)), lr_min, lr_max, step_size)
    highest = float(used.max())
    answers = [intended, actual, highest, lr_min, lr_max]
    if not all(_apart(a, b) for i, a in enumerate(answers) for b in answers[i + 1 :]):
        return None
    return {
        "lr_min": lr_min, "lr_max": lr_max, "B": batches, "s": step_size,
        "E": epochs, "e": epoch, "b": batch, "t": epoch * batches + batch,
        "intended": intended, "actual": actual, "highest": highest,
    }  # fmt: skip


def _epoch_holds(variant: Variant) -> str | None:
    a, v = variant.answer, variant.values
    if not _apart(a["actual"], v["lr_min"]) or not _apart(a["highest"], a["actual"]):
        return "the buggy rates cannot be told from η_min or from each other"
    if a["highest"] >= v["lr_max"]:
        return "the buggy schedule reaches η_max"
    return None


@generator(
    "exam_tl_clr_epoch",
    guarantees=(
        "η_min 0.0005 or 0.001, η_max 0.005, 0.006 or 0.01; B = 100 or 200 batches per epoch",
        "step_size s = 2, 3 or 4 epochs' worth of batches; 20 to 40 epochs, so E − 1 < s",
        "the three answers, η_min and η_max are pairwise more than twice the tolerance apart",
        "rates from the engine's cyclical_lr: intended at global batch e·B + b, used at step e",
    ),
    holds=_epoch_holds,
)
def exam_tl_clr_epoch(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    values = bounded_draw(rng, _epoch_draw)
    answer = {key: values[key] for key in ("intended", "actual", "highest")}
    values["cycles"] = values["s"] // values["B"]
    values["last_epoch"] = values["E"] - 1
    values["x_intended"] = abs(
        values["t"] / values["s"]
        - 2 * np.floor(1 + values["t"] / (2 * values["s"]))
        + 1
    )
    return Variant(values=values, answer=answer)


# ------------------------- the steps at which an asymmetric cycle takes a rate


def _cyclic_rates(
    lr_min: float, lr_max: float, up: int, down: int, steps: int
) -> list[float]:
    """The rate before each of `steps` batches under torch's triangular CyclicLR
    with step_size_up=up and step_size_down=down, stepped after every batch:
    its get_lr's arithmetic, step for step, in the same float operations
    (tests/exercises/test_cyclic_rates.py holds it equal to the scheduler at
    every draw). Not the scheduler itself: an optimiser, which it needs,
    imports torch's compiler stack on its first use, 36 MiB that the web
    process would keep for this question alone."""
    total = float(up) + float(down)
    ratio = up / total
    rates = []
    for step in range(steps):
        cycle = math.floor(1 + step / total)
        x = 1.0 + step / total - cycle
        scale = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
        rates.append(lr_min + (lr_max - lr_min) * scale)
    return rates


def _wrong_sets_differ(variant: Variant) -> str | None:
    want = set(variant.answer)
    for wrong in variant.values["wrong_sets"]:
        if {str(t) for t in wrong} == want:
            return f"a typical wrong answer equals the right one: {wrong}"
    return None


def _inverse_holds(variant: Variant) -> str | None:
    if len(variant.answer) != 4:
        return f"{len(variant.answer)} steps take the rate, not 4"
    return _wrong_sets_differ(variant)


@generator(
    "exam_tl_clr_inverse",
    guarantees=(
        "η_min 0.001 or 0.002; η_max − η_min = g·unit, g in {2, 3, 4}, unit 0.0005 or 0.001",
        "step_size_up = a·g and step_size_down = c·g with a ≠ c in {1, 2, 3}: an asymmetric triangle",
        "the asked rate η_min + m·unit, 0 < m < g, is taken at exactly 4 whole steps of 0 … 2(up + down)",
        "the steps from torch's CyclicLR (triangular), compared within 1e-12",
        "the symmetric-triangle and one-based slips give other sets of steps",
    ),
    holds=_inverse_holds,
)
def exam_tl_clr_inverse(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    lr_min = float(rng.choice([0.001, 0.002]))
    unit = float(rng.choice([0.0005, 0.001]))
    g = int(rng.choice([2, 3, 4]))
    a, c = (int(v) for v in rng.choice([1, 2, 3], size=2, replace=False))
    up, down = a * g, c * g
    lr_max = round(lr_min + g * unit, 6)
    m = int(rng.integers(1, g))
    rate = round(lr_min + m * unit, 6)
    last = 2 * (up + down)
    rates = _cyclic_rates(lr_min, lr_max, up, down, last + 1)
    hits = [t for t in range(last + 1) if abs(rates[t] - rate) < 1e-12]
    symmetric = training.cyclical_lr(list(range(last + 1)), lr_min, lr_max, up)
    as_symmetric = [t for t in range(last + 1) if abs(symmetric[t] - rate) < 1e-12]
    shifted = [t + 1 for t in hits if t + 1 <= last]
    values = {
        "lr_min": lr_min, "lr_max": lr_max, "up": up, "down": down, "rate": rate,
        "last": last, "cycle": up + down, "peak2": 2 * up + down,
        "rise": (lr_max - lr_min) / up, "fall": (lr_max - lr_min) / down,
        "hits": ", ".join(map(str, hits)),
        "shifted_text": ", ".join(map(str, shifted)) or "none",
        "symmetric_text": ", ".join(map(str, as_symmetric)) or "none",
        "wrong_sets": [shifted, as_symmetric],
    }  # fmt: skip
    return Variant(values=values, answer=[str(t) for t in hits])


# ------------------------------------ how many top layers fit a budget

BudgetDraw = dict[str, Any]


def _fits(head: float, counts: list[int], budget: int) -> int:
    """The most layers, taken in the given order, that fit with the head."""
    total, n = head, 0
    for count in counts:
        if total + count > budget:
            break
        total, n = total + count, n + 1
    return n


def _budget_draw(rng: np.random.Generator) -> BudgetDraw | None:
    depth = int(rng.choice([4, 5]))
    # The answer: the head and the top n layers fit. Counting from the bottom
    # must give another number, so n < depth − 1.
    n = int(rng.integers(1, depth - 1))
    widths = sorted(int(c) for c in rng.choice([16, 32, 64, 128], size=depth))
    sizes = [int(s) for s in rng.choice([1, 3], size=depth, p=[0.25, 0.75])]
    layers = [
        [c_in, c_out, k, k]
        for c_in, c_out, k in zip([3, *widths[:-1]], widths, sizes, strict=True)
    ]
    classes = int(rng.integers(2, 11))
    counts = [training.conv_parameters(layer) for layer in layers]
    head = training.head_parameters(widths[-1], classes)
    top_first = counts[::-1]
    cumulative = np.cumsum([head, *top_first])  # head + top n, n = 0 … depth
    low, high = int(cumulative[n]), int(cumulative[n + 1])
    if high - low < 2000:
        return None
    budget = int(np.ceil(low / 1000) * 1000)
    budget += 1000 * int(rng.integers(0, max(1, (high - 1 - budget) // 1000)))
    if not low <= budget < high:
        return None
    answer = _fits(head, top_first, budget)
    wrong = {
        "from_bottom": _fits(head, counts, budget),
        "no_head": _fits(0, top_first, budget),
    }
    if answer != n or answer in wrong.values():
        return None
    return {"layers": layers, "counts": counts, "head": head, "k": classes,
            "C": widths[-1], "budget": budget, "answer": answer, "depth": depth,
            "used": low, "next": high, **wrong}  # fmt: skip


def _unfreeze_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    if answer["layers"] in (values["from_bottom"], values["no_head"]):
        return "a typical wrong count of layers equals the right one"
    if not answer["total"] <= values["budget"] < values["next"]:
        return "the total does not fit the budget, or one more layer would"
    return None


@generator(
    "exam_tl_unfreeze_budget",
    guarantees=(
        "a base of 4 or 5 convolutions (1×1 or 3×3, 16 to 128 channels, growing), 2 to 10 classes",
        "a budget, a multiple of 1000, that fits the head and the top 1 to depth − 2 layers but not one more",
        "counting from the bottom and forgetting the head give other numbers of layers",
        "counts from the engine's conv_parameters and head_parameters",
        "follow: the layers from the student's head count; the total from their head and layers",
    ),
    holds=_unfreeze_holds,
)
def exam_tl_unfreeze_budget(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    draw = bounded_draw(rng, _budget_draw)
    head, budget = draw["head"], draw["budget"]
    top_first = draw["counts"][::-1]
    answer = {"head": head, "layers": draw["answer"], "total": draw["used"]}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The layers that fit with the student's own head count; the total
        from their head count and their number of layers."""
        own_head = float(earlier["head"]) if "head" in earlier else float(head)
        if not np.isfinite(own_head):
            return None
        if part == "layers":
            return _fits(own_head, top_first, budget)
        if part == "total" and "layers" in earlier:
            own = float(earlier["layers"])
            if not np.isfinite(own) or abs(own - round(own)) > 0.01:
                return None
            if not 0 <= round(own) <= len(top_first):
                return None
            return own_head + sum(top_first[: round(own)])
        return None

    rows = [
        {"number": i + 1, "layer": layer, "count": count}
        for i, (layer, count) in enumerate(
            zip(draw["layers"], draw["counts"], strict=True)
        )
    ]
    values = {**draw, "rows": rows}
    return Variant(values=values, answer=answer, follow=follow)
