"""Broken (no named mistake): strips punctuation from the tokens, so 'dogs,'
counts as 'dogs' and '!' is lost."""

import re
from collections import Counter


def count_vector(tokens, vocabulary):
    found = Counter(re.sub(r"[^\w]", "", token) for token in tokens)
    return [float(found[word]) for word in vocabulary]
