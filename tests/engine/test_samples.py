"""Every exercise against sample student solutions under tests/engine/samples/.

File names say what each sample must get:
  correct-*.py        passes every case
  wrong-<mistake>.py  fails, and the report names that mistake
  broken-*.py         fails (a plausible bug with no named mistake)
Each sample's docstring says which mistake it makes. Samples are written in
plain Python / NumPy (or torch where the exercise is about autograd) and never
call the engine's references.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import all_specs, grade
from engine.report import jsonable

SAMPLES = Path(__file__).parent / "samples"


def _samples() -> list[object]:
    return [
        pytest.param(directory.name, path, id=f"{directory.name}/{path.stem}")
        for directory in sorted(SAMPLES.iterdir())
        if directory.is_dir()
        for path in sorted(directory.glob("*.py"))
    ]


@pytest.mark.parametrize(("exercise", "path"), _samples())
def test_sample(exercise: str, path: Path) -> None:
    source = path.read_text()
    assert "engine" not in source, "samples must not call the engine"
    report = grade(exercise, source)
    kind = path.stem.split("-", 1)[0]
    if kind == "correct":
        assert report.verdict == "passed", report.message
        assert report.score == 1.0
    elif kind == "wrong":
        mistake = path.stem.split("-", 1)[1]
        assert report.verdict == "failed", report.message
        assert report.score < 1.0
        assert report.mistake is not None, f"no named mistake: {report.message}"
        assert report.mistake.id == mistake
        assert report.mistake.title in report.message
    else:
        assert kind == "broken", f"unknown sample kind {kind!r}"
        assert report.verdict != "passed" and report.score < 1.0


def test_every_exercise_has_a_correct_and_a_wrong_sample() -> None:
    for spec in all_specs():
        folder = SAMPLES / spec.id
        assert list(folder.glob("correct-*.py")), f"{spec.id}: no correct sample"
        wrong = list(folder.glob("wrong-*.py")) + list(folder.glob("broken-*.py"))
        assert wrong, f"{spec.id}: no wrong sample"
        if spec.mistakes:
            named = {path.stem.split("-", 1)[1] for path in folder.glob("wrong-*.py")}
            assert named & {m.id for m in spec.mistakes}, (
                f"{spec.id}: no sample of a named mistake"
            )


def _fingerprint(case: object) -> object:
    return (case.name, case.label, case.hidden, jsonable(case.kwargs))


def test_mistake_ids_are_unique_and_every_spec_is_complete() -> None:
    seen: set[str] = set()
    for spec in all_specs():
        assert (
            spec.title
            and spec.statement
            and spec.signature.startswith(f"def {spec.entry_point}(")
        )
        cases = spec.cases(0)
        again = spec.cases(0)
        assert [_fingerprint(c) for c in cases] == [_fingerprint(c) for c in again], (
            f"{spec.id}: cases are not reproducible"
        )
        assert any(not case.hidden for case in cases) and len(cases) >= 5
        for mistake in spec.mistakes:
            assert mistake.id not in seen, mistake.id
            seen.add(mistake.id)
