"""One annotated model solution per exercise spec, in a module named after
the spec id that holds `SOLUTION` (see engine.ladder.source for the format).

Each is written as a student would write it, plainly, in the conventions of
the spec's statement; its blanks sit on the lines where the spec's named
mistakes live, and each distractor is its paired line with one named
mistake applied (the tests grade every one of them).
"""
