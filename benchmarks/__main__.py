"""`make bench`: measure, print each figure beside its goal, write
var/bench/summary.json. Nothing here asserts a time; a section that cannot
run (PostgreSQL or Redis down, no Chromium for the PDFs) is reported, and
under CI=true makes the run fail, as an error in any section does.

.venv/bin/python -m benchmarks [--quick] [--runs N] [--fresh-runs N]
    [--seconds S] [--submissions N] [--fair-trials N] [--burst N] [--no-end-to-end] [--validations N]
    [--regrades M] [--load-users N] [--load-seconds S] [--no-load]
    [--no-instructor] [--no-scaling]

`--quick` (`make bench QUICK=1`, what CI runs) takes fewer samples of the
same figures: a few minutes instead of a quarter of an hour.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

from benchmarks.page_cache import libraries_as_deployed

# Before any benchmark module maps torch's libraries (benchmarks/page_cache.py).
EVICTED = libraries_as_deployed()

from benchmarks import (  # noqa: E402
    end_to_end,
    grading,
    instructor,
    load,
    one_shot,
    scaling,
)
from benchmarks.summary import Summary  # noqa: E402

# (full, quick)
DEFAULTS = {
    "runs": (100, 20),
    "fresh_runs": (10, 3),
    "seconds": (10.0, 3.0),
    "submissions": (30, 10),
    "fair_trials": (5, 3),
    "burst": (200, 40),
    "load_users": (50, 20),
    "load_seconds": (60, 20),
    "validations": (20, 3),
    "regrades": (200, 30),
    "cached_runs": (20, 5),
    "one_shot_runs": (5, 2),
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    for name in DEFAULTS:
        kind = float if name == "seconds" else int
        parser.add_argument("--" + name.replace("_", "-"), type=kind, default=None)
    parser.add_argument("--no-end-to-end", action="store_true")
    parser.add_argument("--no-instructor", action="store_true")
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args()
    for name, (full, quick) in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    return args


def main() -> int:
    args = _arguments()
    summary = Summary(quick=args.quick)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.node()}, "
        f"Python {platform.python_version()}" + (" (quick)" if args.quick else "")
    )
    print(f"page cache of {EVICTED} shared libraries evicted first (as deployed)")
    grading.run(summary, args.runs, args.fresh_runs, args.seconds)
    one_shot.run(summary, args.one_shot_runs)
    if not args.no_scaling:
        scaling.run(summary)
    if not args.no_end_to_end:
        end_to_end.run(summary, args.submissions, args.burst, args.fair_trials)
        if not args.no_load:
            load.run(summary, args.load_users, args.load_seconds)
    if not args.no_instructor:  # after end_to_end: both use its Django set-up
        instructor.run(summary, args.validations, args.regrades, args.cached_runs)
    path = summary.write()
    print()
    print(summary.table())
    print(f"\n{len(summary.figures)} figures written to {path}")
    if summary.skipped and os.environ.get("CI", "").lower() == "true":
        print(f"CI: sections skipped: {', '.join(summary.skipped)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
