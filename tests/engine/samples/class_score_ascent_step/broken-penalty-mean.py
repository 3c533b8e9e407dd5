"""Broken: the penalty as λ·mean(x²) (torch's .pow(2).mean()), not λ·Σ x²."""

import torch


def class_score_ascent_step(x, w1, b1, w2, b2, target, lam, lr):
    w1, b1, w2, b2 = (torch.tensor(a, dtype=torch.float64) for a in (w1, b1, w2, b2))
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    s = w2 @ torch.relu(w1 @ xt.reshape(-1) + b1) + b2
    J = torch.log_softmax(s, 0)[target] - lam * xt.pow(2).mean()
    J.backward()
    return (xt + lr * xt.grad).detach().numpy()
