"""Wrong (class-ascent-no-penalty): the notes' log-probability alone, no λ‖x‖²."""

import torch
import torch.nn.functional as F


def class_score_ascent_step(x, w1, b1, w2, b2, target, lam, lr):
    image = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    w1, b1, w2, b2 = (torch.tensor(a, dtype=torch.float64) for a in (w1, b1, w2, b2))
    s = F.linear(F.relu(F.linear(image.flatten(), w1, b1)), w2, b2)
    F.log_softmax(s, dim=0)[target].backward()
    return (image + lr * image.grad).detach()
