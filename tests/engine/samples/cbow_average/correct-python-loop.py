"""Correct: plain Python lists, coordinate by coordinate."""


def cbow_average(embeddings, vocabulary, context):
    dim = len(embeddings[0])
    total = [0.0] * dim
    for word in context:
        vector = embeddings[vocabulary.index(word)]
        for d in range(dim):
            total[d] += float(vector[d])
    return [value / len(context) for value in total]
