"""Orders of a ladder's lines, and Parsons answers placing them."""

from __future__ import annotations

import random

from engine.ladder import Ladder


def random_order(ladder: Ladder, rng: random.Random) -> list[int]:
    """A random order of every line that the dependency graph allows, each
    compound line followed by its own body: a program equivalent to the
    model solution if the graph is right."""
    order: list[int] = []
    done: set[int] = set()

    def subtree(root: int) -> set[int]:
        members = {root}
        for index, parent in enumerate(ladder.parents):
            if parent == root:
                members |= subtree(index)
        return members

    def arrange(parent: int | None) -> None:
        units = {
            root: subtree(root)
            for root, above in enumerate(ladder.parents)
            if above == parent
        }
        while units:
            ready = [
                root
                for root, members in units.items()
                if all(
                    need in done or need in members
                    for member in members
                    for need in ladder.depends[member]
                )
            ]
            root = rng.choice(sorted(ready))
            del units[root]
            order.append(root)
            done.add(root)
            arrange(root)

    arrange(None)
    return order


def placed_for(
    ladder: Ladder, seed: int, order: list[int], *, swap: dict[int, str] | None = None
) -> list[tuple[str, int]]:
    """The Parsons answer placing the lines in `order` at their indents;
    `swap` puts a distractor's text in place of a line."""
    view = ladder.parsons(seed)
    by_text: dict[str, list[str]] = {}
    for block in view.blocks:
        by_text.setdefault(block.text, []).append(block.id)
    placed = []
    for line in order:
        text = (swap or {}).get(line, ladder.lines[line].text)
        placed.append((by_text[text].pop(0), ladder.lines[line].indent))
    return placed


def blank_texts(ladder: Ladder, level: int) -> dict[str, str]:
    """The model solution's own text for each blank of `level`."""
    return {
        blank.id: ladder.lines[blank.line].text[blank.start : blank.end]
        for blank in ladder.blanks
        if blank.level <= level
    }
