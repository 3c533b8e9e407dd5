"""What a student sees of a grading report, in one place.

- `policy`: the instructor's per-case feedback policy (what is shown of each
  case, and when);
- `presentation`: a submission's status and report for one viewer, and the
  progress line while it waits or runs;
- `figures`: arrays of a report as readable numbers and SVG heatmaps.
"""
