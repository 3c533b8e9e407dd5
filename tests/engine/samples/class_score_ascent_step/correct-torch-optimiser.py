"""Correct: the image is the only parameter of a torch.optim.SGD step on the
loss −J = CE(s, target) + λ‖x‖² (descending it ascends J)."""

import torch
import torch.nn.functional as F


def class_score_ascent_step(x, w1, b1, w2, b2, target, lam, lr):
    w1, b1, w2, b2 = (torch.tensor(a, dtype=torch.float64) for a in (w1, b1, w2, b2))
    image = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.SGD([image], lr=lr)
    optimiser.zero_grad()
    logits = w2 @ F.relu(w1 @ image.flatten() + b1) + b2
    loss = F.cross_entropy(logits.unsqueeze(0), torch.tensor([target]))
    (loss + lam * (image**2).sum()).backward()
    optimiser.step()
    return image.detach().numpy()
