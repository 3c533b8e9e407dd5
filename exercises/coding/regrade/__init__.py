"""Regrading: grading stored submissions again with the current engine.

- `rules`: what a regrade found, per submission (pure functions);
- `runs`: dry runs and applied runs, as jobs on the grading queue;
- `short_passes`: finding and repairing passes graded on fewer results than
  the cases sent;
- `pages`: what the instructors' regrade pages read.
"""
