"""Correct: torch float32, a Gram helper and torch.linalg.norm squared."""

import torch


def gram(feature_map):
    x = torch.as_tensor(feature_map, dtype=torch.float32)
    m = x.flatten(start_dim=1)
    return m @ m.T


def style_loss(style_features, generated_features):
    loss = torch.tensor(0.0)
    for s, g in zip(style_features, generated_features):
        loss += torch.linalg.norm(gram(s) - gram(g)) ** 2
    return loss
