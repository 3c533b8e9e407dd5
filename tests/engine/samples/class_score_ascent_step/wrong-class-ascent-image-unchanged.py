"""Wrong (class-ascent-image-unchanged): steps the classifier's weights up the
gradient of J and returns the image as it came in."""

import torch


def class_score_ascent_step(x, w1, b1, w2, b2, target, lam, lr):
    weights = [
        torch.tensor(a, dtype=torch.float64, requires_grad=True)
        for a in (w1, b1, w2, b2)
    ]
    w1, b1, w2, b2 = weights
    xt = torch.tensor(x, dtype=torch.float64)
    s = w2 @ torch.relu(w1 @ xt.reshape(-1) + b1) + b2
    J = torch.log_softmax(s, 0)[target] - lam * (xt**2).sum()
    J.backward()
    with torch.no_grad():
        for w in weights:
            w += lr * w.grad
    return xt.numpy()
