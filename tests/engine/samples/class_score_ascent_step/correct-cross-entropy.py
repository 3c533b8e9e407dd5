"""Correct: minimises the loss −J = CE(s, target) + λ‖x‖² with a descent step,
which is the same as ascending J."""

import numpy as np
import torch
from torch import nn


def class_score_ascent_step(x, w1, b1, w2, b2, target, lam, lr):
    w1, b1, w2, b2 = (
        torch.as_tensor(np.array(a, dtype=np.float64)) for a in (w1, b1, w2, b2)
    )
    xt = torch.as_tensor(np.array(x, dtype=np.float64)).requires_grad_()
    logits = w2 @ torch.relu(w1 @ xt.reshape(-1) + b1) + b2
    loss = nn.CrossEntropyLoss()(logits[None], torch.tensor([target]))
    loss = loss + lam * torch.linalg.vector_norm(xt) ** 2
    loss.backward()
    with torch.no_grad():
        xt -= lr * xt.grad
    print("loss before the step:", float(loss))
    return xt.detach().numpy()
