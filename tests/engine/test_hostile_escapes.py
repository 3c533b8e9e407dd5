"""Hostile submissions that try to get out of the warm sandbox: secrets of
the worker, files outside the job, what one job leaves for the next, the
network, inherited descriptors, privileges and dangerous system calls.

Each attack is graded through `tests.engine.hostile.hostile`, which also checks
that the host and the next submission survived it and that no process of the
job outlived it.
"""

from __future__ import annotations

import gc
import os
import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import grade
from engine.sandbox.types import Limits
from engine.sandbox.warm import WarmSandboxRunner
from engine.specs import get_spec
from tests.engine.hostile import LINUX_ONLY, ONCE, hostile, seen, warm_runner

pytestmark = LINUX_ONLY

SECRET = "tutor-test-secret-5f1d9c0b7a"
# A secret the trusted process holds, as a worker holds SECRET_KEY.
os.environ["TUTOR_TEST_SECRET"] = SECRET
_SECRET_OBJECT = {"secret": SECRET}


@pytest.fixture(scope="module")
def runner() -> Iterator[WarmSandboxRunner]:
    yield from warm_runner()


# ------------------------------------------------------------- secrets and files


def test_the_environment_is_empty(runner) -> None:
    body = "import os\ndef iou(a, b):\n    print(sorted(os.environ.items()))\n    return 0.0\n"
    report = hostile(runner, body)
    assert SECRET not in seen(report) and "TUTOR_TEST_SECRET" not in seen(report)
    assert "DATABASE_URL" not in seen(report) and "SECRET_KEY" not in seen(report)


def test_the_workers_memory_is_out_of_reach(runner) -> None:
    assert _SECRET_OBJECT  # the secret lives in this (trusted) process
    body = (
        ONCE
        + """
    import gc, os
    def text(o):
        try:
            return str(o)
        except Exception:
            return ""
    def search():
        needle = "-".join(["tutor", "test", "secret", "5f1d9c0b7a"])  # not constant-folded
        found = [text(o)[:80] for o in gc.get_objects() if needle in text(o)]
        for pid in (os.getppid(), 1):
            for name in ("environ", "mem", "cmdline"):
                try:
                    with open(f"/proc/{pid}/{name}", "rb") as handle:
                        found.append(handle.read(4096))
                except OSError as exc:
                    print("blocked", name, type(exc).__name__)
        print("found", found)
    def iou(a, b):
        once(search)
        return 0.0
    """
    )
    report = hostile(runner, body, Limits(cpu_seconds=10, wall_seconds=20))
    assert SECRET not in seen(report)
    assert "found []" in seen(report), seen(report)[:2000]


@pytest.mark.parametrize(
    "path",
    [
        "/etc/shadow",
        "/etc/passwd",
        "/proc/1/environ",
        "/proc/self/environ",
        "/work/main/tutor/settings.py",
        str(Path(__file__).resolve().parents[2] / "tutor" / "settings.py"),
        str(
            Path(__file__).resolve().parents[2]
            / "engine"
            / "reference"
            / "detection.py"
        ),
        str(Path(__file__).resolve().parents[2] / "engine" / "sandbox" / "runtime.py"),
        str(Path(__file__).resolve().parents[2] / ".env"),
    ],
)
def test_files_outside_the_sandbox_cannot_be_read(runner, path: str) -> None:
    body = f"""
    def iou(a, b):
        try:
            with open({path!r}, "rb") as handle:
                print("LEAK", handle.read(100))
        except OSError as exc:
            print("blocked", type(exc).__name__)
        return 0.0
    """
    report = hostile(runner, body)
    assert "LEAK" not in seen(report) and "blocked" in seen(report)


def test_the_references_cannot_be_imported(runner) -> None:
    body = """
    def iou(a, b):
        import engine.reference.detection as reference
        return reference.iou(a, b)
    """
    report = hostile(runner, body)
    assert report.verdict == "failed" and "ModuleNotFoundError" in report.traceback


def test_the_system_is_read_only_and_cwd_is_private(runner) -> None:
    body = """
    import os
    def iou(a, b):
        for target in ("/usr/evil", "/evil", "../evil", "/job/../evil"):
            try:
                open(target, "w").write("x")
                print("WROTE", target)
            except OSError as exc:
                print("blocked", target, type(exc).__name__)
        os.chdir("/")
        print("cwd", os.getcwd(), sorted(os.listdir("/")))
        return 0.0
    """
    report = hostile(runner, body)
    assert "WROTE" not in seen(report)
    listing = seen(report).split("cwd / ")[1].splitlines()[0]
    assert "main" not in listing and "etc" not in listing and "proc" not in listing


def test_a_file_left_by_one_job_is_gone_for_the_next(runner) -> None:
    hostile(
        runner,
        "open('note.txt', 'w').write('from the last job')\ndef iou(a, b):\n    return 0.0\n",
    )
    body = "import os\ndef iou(a, b):\n    print('files', os.listdir('.'))\n    return 0.0\n"
    assert "files []" in seen(hostile(runner, body))


def test_shared_memory_does_not_survive_between_jobs(runner) -> None:
    writer = """
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    def iou(a, b):
        shm = libc.shmget(0x7475746F, 4096, 0o1666)  # IPC_CREAT | 0666
        print("shmget", shm)
        return 0.0
    """
    hostile(runner, writer)
    reader = """
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    def iou(a, b):
        print("existing", libc.shmget(0x7475746F, 4096, 0o666))
        return 0.0
    """
    assert "existing -1" in seen(hostile(runner, reader))
    assert not Path("/dev/shm").exists() or "dev/shm" not in seen(
        hostile(
            runner,
            "import os\ndef iou(a, b):\n    print(os.listdir('/dev'))\n    return 0.0\n",
        )
    )


