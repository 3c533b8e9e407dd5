"""`make bench`: print the benchmark figures (nothing here asserts a time).

.venv/bin/python -m benchmarks [--runs N] [--fresh-runs N] [--seconds S]
    [--no-end-to-end] [--validations N] [--regrades M] [--no-instructor]
"""

from __future__ import annotations

import argparse
import platform

from benchmarks import end_to_end, grading, instructor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--fresh-runs", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--submissions", type=int, default=30)
    parser.add_argument("--no-end-to-end", action="store_true")
    parser.add_argument("--validations", type=int, default=20)
    parser.add_argument("--regrades", type=int, default=200)
    parser.add_argument("--no-instructor", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.node()}, Python {platform.python_version()}"
    )
    grading.run(args.runs, args.fresh_runs, args.seconds)
    if not args.no_end_to_end:
        end_to_end.run(args.submissions)
    if not args.no_instructor:  # after end_to_end: both use its Django set-up
        instructor.run(args.validations, args.regrades)


if __name__ == "__main__":
    main()
