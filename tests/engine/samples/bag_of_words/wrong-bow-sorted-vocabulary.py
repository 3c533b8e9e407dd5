"""Wrong (bow-sorted-vocabulary): columns follow the sorted vocabulary, as
scikit-learn's CountVectorizer would order them."""


def bag_of_words(tokens, vocabulary):
    return [1.0 if word in tokens else 0.0 for word in sorted(vocabulary)]
