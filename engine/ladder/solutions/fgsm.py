"""FGSM with torch autograd: the true labels' cross-entropy, one ε step along the gradient's sign."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="fgsm",
    entry_point="fgsm",
    source="""
import torch
import torch.nn.functional as F


def fgsm(x, y, w1, b1, w2, b2, epsilon, clamp):
    # § Tensors, the input collecting its gradient
    x = torch.tensor(x, dtype=torch.float64, requires_grad=True)  # why: float64, the reference's precision, so even a tiny gradient gets the same sign; requires_grad makes backward fill x.grad
    w1, b1, w2, b2 = (torch.tensor(v, dtype=torch.float64) for v in (w1, b1, w2, b2))  # why: the weights stay fixed: they need no gradient
    labels = torch.tensor(y).reshape(-1)  # why: one label per example, also when one example comes with one label
    # § The loss of the true labels
    logits = F.linear(F.relu(F.linear(x.reshape(-1, x.shape[-1]), w1, b1)), w2, b2)  # why: the two-layer network on a batch of rows; one example becomes a batch of one
    loss = F.cross_entropy(logits, labels)  # why: softmax and the negative log-likelihood of the TRUE labels, averaged over the batch
    loss.backward()  # why: autograd writes ∇ₓ loss into x.grad, shaped like x
    # § One step along the gradient's sign
    adversarial = x + epsilon * x.grad.sign()  # why: the attack raises the loss, so every value moves by ε in the direction the gradient points; sign(0) = 0 leaves a value put
    if clamp:  # why: the notes do not clip; only the flag asks for it
        adversarial = adversarial.clamp(0, 1)  # why: keep every value a valid intensity in [0, 1], both ends
    return adversarial.detach()  # why: the result without autograd's graph, shaped like x
""",
    blanks=(
        BlankSpec(
            "x + epsilon * x.grad.sign()",
            "the input moved by ε to increase the loss",
            ("fgsm-descends", "fgsm-no-sign", "fgsm-zero-gradient-moved"),
        ),
        BlankSpec(
            "adversarial.clamp(0, 1)",
            "the result kept within the valid range",
            ("fgsm-clips-only-below", "fgsm-clips-only-above"),
        ),
        BlankSpec(
            "F.cross_entropy(logits, labels)",
            "the loss the attack increases",
            ("fgsm-predicted-label",),
        ),
        BlankSpec(
            "clamp",
            "when to clip",
            ("fgsm-always-clamps", "fgsm-never-clamps"),
            on="if ",
        ),
    ),
    distractors=(
        DistractorSpec(
            "adversarial = x + epsilon * x.grad.sign()",
            "adversarial = x - epsilon * x.grad.sign()",
            "fgsm-descends",
        ),
        DistractorSpec(
            "adversarial = x + epsilon * x.grad.sign()",
            "adversarial = x + epsilon * x.grad",
            "fgsm-no-sign",
        ),
        DistractorSpec(
            "adversarial = adversarial.clamp(0, 1)",
            "adversarial = adversarial.clamp(min=0)",
            "fgsm-clips-only-below",
        ),
    ),
    after=(("adversarial = x + epsilon * x.grad.sign()", "loss.backward()"),),
)
