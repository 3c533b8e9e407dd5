import json
import subprocess
import sys
from pathlib import Path

from engine.sandbox.subprocess_runner import PROJECT_ROOT

SAMPLES = Path(__file__).parent / "samples" / "iou"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_list_prints_the_id_first() -> None:
    from engine import all_specs

    result = run("list")
    assert result.returncode == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [row[0] for row in rows] == [spec.id for spec in all_specs()]
    assert all(row[1] for row in rows) and "iou" in {row[0] for row in rows}


def test_grade_exits_zero_only_when_everything_passes() -> None:
    good = run("grade", "iou", str(SAMPLES / "correct-numpy.py"))
    bad = run("grade", "iou", str(SAMPLES / "wrong-iou-no-clamp.py"))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "passed" in good.stdout
    assert bad.returncode == 1
    assert "iou-no-clamp" in bad.stdout


def test_grade_json_has_a_top_level_score() -> None:
    result = run("grade", "iou", str(SAMPLES / "wrong-iou-plus-one.py"), "--json")
    data = json.loads(result.stdout)
    assert 0 <= data["score"] < 1
    assert data["mistake"]["id"] == "iou-plus-one"
    assert len(data["cases"]) == data["total"]


def test_gradescope_and_prairielearn_formats(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    run(
        "grade",
        "iou",
        str(SAMPLES / "wrong-iou-no-clamp.py"),
        "--format",
        "gradescope",
        "--output",
        str(out),
    )
    gradescope = json.loads(out.read_text())
    assert {"score", "tests", "output"} <= gradescope.keys()
    assert all(
        {"name", "score", "max_score", "output"} <= t.keys()
        for t in gradescope["tests"]
    )
    syntax = tmp_path / "broken.py"
    syntax.write_text("def iou(:\n")
    result = run("grade", "iou", str(syntax), "--format", "prairielearn")
    prairielearn = json.loads(result.stdout)
    assert prairielearn["gradable"] is False and prairielearn["score"] == 0


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    assert run("grade", "nope", str(SAMPLES / "correct-numpy.py")).returncode == 2
    assert run("grade", "iou", str(tmp_path / "missing.py")).returncode == 2
    binary = tmp_path / "latin1.py"
    binary.write_bytes(b"# \xe9\ndef iou(a, b): return 0\n")
    result = run("grade", "iou", str(binary))
    assert result.returncode == 2 and "UTF-8" in result.stderr


def test_one_shot_grading_stops_its_sandbox_host(monkeypatch, capsys) -> None:
    """The host started for the one job has exited when `main` returns:
    nothing is left for the parent-death signal to clean up."""
    from engine import cli, grader
    from engine.sandbox import warm

    started: list[warm.HostProcess] = []
    real_init = warm.HostProcess.__init__

    def recording_init(self: warm.HostProcess, **options: bool) -> None:
        real_init(self, **options)
        started.append(self)

    monkeypatch.setattr(warm.HostProcess, "__init__", recording_init)
    monkeypatch.setattr(grader, "_DEFAULT_RUNNER", warm.WarmSandboxRunner())
    code = cli.main(["grade", "iou", str(SAMPLES / "correct-numpy.py")])
    assert code == 0 and "passed" in capsys.readouterr().out
    assert len(started) == 1
    assert started[0].process.poll() is not None
