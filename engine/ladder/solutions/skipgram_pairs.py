"""Skip-gram training pairs: every position's word with every word within the window."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="skipgram_pairs",
    entry_point="skipgram_pairs",
    source="""
def skipgram_pairs(tokens, window):
    # § Every position is a target once
    pairs = []  # why: the (target, context) pairs, in the order they are found
    for i, target in enumerate(tokens):  # why: each occurrence is a target of its own, so a repeated word gives repeated pairs
        # § Its neighbours within the window
        for j in range(max(0, i - window), min(len(tokens), i + window + 1)):  # why: the positions at most window away on either side, cut at the sentence's ends; range stops before its end, hence the + 1
            if j != i:  # why: a position is not its own context, but another occurrence of the same word is
                pairs.append((target, tokens[j]))  # why: one pair for each neighbouring position
    # § All the pairs
    return pairs  # why: all the pairs; the statement accepts any order
""",
    blanks=(
        BlankSpec(
            "min(len(tokens), i + window + 1)",
            "where the neighbours on the right stop (range excludes its end)",
            ("skipgram-window-off-by-one",),
        ),
        BlankSpec(
            "j != i",
            "which neighbouring positions give a pair",
            ("skipgram-includes-target", "skipgram-skip-same-word"),
        ),
    ),
    distractors=(
        DistractorSpec(
            "for j in range(max(0, i - window), min(len(tokens), i + window + 1)):",
            "for j in range(max(0, i - window), min(len(tokens), i + window)):",
            "skipgram-window-off-by-one",
        ),
        DistractorSpec(
            "if j != i:", "if tokens[j] != target:", "skipgram-skip-same-word"
        ),
    ),
)
