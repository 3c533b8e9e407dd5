"""Which hint levels helped: for a named mistake and a level k, how often the
mistake was gone at the student's next submission when level k was opened
between the failure and that submission, against when it had not been
opened by then (TUTORING.md 3.3 and 7.2). Pure: works on rows already read.

An episode is a graded submission that failed with a named mistake and the
same student's next graded submission to the exercise. For level k it counts
"with" when the reveal of (mistake, k) falls between the two, "without" when
there was no reveal before the next submission; an episode after which the
level had already been opened earlier counts for neither (the student had
read it before). A click-through is a level opened within
CLICK_THROUGH_SECONDS of the level before it, for the same mistake.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

LEVELS = (1, 2, 3)
LEVEL_NAMES = {1: "point", 2: "teach", 3: "bottom-out"}
CLICK_THROUGH_SECONDS = 10.0
GENERIC = "generic:"


@dataclass(frozen=True)
class Graded:
    """A graded submission that counts as an attempt ("" when no mistake)."""

    id: int
    user: int
    at: datetime
    passed: bool
    mistake: str


@dataclass(frozen=True)
class Reveal:
    user: int
    mistake: str
    level: int
    at: datetime
    submission: int | None
    counted: bool = True  # opened in the days chosen: counts as an opening


@dataclass
class Rate:
    n: int = 0
    gone: int = 0

    @property
    def share(self) -> float | None:
        return self.gone / self.n if self.n else None

    def add(self, gone: bool) -> None:
        self.n += 1
        self.gone += int(gone)


@dataclass
class LevelEffect:
    level: int
    opened: int = 0
    click_throughs: int = 0
    with_level: Rate = field(default_factory=Rate)
    without_level: Rate = field(default_factory=Rate)

    @property
    def name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def rates(self) -> tuple[Rate, Rate]:
        return (self.with_level, self.without_level)


@dataclass
class MistakeEffects:
    episodes: int = 0  # failures with the mistake followed by a next submission
    pending: int = 0  # failures with the mistake and no next submission yet
    levels: dict[int, LevelEffect] = field(
        default_factory=lambda: {k: LevelEffect(k) for k in LEVELS}
    )


def by_student(graded: Iterable[Graded]) -> dict[int, list[Graded]]:
    """Each student's graded submissions in the order they were made."""
    found: dict[int, list[Graded]] = defaultdict(list)
    for row in sorted(graded, key=lambda row: (row.at, row.id)):
        found[row.user].append(row)
    return found


def effects(
    graded: Iterable[Graded], reveals: Iterable[Reveal]
) -> dict[str, MistakeEffects]:
    """Per mistake id (named, and generic:<class> where reveals name one)."""
    reveals = list(reveals)
    opened = {(r.user, r.mistake, r.level): r.at for r in reveals}
    found: dict[str, MistakeEffects] = defaultdict(MistakeEffects)
    history = by_student(graded)
    for rows in history.values():
        for before, after in zip(rows, [*rows[1:], None], strict=True):
            if before.passed or not before.mistake:
                continue
            _episode(found[before.mistake], before, after, opened)
    _generic(found, reveals, history)
    _openings(found, reveals)
    return dict(found)


def _episode(
    into: MistakeEffects,
    before: Graded,
    after: Graded | None,
    opened: dict[tuple[int, str, int], datetime],
) -> None:
    if after is None:
        into.pending += 1
        return
    into.episodes += 1
    gone = after.mistake != before.mistake
    for level in LEVELS:
        at = opened.get((before.user, before.mistake, level))
        if at is None or at >= after.at:
            into.levels[level].without_level.add(gone)
        elif at >= before.at:
            into.levels[level].with_level.add(gone)


def _generic(
    into: dict[str, MistakeEffects],
    reveals: list[Reveal],
    history: dict[int, list[Graded]],
) -> None:
    """A failure with no name has no mistake to watch: for a generic ladder,
    "gone" is the next submission passing, counted for the levels opened on
    the failure (never a "without" side: unnamed failures have no class)."""
    for reveal in reveals:
        generic = reveal.mistake.startswith(GENERIC) and reveal.level in LEVELS
        if not generic or reveal.submission is None:
            continue
        rows = history.get(reveal.user, [])
        ids = [row.id for row in rows]
        if reveal.submission not in ids:
            continue
        position = ids.index(reveal.submission)
        if position + 1 < len(rows):
            passed = rows[position + 1].passed
            into[reveal.mistake].levels[reveal.level].with_level.add(passed)


def _openings(into: dict[str, MistakeEffects], reveals: list[Reveal]) -> None:
    at = {(r.user, r.mistake, r.level): r.at for r in reveals}
    for reveal in reveals:
        if reveal.level not in LEVELS or not reveal.counted:
            continue
        level = into[reveal.mistake].levels[reveal.level]
        level.opened += 1
        previous = at.get((reveal.user, reveal.mistake, reveal.level - 1))
        if previous is not None:
            gap = (reveal.at - previous).total_seconds()
            if 0 <= gap <= CLICK_THROUGH_SECONDS:
                level.click_throughs += 1
