"""Correct: build the model in PyTorch, freeze the base, count requires_grad."""

import torch


def trainable_parameters(base_layers, num_classes):
    base = torch.nn.Sequential(
        *[torch.nn.Conv2d(a, b, (h, w)) for a, b, h, w in base_layers]
    )
    head = torch.nn.Sequential(
        torch.nn.AdaptiveAvgPool2d(1),
        torch.nn.Flatten(),
        torch.nn.Linear(base_layers[-1][1], 256),
        torch.nn.ReLU(),
        torch.nn.Linear(256, num_classes),
    )
    model = torch.nn.Sequential(base, head)

    def trainable():
        return sum(p.numel() for p in model.parameters() if p.requires_grad)

    before = trainable()
    for p in base.parameters():
        p.requires_grad = False
    return before, trainable()
