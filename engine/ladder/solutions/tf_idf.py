"""TF-IDF as in the notes: count over document length, times ln(N / df), rows not normalised."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="tf_idf",
    entry_point="tf_idf",
    source="""
import numpy as np


def tf_idf(documents, vocabulary):
    # § Term frequencies
    counts = np.array([[doc.count(word) for word in vocabulary] for doc in documents], dtype=float)  # why: one row per document and one column per vocabulary word, in the vocabulary's order
    lengths = np.array([len(doc) for doc in documents], dtype=float)  # why: every token counts in a document's length, words outside the vocabulary too
    tf = counts / lengths[:, None]  # why: TF is a share of the document: each row divided by its own length
    # § Inverse document frequencies
    df = (counts > 0).sum(axis=0)  # why: df counts the documents that contain a word, however often it occurs in each
    idf = np.log(len(documents) / df)  # why: the notes' IDF is the natural log of N / df, with nothing added, so a word in every document weighs 0
    # § The product
    return tf * idf  # why: the IDF row scales every document's TF row; the notes do not normalise the rows
""",
    blanks=(
        BlankSpec(
            "np.log(len(documents) / df)",
            "how rare each word is across the documents, as the notes define it",
            (
                "tfidf-log10",
                "tfidf-log2",
                "tfidf-sklearn-smooth",
                "tfidf-sklearn-no-smooth",
                "tfidf-plus-one-df",
            ),
        ),
        BlankSpec(
            "(counts > 0).sum(axis=0)",
            "in how many documents each word occurs",
            ("tfidf-df-per-occurrence",),
        ),
        BlankSpec(
            "counts / lengths[:, None]",
            "each count as a share of its own document",
            ("tfidf-raw-count-tf",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "idf = np.log(len(documents) / df)",
            "idf = np.log10(len(documents) / df)",
            "tfidf-log10",
        ),
        DistractorSpec(
            "df = (counts > 0).sum(axis=0)",
            "df = counts.sum(axis=0)",
            "tfidf-df-per-occurrence",
        ),
        DistractorSpec(
            "tf = counts / lengths[:, None]", "tf = counts", "tfidf-raw-count-tf"
        ),
    ),
)
