"""Text representations (lecture 7.1–7.3): one-hot, bag of words, counts, TF-IDF,
cosine similarity.

Conventions: documents arrive pre-tokenised as lists of strings and tokens are
matched exactly (case-sensitive, no stripping). A vocabulary is a list of
distinct words whose order, as given by the caller, is the order of every
vector's entries; tokens outside it are ignored by the vectors but still count
in a document's length. TF(w, d) = count(w, d) / len(d); IDF(w) = ln(N / df(w))
with the natural log, df(w) the number of documents containing w at least
once; TF-IDF = TF · IDF with no row normalisation. Cosine similarity is
v·w / (‖v‖‖w‖), defined as 0 when either vector is zero.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import torch

Tokens = Sequence[str]


def _index(vocabulary: Sequence[str]) -> dict[str, int]:
    index = {word: i for i, word in enumerate(vocabulary)}
    if len(index) != len(vocabulary):
        raise ValueError("the vocabulary repeats a word")
    return index


def one_hot(word: str, vocabulary: Sequence[str]) -> torch.Tensor:
    """The |V| vector with a 1 at the word's position in the vocabulary.

    A word outside the vocabulary has no one-hot vector: ValueError.
    """
    index = _index(vocabulary)
    if word not in index:
        raise ValueError(f"{word!r} is not in the vocabulary")
    vector = torch.zeros(len(vocabulary), dtype=torch.float64)
    vector[index[word]] = 1.0
    return vector


def count_vector(tokens: Tokens, vocabulary: Sequence[str]) -> torch.Tensor:
    """How many times each vocabulary word occurs in the token list."""
    return _count_matrix([tokens], vocabulary)[0]


def _count_matrix(
    documents: Sequence[Tokens], vocabulary: Sequence[str]
) -> torch.Tensor:
    """The (N documents × |V|) matrix of counts, built with one indexed
    assignment (not one tensor write per word: at 1000 documents that loop
    made the TF-IDF reference slower than a NumPy solution)."""
    index = _index(vocabulary)
    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    for row, tokens in enumerate(documents):
        for word, count in Counter(tokens).items():
            column = index.get(word)
            if column is not None:
                rows.append(row)
                columns.append(column)
                values.append(float(count))
    counts = torch.zeros(len(documents), len(vocabulary), dtype=torch.float64)
    counts[rows, columns] = torch.tensor(values, dtype=torch.float64)
    return counts


def bag_of_words(tokens: Tokens, vocabulary: Sequence[str]) -> torch.Tensor:
    """The 0/1 bag of words: 1 where the vocabulary word occurs at least once.

    Unlike the count vector, a repeated word still gives 1 (the notes' BOW
    sentence vectors); the order of the tokens is lost either way.
    """
    return (count_vector(tokens, vocabulary) > 0).to(torch.float64)


def term_frequency(tokens: Tokens, vocabulary: Sequence[str]) -> torch.Tensor:
    """TF(w, d) = count(w, d) / len(d) for every vocabulary word.

    len(d) counts every token of the document, including tokens outside the
    vocabulary, so the row sums to 1 exactly when the vocabulary covers the
    document. This is the notes' TF; scikit-learn's TfidfTransformer uses the
    raw count instead. An empty document gives a row of zeros.
    """
    counts = count_vector(tokens, vocabulary)
    return counts / len(tokens) if len(tokens) else counts


def document_frequency(
    documents: Sequence[Tokens], vocabulary: Sequence[str]
) -> torch.Tensor:
    """df(w): the number of documents that contain w at least once."""
    return _document_frequency(_count_matrix(documents, vocabulary))


def _document_frequency(counts: torch.Tensor) -> torch.Tensor:
    return (counts > 0).to(torch.float64).sum(0)


def inverse_document_frequency(
    documents: Sequence[Tokens], vocabulary: Sequence[str]
) -> torch.Tensor:
    """IDF(w) = ln(N / df(w)), natural log, N the number of documents.

    A word in every document gets IDF 0 (the notes' "This" example). Every
    vocabulary word must occur in some document (df ≥ 1), else ValueError.
    scikit-learn differs: ln(N / df) + 1, or ln((1 + N) / (1 + df)) + 1 with
    its default smooth_idf=True; so the notes' IDF is sklearn's idf_ − 1 with
    smooth_idf=False.
    """
    return _idf(_count_matrix(documents, vocabulary), vocabulary)


def _idf(counts: torch.Tensor, vocabulary: Sequence[str]) -> torch.Tensor:
    df = _document_frequency(counts)
    if bool((df == 0).any()):
        missing = [vocabulary[i] for i in torch.nonzero(df == 0).flatten().tolist()]
        raise ValueError(f"words in no document: {missing}")
    return torch.log(len(counts) / df)


def tf_idf(documents: Sequence[Tokens], vocabulary: Sequence[str]) -> torch.Tensor:
    """The (N documents × |V|) matrix TF(w, d) · IDF(w), rows not normalised.

    Row d is document d, column j the vocabulary's j-th word. scikit-learn's
    TfidfVectorizer defaults (raw-count TF, smoothed IDF + 1, L2-normalised
    rows, alphabetical columns) give a different matrix.
    """
    counts = _count_matrix(documents, vocabulary)
    lengths = torch.tensor([float(len(doc)) for doc in documents], dtype=torch.float64)
    # TF as term_frequency gives it: an empty document's row stays zeros.
    tf = counts / torch.where(lengths > 0, lengths, 1.0)[:, None]
    return tf * _idf(counts, vocabulary)


def cosine_similarity(a: object, b: object) -> float:
    """cos(a, b) = a·b / (‖a‖ ‖b‖) of two 1-D vectors of the same length.

    Defined as 0 when either vector is zero (as scikit-learn, gensim and
    PyTorch's F.cosine_similarity return; plain NumPy gives nan). Unlike
    PyTorch, there is no eps clamp on small norms; the result is clipped to
    [−1, 1] against rounding (parallel vectors can give 1 + 2⁻⁵²).
    """
    x = torch.as_tensor(a, dtype=torch.float64).reshape(-1)
    y = torch.as_tensor(b, dtype=torch.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"vectors of lengths {len(x)} and {len(y)}")
    norms = torch.linalg.vector_norm(x) * torch.linalg.vector_norm(y)
    if norms == 0:
        return 0.0
    return float((torch.dot(x, y) / norms).clamp(-1.0, 1.0))


def pairwise_cosine(matrix: object) -> torch.Tensor:
    """The (n, n) matrix of cosine similarities between the ROWS of an (n, d)
    matrix: entry (i, j) is cos(row i, row j).

    A zero row has similarity 0 with every row, itself included; every other
    row has 1 on the diagonal (up to rounding; entries are clipped to [−1, 1]).
    """
    x = torch.as_tensor(matrix, dtype=torch.float64)
    if x.ndim != 2:
        raise ValueError(f"expected an (n, d) matrix, got shape {tuple(x.shape)}")
    norms = torch.linalg.vector_norm(x, dim=1)
    unit = x / torch.where(norms > 0, norms, 1.0)[:, None]
    return (unit @ unit.T).clamp(-1.0, 1.0)
