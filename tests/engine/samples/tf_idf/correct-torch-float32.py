"""Correct: float32 torch tensors, TF (N x |V|) times the IDF row vector."""

import torch


def tf_idf(documents, vocabulary):
    counts = torch.tensor(
        [[doc.count(w) for w in vocabulary] for doc in documents], dtype=torch.float32
    )
    lengths = torch.tensor([len(doc) for doc in documents], dtype=torch.float32)
    df = (counts > 0).sum(dim=0).float()
    idf = torch.log(len(documents) / df)
    return counts / lengths[:, None] * idf
