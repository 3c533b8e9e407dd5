"""Correct: all occluded copies built first as one float32 batch, one softmax."""

import torch


def occlusion_map(image, label, weight, bias, patch, stride, fill):
    x = torch.tensor(image, dtype=torch.float32)
    w = torch.tensor(weight, dtype=torch.float32)
    b = torch.tensor(bias, dtype=torch.float32)
    _, height, width = x.shape
    tops = range(0, height - patch + 1, stride)
    lefts = range(0, width - patch + 1, stride)
    batch = []
    for top in tops:
        for left in lefts:
            copy = x.clone()
            copy[:, top : top + patch, left : left + patch] = fill
            batch.append(copy.flatten())
    probabilities = torch.softmax(torch.stack(batch) @ w.T + b, dim=1)[:, label]
    return probabilities.reshape(len(tops), len(lefts))
