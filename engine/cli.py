"""`python -m engine`: list the exercises, grade a file offline.

    python -m engine list
    python -m engine grade EXERCISE FILE [--json] [--seed N]
    python -m engine grade EXERCISE FILE --format gradescope --output results.json

Exit status: 0 when every case passes, 1 when the submission fails or cannot
run, 2 for a usage error (unknown exercise, unreadable file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.report import Report

if TYPE_CHECKING:
    from engine.grader import Runner

MAX_SOURCE_BYTES = 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            return _list()
        if args.command == "fit-limits":
            return _fit_limits(args.samples)
        return _grade(args)
    except BrokenPipeError:
        # The reader went away (`| head`); exit quietly as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m engine", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "list", help="print one exercise a line: its id, then its title"
    )
    grade = commands.add_parser("grade", help="grade a Python file against an exercise")
    grade.add_argument("exercise", help="exercise id, as printed by `list`")
    grade.add_argument("file", type=Path, help="the submission (a .py file)")
    grade.add_argument("--seed", type=int, default=0, help="seed of the random cases")
    grade.add_argument("--json", action="store_true", help="print the report as JSON")
    grade.add_argument(
        "--format",
        choices=("text", "json", "gradescope", "prairielearn"),
        default=None,
        help="output format (gradescope / prairielearn write their results.json shape)",
    )
    grade.add_argument("--output", type=Path, help="write the result to this file")
    fit = commands.add_parser(
        "fit-limits",
        help="measure each exercise's correct samples and write engine/fitted_limits.json",
    )
    fit.add_argument("samples", type=Path, help="a folder of <exercise>/correct-*.py")
    return parser


def _list() -> int:
    from engine.specs import all_specs

    for spec in all_specs():
        print(f"{spec.id}\t{spec.title}")
    return 0


def _fit_limits(samples: Path) -> int:
    from engine.fitted_limits import TABLE
    from engine.grader import default_runner
    from engine.limits_fitting import fit

    runner = default_runner()
    try:
        table = fit(samples, runner)
    finally:
        close = getattr(runner, "close", None)
        if close is not None:
            close()
    TABLE.write_text(
        json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    for spec_id, entry in sorted(table.items()):
        print(
            f"{spec_id}\t{entry['cpu_seconds']:.1f} s\t(slowest run "
            f"{entry['slowest_run_ms']:.0f} ms, {entry['slowest_solution']})"
        )
    print(f"{len(table)} exercises written to {TABLE}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    """One grading, then nothing left running. The sandbox host is started
    first, so that it imports torch while this process imports the references
    (torch again): on two cores the two starts overlap instead of adding up.
    It is a lean host, which a job that does not end cleanly is rerun past
    (`engine.sandbox.one_shot`)."""
    from engine.grader import default_runner
    from engine.sandbox.warm import WarmSandboxRunner

    configured = default_runner()
    if not isinstance(configured, WarmSandboxRunner):
        return _grade_with(args, configured)
    from engine.sandbox.one_shot import OneShotRunner

    runner = OneShotRunner()
    runner.warm()
    try:
        return _grade_with(args, runner)
    finally:
        runner.close()


def _grade_with(args: argparse.Namespace, runner: Runner) -> int:
    from engine.grader import grade
    from engine.specs import get_spec

    try:
        get_spec(args.exercise)
    except KeyError:
        print(
            f"error: unknown exercise {args.exercise!r} (see `python -m engine list`)",
            file=sys.stderr,
        )
        return 2
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    if len(raw) > MAX_SOURCE_BYTES:
        print(
            f"error: {args.file} is larger than {MAX_SOURCE_BYTES} bytes",
            file=sys.stderr,
        )
        return 2
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(
            f"error: {args.file} is not UTF-8 text ({exc.reason} at byte {exc.start})",
            file=sys.stderr,
        )
        return 2
    report = grade(args.exercise, source, seed=args.seed, runner=runner)
    fmt = args.format or ("json" if args.json else "text")
    text = _render(report, fmt)
    if args.output:
        args.output.write_text(text + "\n")
    else:
        print(text)
    return 0 if report.verdict == "passed" else 1


def _render(report: Report, fmt: str) -> str:
    """Every format marks hidden cases and leaves out their data."""
    report = report.public()
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2)
    if fmt == "gradescope":
        return json.dumps(gradescope_results(report), indent=2)
    if fmt == "prairielearn":
        return json.dumps(prairielearn_results(report), indent=2)
    return text_report(report)


def text_report(report: Report) -> str:
    lines = [
        f"{report.exercise}: {report.verdict.replace('_', ' ')} — score {report.score:.2f}"
    ]
    lines.append(report.message)
    for case in report.cases:
        mark = "PASS" if case.passed else "FAIL"
        label = f" [{case.label}]" if case.label else ""
        lines.append(f"  {mark} {case.name}{label}: {case.message}")
    if report.mistake:
        lines += ["", f"Named mistake ({report.mistake.id}): {report.mistake.title}"]
        lines.append(f"  {report.mistake.explanation}")
    if report.traceback:
        lines += ["", report.traceback.rstrip()]
    if report.stdout:
        lines += ["", "Your output:", report.stdout.rstrip()]
    if report.missing_isolation:
        lines += [
            "",
            "Isolation not available here: " + ", ".join(report.missing_isolation),
        ]
    return "\n".join(lines)


def gradescope_results(report: Report) -> dict[str, Any]:
    """The results.json shape of Gradescope's autograder (points out of 1 per
    case); hidden tests are marked hidden and carry no data."""
    report = report.public()
    tests = [
        {
            "name": f"{case.name}" + (f" ({case.label})" if case.label else ""),
            "score": round(case.score, 6),
            "max_score": 1.0,
            "status": "passed" if case.passed else "failed",
            "output": case.message + (f"\n{case.error}" if case.error else ""),
            "visibility": "hidden" if case.hidden else "visible",
        }
        for case in report.cases
    ]
    total = float(len(report.cases)) or 1.0
    return {
        "score": round(report.score * total, 6),
        "output": report.message
        + (f"\n\n{report.traceback}" if report.traceback else ""),
        "tests": tests,
        "execution_time": round(report.duration_ms / 1000, 3),
        "visibility": "visible",
    }


def prairielearn_results(report: Report) -> dict[str, Any]:
    """The results.json shape of PrairieLearn's external grader; hidden tests
    are marked hidden and carry no data."""
    report = report.public()
    return {
        "gradable": report.gradable,
        "score": round(report.score, 6),
        "message": report.message,
        "output": report.stdout,
        "tests": [
            {
                "name": case.name + (f" ({case.label})" if case.label else ""),
                "description": "hidden test" if case.hidden else "",
                "hidden": case.hidden,
                "points": round(case.score, 6),
                "max_points": 1,
                "message": case.message,
                "output": case.error,
            }
            for case in report.cases
        ],
    }
