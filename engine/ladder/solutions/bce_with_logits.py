"""Binary cross-entropy from logits in the stable form max(z, 0) − z·y + log(1 + e^(−|z|)), averaged."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="bce_with_logits",
    entry_point="bce_with_logits",
    source="""
import numpy as np


def bce_with_logits(y, z):
    # § Labels and logits as arrays
    y = np.asarray(y, dtype=float)  # why: the labels as a float array, for elementwise products
    z = np.asarray(z, dtype=float)  # why: the logits, the same shape as the labels
    # § The loss of each element, stable for any logit
    softplus = np.log1p(np.exp(-np.abs(z)))  # why: log(1 + e^(−|z|)): the exponent is never positive, so e^(−|z|) ≤ 1 cannot overflow
    losses = np.maximum(z, 0) - z * y + softplus  # why: this equals −(y log σ(z) + (1 − y) log(1 − σ(z))) without ever forming σ(z), which rounds to 0 or 1 for large logits
    # § One number for the whole batch
    return float(losses.mean())  # why: the loss is the mean over every element, not the sum
""",
    blanks=(
        BlankSpec(
            "np.exp(-np.abs(z))",
            "an exponential that cannot overflow, whatever the sign of z",
            ("bce-logits-no-abs",),
        ),
        BlankSpec(
            "losses.mean()",
            "one loss from all the elements' losses",
            ("bce-logits-summed",),
        ),
        BlankSpec(
            "np.maximum(z, 0) - z * y + softplus",
            "each element's cross-entropy in the stable form",
            ("bce-logits-naive-sigmoid",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "softplus = np.log1p(np.exp(-np.abs(z)))",
            "softplus = np.log1p(np.exp(-z))",
            "bce-logits-no-abs",
        ),
        DistractorSpec(
            "return float(losses.mean())",
            "return float(losses.sum())",
            "bce-logits-summed",
        ),
    ),
)
