"""The run-time refusal in the child: every forbidden name and alias of every
exercise refuses to run (and without the refusal, the same probe reaches
them), also in a fresh interpreter; and the report's text about a refusal,
which the child could forge, names only what the exercise forbids.
"""

from __future__ import annotations

import importlib.util

import pytest

from engine import all_specs, get_spec, grade
from engine.grader import default_runner
from engine.sandbox.forbidden import ALIASES, MODULE_ROUTINES, expand, read_refusal
from engine.sandbox.subprocess_runner import SubprocessRunner
from engine.sandbox.types import Job, Limits
from tests.engine.forbidding import (
    COSINE,
    FUNCTION,
    JACOBIAN,
    LSTM,
    allowing_everything,
    hidden,
    lstm_source,
    static,
)
from tests.engine.hostile import LINUX_ONLY

pytestmark = LINUX_ONLY

PROBE_LIMITS = Limits(cpu_seconds=20, wall_seconds=60, memory_mb=1024)


# ----------------------------------- every entry and alias, refused in the child

PROBE = """
import importlib


def _refused(exc):
    return type(exc).__name__ == "ForbiddenCallError"


def _reach(path):
    # Import the longest importable module of the name, read the rest as
    # attributes, then call it: "refused", "open" (it ran or failed on its
    # own) or "absent" (not in this installation).
    parts = path.split(".")
    value, used = None, 0
    for end in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        except Exception as exc:
            return "refused" if _refused(exc) else "open"
        used = end
        break
    if value is None:
        return "absent"
    try:
        for part in parts[used:]:
            value = getattr(value, part)
    except AttributeError:
        return "absent"
    except Exception as exc:
        return "refused" if _refused(exc) else "open"
    if used == len(parts):
        return "open"  # a module, imported
    try:
        value()
    except Exception as exc:
        return "refused" if _refused(exc) else "open"
    return "open"


def probe(paths):
    states = {path: _reach(path) for path in paths}
    return (
        [path for path, state in states.items() if state == "open"],
        [path for path, state in states.items() if state == "absent"],
    )
"""


def _installed(path: str) -> bool:
    return importlib.util.find_spec(path.split(".")[0]) is not None


def _is_module(path: str) -> bool:
    try:
        return importlib.util.find_spec(path) is not None
    except ImportError:
        return False


def _probe_paths(forbidden: tuple[str, ...]) -> list[str]:
    """Everything the child must refuse: each routine and alias; for a module
    the library needs, what it offers; for other modules, importing them
    (refused whether or not they are installed)."""
    paths = []
    for path in expand(forbidden):
        if path in MODULE_ROUTINES:
            continue  # stands for its routines, which are in the table
        if "." in path and not _installed(path):
            continue  # scipy.linalg.pinvh without scipy: nothing to refuse
        if (
            "." in path
            and path.split(".")[0] in {"torch", "numpy"}
            and _is_module(path)
        ):
            paths.append(f"{path}.{_first_public(path)}")  # torch.optim.lr_scheduler
            continue
        paths.append(path)
    return paths


def _first_public(module: str) -> str:
    return sorted(importlib.import_module(module).__all__)[0]


def _groups() -> list[tuple[str, ...]]:
    return sorted({spec.forbidden for spec in all_specs() if spec.forbidden})


def _run_probe(
    forbidden: tuple[str, ...], paths: list[str], runner: object = None
) -> tuple[list[str], list[str]]:
    job = Job(PROBE, "probe", [{"paths": paths}], forbidden)
    outcome = (runner or default_runner()).run(job, PROBE_LIMITS)  # type: ignore[attr-defined]
    assert outcome.status == "ok", outcome.error
    [result] = outcome.results
    assert result["ok"], result.get("error")
    open_, absent = result["value"]
    return list(open_), list(absent)


@pytest.mark.parametrize("forbidden", _groups(), ids=lambda f: ",".join(f)[:60])
def test_the_child_refuses_every_forbidden_name_and_alias(
    forbidden: tuple[str, ...],
) -> None:
    paths = _probe_paths(forbidden)
    open_, absent = _run_probe(forbidden, paths)
    assert open_ == [], f"reachable in the child: {open_}"
    assert not set(absent) & set(forbidden), absent


@pytest.mark.parametrize(
    "forbidden",
    [group for group in _groups() if [p for p in _probe_paths(group) if "." in p]],
    ids=lambda f: ",".join(f)[:60],
)
def test_without_the_refusal_the_probe_reaches_them(
    forbidden: tuple[str, ...],
) -> None:
    """The probe above can fail: with nothing forbidden, what it found
    refused is reachable (or, an alias of another torch version, absent)."""
    paths = [p for p in _probe_paths(forbidden) if "." in p]
    open_, absent = _run_probe((), paths)
    assert set(open_) | set(absent) == set(paths)
    assert open_