# ---------------------------------------------------------------------- network


@pytest.mark.parametrize(
    "address",
    [("127.0.0.1", 6379), ("127.0.0.1", 5432), ("1.1.1.1", 53), ("::1", 6379)],
)
def test_no_network_connection_can_be_opened(runner, address: tuple[str, int]) -> None:
    body = f"""
    import socket
    def iou(a, b):
        try:
            socket.create_connection({address!r}, timeout=1)
            print("CONNECTED")
        except OSError as exc:
            print("blocked", type(exc).__name__, exc.errno)
        return 0.0
    """
    report = hostile(runner, body)
    assert "CONNECTED" not in seen(report) and "blocked PermissionError 13" in seen(
        report
    )


def test_the_hosts_abstract_sockets_are_unreachable(runner) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind("\0tutor-test-abstract")
    listener.listen(1)
    try:
        body = """
        import socket
        def iou(a, b):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect("\\0tutor-test-abstract")
                print("CONNECTED")
            except OSError as exc:
                print("blocked", type(exc).__name__)
            return 0.0
        """
        report = hostile(runner, body)
        assert "CONNECTED" not in seen(report) and "blocked" in seen(report)
    finally:
        listener.close()


def test_inherited_descriptors_are_closed(runner) -> None:
    body = "import os\ndef iou(a, b):\n    print('fds', sorted(os.listdir('/proc/self/fd')) if os.path.exists('/proc') else os.listdir('/dev/fd') if os.path.exists('/dev/fd') else 'none')\n    return 0.0\n"
    report = hostile(runner, body)
    scan = """
    import os
    def iou(a, b):
        open_fds = []
        for fd in range(3, 1024):
            try:
                os.fstat(fd)
                open_fds.append(fd)
            except OSError:
                pass
        print("open", len(open_fds))
        return 0.0
    """
    report = hostile(runner, scan)
    assert "open 2" in seen(report)  # only the result and the progress pipes


def test_forged_progress_never_passes_the_case_count(runner) -> None:
    body = """
    import os
    def iou(a, b):
        for fd in range(3, 64):
            try:
                os.write(fd, b"\\x01" * 4096)
            except OSError:
                pass
        return 0.0
    """
    seen_progress: list[int] = []
    report = grade(
        "iou",
        textwrap.dedent(body),
        runner=runner,
        on_progress=lambda phase, done, total: seen_progress.append(done),
    )
    total = len(get_spec("iou").cases())
    assert report.verdict in ("failed", "runtime_error")
    assert seen_progress and max(seen_progress) <= total
    assert seen_progress == sorted(seen_progress)


# --------------------------------------------------------- privileges and kernel


@pytest.mark.parametrize(
    ("name", "call", "expected_errno"),
    [
        ("setuid(0)", "libc.setuid(0)", 1),
        ("unshare(CLONE_NEWUSER)", "libc.unshare(0x10000000)", 1),
        ("mount", "libc.mount(b'none', b'/job', b'tmpfs', 0, None)", 1),
        ("chroot", "libc.chroot(b'/proc/1/root')", 1),
        ("io_uring_setup", "libc.syscall(425, 8, None)", 1),
        ("clone3", "libc.syscall(435, None, 0)", 38),
        ("bpf", "libc.syscall(321, 0, None, 0)", 1),
        ("keyctl", "libc.syscall(250, 0, 0, 0, 0, 0)", 1),
        ("perf_event_open", "libc.syscall(298, None, 0, -1, -1, 0)", 1),
        ("TIOCSTI", "libc.ioctl(0, 0x5412, b'x')", 1),
    ],
)
def test_dangerous_system_calls_are_refused(
    runner, name: str, call: str, expected_errno: int
) -> None:
    body = f"""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    def iou(a, b):
        result = {call}
        print("result", result, ctypes.get_errno())
        return 0.0
    """
    report = hostile(runner, body)
    assert f"result -1 {expected_errno}" in seen(report), name


def test_it_runs_as_an_unprivileged_user(runner) -> None:
    body = "import os\ndef iou(a, b):\n    print('ids', os.getuid(), os.geteuid(), os.getgid(), os.getgroups())\n    return 0.0\n"
    report = hostile(runner, body)
    ids = seen(report).split("ids ")[1].splitlines()[0]
    assert not ids.startswith("0 ") and " 0 " not in ids and ids.endswith("[]")


def test_a_segfault_through_ctypes_is_a_runtime_error(runner) -> None:
    report = hostile(
        runner, "import ctypes\ndef iou(a, b):\n    return ctypes.string_at(0)\n"
    )
    assert report.verdict == "runtime_error" and "segmentation fault" in report.message


def test_ctypes_system_runs_nothing_useful(runner) -> None:
    body = """
    import ctypes
    libc = ctypes.CDLL(None)
    def iou(a, b):
        print("status", libc.system(b"cat /etc/shadow /work/main/.env"))
        return 0.0
    """
    report = hostile(runner, body)
    assert "root:" not in seen(report) and "SECRET_KEY" not in seen(report)


def teardown_module() -> None:
    gc.collect()
