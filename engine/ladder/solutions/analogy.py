"""Word analogy: the word whose vector is most cosine-similar to v(a) − v(b) + v(c), the query words left out."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="analogy",
    entry_point="analogy",
    source="""
import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    # § The query vector
    E = np.asarray(embeddings, dtype=float)  # why: row i of E is the vector of vocabulary[i]
    index = {word: i for i, word in enumerate(vocabulary)}  # why: each word's row, found in one step
    query = E[index[a]] - E[index[b]] + E[index[c]]  # why: a − b + c, as in king − man + woman
    # § Cosine with every word
    norms = np.linalg.norm(E, axis=1) * np.linalg.norm(query)  # why: the product of the lengths for every word at once
    scores = E @ query / np.where(norms > 0, norms, 1.0)  # why: the cosine of each word with the query; a zero length gives 0, not a division by zero
    # § The best word, the query words left out
    for word in (a, b, c):  # why: the statement never answers with a, b or c themselves
        scores[index[word]] = -np.inf  # why: −∞ loses to every other cosine, even a negative one
    return vocabulary[int(np.argmax(scores))]  # why: the word with the highest cosine among the rest
""",
    blanks=(
        BlankSpec(
            "E[index[a]] - E[index[b]] + E[index[c]]",
            "the vector the answer should be close to",
            ("analogy-reversed",),
        ),
        BlankSpec(
            "E @ query / np.where(norms > 0, norms, 1.0)",
            "how close each word's direction is to the query's",
            ("analogy-dot-product", "analogy-euclidean"),
        ),
        BlankSpec(
            "-np.inf",
            "a score that every other word beats",
            ("analogy-no-exclusion",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "query = E[index[a]] - E[index[b]] + E[index[c]]",
            "query = E[index[b]] - E[index[a]] + E[index[c]]",
            "analogy-reversed",
        ),
        DistractorSpec(
            "scores = E @ query / np.where(norms > 0, norms, 1.0)",
            "scores = E @ query",
            "analogy-dot-product",
        ),
    ),
)