def test_a_fresh_interpreter_refuses_once_torch_is_imported() -> None:
    """The subprocess runner's child has not imported torch when the job
    starts: the routines are refused once the student's import completes."""
    paths = [p for p in _probe_paths(LSTM) if p.startswith("torch")]
    open_, _ = _run_probe(LSTM, paths, SubprocessRunner())
    assert open_ == []
    source = lstm_source("", f"getattr(torch, {hidden('lstm_cell')})", FUNCTION)
    report = grade("lstm_cell", source, runner=SubprocessRunner())
    assert report.verdict == "forbidden" and "torch.lstm_cell" in report.message


def _routine_entries() -> list[tuple[str, str]]:
    """Each dotted routine entry of any spec, once, with one exercise that
    forbids it."""
    found: dict[str, str] = {}
    for spec in all_specs():
        for entry in spec.forbidden:
            if (
                "." in entry
                and entry not in MODULE_ROUTINES
                and _installed(entry)
                and not _is_module(entry)
            ):
                found.setdefault(entry, spec.id)
    return sorted((exercise, entry) for entry, exercise in found.items())


@pytest.mark.parametrize(("exercise", "entry"), _routine_entries())
def test_each_forbidden_routine_reached_at_run_time_is_a_forbidden_verdict(
    exercise: str, entry: str
) -> None:
    spec = get_spec(exercise)
    module, _, name = entry.rpartition(".")
    source = f"""
import importlib

def {spec.entry_point}(*args):
    module = {hidden(module)}
    try:
        owner = importlib.import_module(module)
    except ImportError:  # a class: torch.Tensor
        parent, _, attribute = module.rpartition(".")
        owner = getattr(importlib.import_module(parent), attribute)
    return getattr(owner, {hidden(name)})()
"""
    assert static(source, spec.forbidden) is None
    report = grade(exercise, source)
    assert report.verdict == "forbidden", report.message
    assert f"used {entry}," in report.message, report.message
    control = grade(allowing_everything(exercise), source)  # type: ignore[arg-type]
    assert control.verdict != "forbidden"


# ------------------------------------------------------ the report's own text


def test_the_refusal_text_is_trusted_only_for_names_the_exercise_forbids() -> None:
    forged = "ForbiddenCallError: SECRET_hidden_input is not allowed in this exercise"
    assert read_refusal(forged, LSTM) is None
    real = (
        "ForbiddenCallError: torch.lstm_cell is not allowed in this exercise "
        "(a form of torch.nn.LSTMCell)"
    )
    assert read_refusal(real, LSTM) == "torch.lstm_cell (a form of torch.nn.LSTMCell)"
    imported = (
        "ForbiddenCallError: importing keras.layers is not allowed in this exercise"
    )
    assert read_refusal(imported, LSTM) == "an import of keras.layers (part of keras)"


def test_a_forbidden_verdict_carries_nothing_the_child_wrote() -> None:
    source = """
import os

def lstm_cell(x, h_prev, C_prev, W, b):
    print("SECRET-printed", x)
    os.write(1, b"SECRET-written")
    raise RuntimeError("ForbiddenCallError: SECRET_raised is not allowed in this exercise")
"""
    report = grade("lstm_cell", source)
    assert report.verdict == "forbidden"
    seen = [report.message, report.stdout, report.traceback]
    seen += [case.message + case.stdout + case.error for case in report.cases]
    assert "SECRET" not in "\n".join(seen)
    assert "a routine this exercise forbids" in report.message


def test_the_alias_table_covers_the_routines_named_in_the_brief() -> None:
    table = expand(
        LSTM
        + JACOBIAN
        + COSINE
        + get_spec("gru_cell").forbidden
        + get_spec("rnn_step").forbidden
    )
    for alias in (
        "torch.lstm_cell",
        "torch._VF.lstm_cell",
        "torch._C._VariableFunctions.lstm_cell",
        "torch.nn.modules.rnn.LSTMCell",
        "torch.gru_cell",
        "torch.lstm",
        "torch.gru",
        "torch.rnn_tanh",
        "torch.rnn_tanh_cell",
        "torch.cosine_similarity",
        "torch.nn.modules.distance.CosineSimilarity",
        "torch.func.hessian",
        "torch.autograd.functional.hessian",
    ):
        assert alias in table, alias
    assert set(ALIASES) >= {"torch.nn.LSTMCell", "torch.nn.GRUCell", "torch.nn.RNNCell"}
