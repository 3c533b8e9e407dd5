"""Word embeddings (lecture 7.4–7.6): skip-gram with negative sampling, CBOW,
analogies.

Conventions: skip-gram pairs come from a fixed ±window around every position
(no window shrinking, no subsampling), one pair per (position, other position)
so repeated words give repeated pairs. The noise distribution is
p(w) = count(w)^α / Σ_u count(u)^α with α = 3/4. For one target vector t,
positive context vectors c_i and noise vectors n_j, the objective is the
notes' J(t) = Σ_i log σ(t·c_i) + Σ_j log σ(−t·n_j): a quantity to MAXIMISE,
summed, not averaged (PyTorch code usually minimises −J averaged over a
batch). Analogies a − b + c use the raw vectors and cosine similarity, never
returning one of the three query words.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.nn import functional as F  # noqa: N812

NOISE_POWER = 0.75


def skipgram_pairs(tokens: Sequence[str], window: int = 2) -> list[tuple[str, str]]:
    """Every (target, context) pair with the context at most `window` positions
    away from the target, on either side, never the target's own position.

    word2vec.c and gensim shrink the window at random (an effective window
    drawn from 1…window); here it is fixed, as in the notes' ±2 example.
    Pairs are listed by target position, then context position.
    """
    pairs = []
    for i, target in enumerate(tokens):
        for j in range(max(0, i - window), min(len(tokens), i + window + 1)):
            if j != i:
                pairs.append((target, tokens[j]))
    return pairs


def noise_distribution(counts: object, power: float = NOISE_POWER) -> torch.Tensor:
    """p(w) = count(w)^(3/4) / Σ_u count(u)^(3/4), in the vocabulary's order.

    Counts and relative frequencies P(w) give the same distribution, because
    the normalisation cancels the total. word2vec.c and gensim use the same
    power on raw counts.
    """
    weights = torch.as_tensor(counts, dtype=torch.float64).reshape(-1) ** power
    return weights / weights.sum()


def positive_probability(target: object, context: object) -> float:
    """P(+ | t, c) = σ(t · c): the probability that c occurs near t."""
    t = torch.as_tensor(target, dtype=torch.float64).reshape(-1)
    c = torch.as_tensor(context, dtype=torch.float64).reshape(-1)
    return float(torch.sigmoid(torch.dot(t, c)))


def _vectors(
    target: object, contexts: object, noises: object
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    t = torch.as_tensor(target, dtype=torch.float64).reshape(-1)
    c = torch.as_tensor(contexts, dtype=torch.float64).reshape(-1, len(t))
    n = torch.as_tensor(noises, dtype=torch.float64).reshape(-1, len(t))
    return t, c, n


def skipgram_objective(target: object, contexts: object, noises: object) -> float:
    """J(t) = Σ_i log σ(t·c_i) + Σ_j log σ(−t·n_j), to be maximised.

    target is (D,), contexts (L, D) and noises (k, D). Each term goes through
    logsigmoid (finite for any score); each noise word contributes its own
    term: log σ(−Σ_j t·n_j) is a different, wrong quantity.
    """
    t, c, n = _vectors(target, contexts, noises)
    return float(F.logsigmoid(c @ t).sum() + F.logsigmoid(-(n @ t)).sum())


def skipgram_gradients(
    target: object, contexts: object, noises: object
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Gradients of J (the maximised objective, not the loss −J):

        ∂J/∂t   = Σ_i (1 − σ(t·c_i)) c_i − Σ_j σ(t·n_j) n_j
        ∂J/∂c_i = (1 − σ(t·c_i)) t
        ∂J/∂n_j = −σ(t·n_j) t

    returned as ((D,), (L, D), (k, D)). Gradient ASCENT on J moves t towards
    its contexts and away from its noise words.
    """
    t, c, n = _vectors(target, contexts, noises)
    pull = torch.sigmoid(-(c @ t))  # 1 − σ(t·c_i)
    push = torch.sigmoid(n @ t)
    grad_t = pull @ c - push @ n
    return grad_t, pull[:, None] * t, -push[:, None] * t


def analogy(
    embeddings: object, vocabulary: Sequence[str], a: str, b: str, c: str
) -> str:
    """The word whose vector is most cosine-similar to v(a) − v(b) + v(c),
    among all words except a, b and c (king − man + woman → queen).

    Raw vectors, no normalisation before the arithmetic. gensim's
    most_similar instead unit-normalises each input vector and averages them;
    the winner can differ, so exercises use embeddings on which both agree.
    Ties go to the lower index.
    """
    vectors = torch.as_tensor(embeddings, dtype=torch.float64)
    index = {word: i for i, word in enumerate(vocabulary)}
    query = vectors[index[a]] - vectors[index[b]] + vectors[index[c]]
    norms = torch.linalg.vector_norm(vectors, dim=1) * torch.linalg.vector_norm(query)
    scores = (vectors @ query) / torch.where(norms > 0, norms, 1.0)
    for word in (a, b, c):
        scores[index[word]] = -torch.inf
    return vocabulary[int(torch.argmax(scores))]


def cbow_average(
    embeddings: object, vocabulary: Sequence[str], context: Sequence[str]
) -> torch.Tensor:
    """CBOW's input: the mean of the context words' embedding rows, a (D,)
    vector. A word that occurs twice in the context counts twice (the same as
    torch.nn.EmbeddingBag with mode="mean")."""
    vectors = torch.as_tensor(embeddings, dtype=torch.float64)
    index = {word: i for i, word in enumerate(vocabulary)}
    return vectors[[index[word] for word in context]].mean(dim=0)
