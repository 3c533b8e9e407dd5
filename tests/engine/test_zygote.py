"""Sandbox hosts forked from one torch-loaded zygote (engine/sandbox/zygote.py):
what a pool process of the Celery worker gets once the main process started
the zygote. The isolation tests that also run on forked hosts are in
test_sandbox_lifecycle.py (parametrised `started`)."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import grade
from engine.sandbox import warm
from engine.sandbox.launch import ForkedHost, Zygote
from engine.sandbox.warm import WarmSandboxRunner
from tests.workers import descriptor_targets

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)
CANARY = (Path(__file__).parent / "samples" / "iou" / "correct-numpy.py").read_text()


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    started = warm.start_zygote()
    try:
        yield started
    finally:
        warm.stop_zygote()


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sockets(pid: int) -> set[str]:
    return {t for t in descriptor_targets(pid) if t.startswith("socket:")}


def test_hosts_are_forked_by_the_zygote_and_do_not_load_torch_again(
    zygote: Zygote,
) -> None:
    first, second = WarmSandboxRunner(), WarmSandboxRunner()
    try:
        assert grade("iou", CANARY, runner=first).verdict == "passed"
        assert grade("iou", CANARY, runner=second).verdict == "passed"
        [(one, uid_one)] = first.hosts()
        [(two, uid_two)] = second.hosts()
        assert _parent(one) == _parent(two) == zygote.process.pid
        assert uid_one != uid_two  # each claims its own sandbox uid
        # A forked child's CPU time starts at zero: the zygote paid for
        # importing torch (well over a second); a host only sets itself up.
        assert _cpu_seconds(one) < _cpu_seconds(zygote.process.pid) / 2
        assert Path(f"/proc/{one}/comm").read_text().strip() == "sandbox-host"
    finally:
        first.close()
        second.close()


def test_the_zygote_holds_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its hosts are copies of it. (That a forked host keeps no descriptor of
    the zygote's is test_sandbox_lifecycle's one-descriptor test.)"""
    monkeypatch.setenv("SECRET_KEY", "the-workers-secret")
    zygote = warm.start_zygote()
    try:
        environ = Path(f"/proc/{zygote.process.pid}/environ").read_bytes()
        names = {item.split(b"=")[0] for item in environ.split(b"\0") if item}
        assert names <= {b"PATH", b"LANG", b"OMP_NUM_THREADS", b"MKL_NUM_THREADS",
                         b"TUTOR_SANDBOX_DIR"}  # fmt: skip
        assert b"the-workers-secret" not in environ
        assert len(_sockets(zygote.process.pid)) == 1  # its end of the pair
    finally:
        warm.stop_zygote()


def test_a_closed_runner_ends_its_forked_host(zygote: Zygote) -> None:
    runner = WarmSandboxRunner()
    runner.warm()
    [host] = runner._idle
    assert isinstance(host.process, ForkedHost)
    runner.close()
    assert host.process.poll() is not None  # closing waits for it to exit
    assert zygote.alive()


def test_without_a_zygote_hosts_are_started_alone_again(zygote: Zygote) -> None:
    runner = WarmSandboxRunner()
    try:
        runner.warm()
        [(forked, _)] = runner.hosts()
        os.kill(zygote.process.pid, signal.SIGKILL)
        zygote.process.wait()
        # Its hosts die with it (their parent-death signal); the next job
        # starts a host of this process's own.
        assert grade("iou", CANARY, runner=runner).verdict == "passed"
        [(alone, _)] = runner.hosts()
        assert alone != forked and _parent(alone) == os.getpid()
    finally:
        runner.close()


def test_a_process_forked_after_the_zygote_gets_its_hosts_from_it(
    zygote: Zygote,
) -> None:
    """Celery's pool: the main process started the zygote, then forked."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked "pool process"
        code = 1
        try:
            os.close(read_end)
            runner = WarmSandboxRunner()
            verdict = grade("iou", CANARY, runner=runner).verdict
            [(host, _)] = runner.hosts()
            report = {"verdict": verdict, "parent": _parent(host)}
            runner.close()
            os.write(write_end, json.dumps(report).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        report = json.loads(reader.read() or b"{}")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert report == {"verdict": "passed", "parent": zygote.process.pid}
