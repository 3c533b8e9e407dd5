"""Correct: float32 tensors and torch.optim.SGD over the image G only."""

import torch
import torch.nn.functional as F


def style_step(content, style, generated, w1, b1, w2, b2, alpha, beta, lr):
    w1, b1, w2, b2 = (torch.tensor(v) for v in (w1, b1, w2, b2))

    def features(image):
        h1 = F.relu(F.conv2d(image.unsqueeze(0), w1, b1))
        h2 = F.relu(F.conv2d(h1, w2, b2))
        return [h1.squeeze(0), h2.squeeze(0)]

    def gram(h):
        m = h.view(h.shape[0], -1)
        return m @ m.t()

    with torch.no_grad():
        target_content = features(torch.tensor(content))[1]
        target_grams = [gram(h) for h in features(torch.tensor(style))]

    image = torch.tensor(generated, requires_grad=True)
    optimiser = torch.optim.SGD([image], lr=lr)
    optimiser.zero_grad()
    layers = features(image)
    content_loss = F.mse_loss(layers[1], target_content, reduction="sum")
    style_loss = sum(
        ((gram(h) - target) ** 2).sum() for h, target in zip(layers, target_grams)
    )
    (alpha * content_loss + beta * style_loss).backward()
    optimiser.step()
    return image.detach()
