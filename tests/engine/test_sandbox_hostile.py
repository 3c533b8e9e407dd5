"""Hostile submissions against the warm sandbox.

Every case submits code to the IoU exercise through `engine.grade` and asserts
(1) the verdict, (2) that nothing leaked into what the student sees, and
(3) that the host, the worker and the next submission are unharmed: the same
host process serves a correct canary submission afterwards, and no process of
the job survives it.
"""

from __future__ import annotations

import gc
import os
import socket
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import grade
from engine.report import Report
from engine.sandbox.types import Job, Limits
from engine.sandbox.warm import WarmSandboxRunner
from engine.specs import get_spec

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)

SAMPLES = Path(__file__).parent / "samples" / "iou"
CANARY = (SAMPLES / "correct-numpy.py").read_text()
# Limits for the tests about time: a 3 s wall clock for code that sleeps, and a
# 1 s CPU limit with a wall clock far above it for code that spins, so that the
# CPU limit fires first even on a machine too busy to give the job a full core.
QUICK = Limits(cpu_seconds=1, wall_seconds=3, memory_mb=512, processes=16)
SPIN = Limits(cpu_seconds=1, wall_seconds=30, memory_mb=512, processes=16)
# Every other hostile test expects its own verdict, not a time limit: it gets
# room enough that no load on the machine turns its verdict into one.
ROOMY = Limits(cpu_seconds=10, wall_seconds=40, memory_mb=512, processes=16)
SECRET = "tutor-test-secret-5f1d9c0b7a"
# A secret the trusted process holds, as a worker holds SECRET_KEY.
os.environ["TUTOR_TEST_SECRET"] = SECRET
_SECRET_OBJECT = {"secret": SECRET}


@pytest.fixture(scope="module")
def runner() -> Iterator[WarmSandboxRunner]:
    runner = WarmSandboxRunner()
    runner.isolation()
    yield runner
    runner.close()


def hostile(runner: WarmSandboxRunner, body: str, limits: Limits = ROOMY) -> Report:
    """Grade `body` (which defines iou) and check the sandbox survived it."""
    [(host_pid, uid)] = runner.hosts()
    report = grade("iou", textwrap.dedent(body), runner=runner, limits=limits)
    canary = grade("iou", CANARY, runner=runner)
    assert canary.verdict == "passed", (
        f"the next submission was harmed: {canary.message}"
    )
    assert runner.hosts() == [(host_pid, uid)], "the host was replaced or lost"
    assert uid is not None and _all_gone(uid), "a process of the job survived it"
    return report


def seen(report: Report) -> str:
    """Everything the student could read back from a report."""
    parts = [report.message, report.stdout, report.traceback]
    for case in report.cases:
        parts += [case.message, case.stdout, case.error, repr(case.got)]
    return "\n".join(parts)


def _all_gone(uid: int, grace: float = 20.0) -> bool:
    """No live process of the sandbox uid. The host replies before the last
    job's processes are reaped, so a dying one (or a zombie) may linger a
    moment; it must not keep running."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not [pid for pid in _processes_of(uid) if _state(pid) not in {"Z", "X", ""}]:
            return True
        time.sleep(0.02)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


# Indented like the bodies below, so that ONCE + body dedents as one block.
ONCE = """
    _done = []
    def once(action):
        if not _done:
            _done.append(1)
            return action()
"""

# ----------------------------------------------------------------- CPU and time


def test_an_infinite_loop_is_stopped(runner) -> None:
    report = hostile(runner, "def iou(a, b):\n    while True:\n        pass\n", SPIN)
    assert report.verdict == "time_limit" and "CPU time" in report.message


def test_ignoring_sigxcpu_does_not_help(runner) -> None:
    body = """
    import signal
    signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    def iou(a, b):
        while True:
            pass
    """
    assert hostile(runner, body, SPIN).verdict == "time_limit"


def test_sleeping_forever_hits_the_wall_clock(runner) -> None:
    report = hostile(
        runner, "import time\ndef iou(a, b):\n    time.sleep(3600)\n", QUICK
    )
    assert report.verdict == "time_limit" and "after 3 s" in report.message


def test_stopping_itself_hits_the_wall_clock(runner) -> None:
    body = (
        "import os, signal\ndef iou(a, b):\n    os.kill(os.getpid(), signal.SIGSTOP)\n"
    )
    assert hostile(runner, body, QUICK).verdict == "time_limit"


def test_one_job_sleeping_does_not_delay_another(runner) -> None:
    ASLEEP = Limits(cpu_seconds=1, wall_seconds=15, memory_mb=512, processes=16)
    other = WarmSandboxRunner()
    try:
        results: dict[str, Report] = {}
        slow = threading.Thread(
            target=lambda: results.__setitem__(
                "slow",
                grade(
                    "iou",
                    "import time\ndef iou(a, b):\n    time.sleep(60)\n",
                    runner=other,
                    limits=ASLEEP,
                ),
            )
        )
        other.warm()  # its host ready, so the slow job starts at once
        slow.start()
        time.sleep(0.5)  # the slow job is asleep in its child by now
        fast = grade("iou", CANARY, runner=runner)
        # The fast job finished while the slow one still sleeps (until its
        # 15 s wall clock, far more than a busy machine needs for the fast
        # one): one does not wait for the other.
        assert slow.is_alive()
        slow.join()
        assert fast.verdict == "passed"
        assert results["slow"].verdict == "time_limit"
    finally:
        other.close()


# ------------------------------------------------------------------- processes


def test_a_fork_bomb_is_contained(runner) -> None:
    body = (
        ONCE
        + """
    import os
    def bomb():
        children = 0
        while True:
            try:
                if os.fork() == 0:
                    import time; time.sleep(60)
                children += 1
            except OSError:
                return children
    def iou(a, b):
        once(bomb)
        return 0.0
    """
    )
    report = hostile(runner, body)
    assert report.verdict == "failed"


def test_orphans_that_leave_the_session_are_killed(runner) -> None:
    body = (
        ONCE
        + """
    import os, time
    def orphan():
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(3600)
            os._exit(0)
    def iou(a, b):
        once(orphan)
        return 0.0
    """
    )
    assert hostile(runner, body).verdict == "failed"  # hostile() checks no survivor


def test_a_thread_bomb_is_capped(runner) -> None:
    body = (
        ONCE
        + """
    import threading, time
    def spawn():
        started = 0
        try:
            for _ in range(10000):
                threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
                started += 1
        except RuntimeError:
            pass
        print("threads", started)
    def iou(a, b):
        once(spawn)
        return 0.0
    """
    )
    report = hostile(runner, body)
    started = int(seen(report).split("threads ")[1].split()[0])
    assert started < QUICK.processes


def test_multiprocessing_pool_fails_cleanly(runner) -> None:
    body = """
    import multiprocessing
    def iou(a, b):
        with multiprocessing.Pool(2) as pool:
            return float(sum(pool.map(abs, [0])))
    """
    assert hostile(runner, body).verdict in {"failed", "runtime_error", "time_limit"}


def test_more_torch_threads_are_not_a_way_out(runner) -> None:
    body = """
    import torch
    def iou(a, b):
        torch.set_num_threads(64)
        x = torch.ones(256, 256)
        return float((x @ x).sum() * 0)
    """
    # Threads count against the process limit: more may fail to start, but
    # nothing outside the job notices.
    assert hostile(runner, body).verdict in {"failed", "runtime_error"}


def test_killing_every_process_it_may_signal_reaches_nothing_outside(runner) -> None:
    body = "import os, signal\ndef iou(a, b):\n    os.kill(-1, signal.SIGKILL)\n"
    # kill(-1) spares the caller; the only other processes of its uid are its
    # own. hostile() checks that the host survived.
    assert hostile(runner, body).verdict == "failed"


def test_killing_the_parent_is_refused(runner) -> None:
    body = (
        "import os, signal\ndef iou(a, b):\n    os.kill(os.getppid(), signal.SIGKILL)\n"
    )
    report = hostile(runner, body)
    assert "PermissionError" in seen(report)


def test_ptracing_the_parent_is_refused(runner) -> None:
    body = """
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)
    def iou(a, b):
        result = libc.ptrace(16, os.getppid(), 0, 0)  # PTRACE_ATTACH
        print("ptrace", result, ctypes.get_errno())
        return 0.0
    """
    report = hostile(runner, body)
    assert "ptrace -1 1" in seen(report)  # EPERM


# ---------------------------------------------------------------------- memory


def test_an_8_gib_bytearray_is_a_memory_limit(runner) -> None:
    report = hostile(runner, "def iou(a, b):\n    return len(bytearray(8 * 1024**3))\n")
    assert report.verdict == "memory_limit"


def test_a_huge_torch_tensor_is_a_memory_limit(runner) -> None:
    body = "import torch\ndef iou(a, b):\n    return float(torch.ones(40000, 40000).sum())\n"
    assert hostile(runner, body).verdict == "memory_limit"


def test_slow_memory_growth_is_stopped(runner) -> None:
    body = (
        ONCE
        + """
    def grow():
        hoard = []
        while True:
            hoard.append(bytearray(16 * 1024 * 1024))
            hoard[-1][::4096] = b"x" * len(hoard[-1][::4096])
    def iou(a, b):
        once(grow)
        return 0.0
    """
    )
    # Time to spare, so that on a busy machine the memory limit is what
    # stops it, as it must be: growth in steps is no way around the cap.
    roomy = Limits(cpu_seconds=5, wall_seconds=10, memory_mb=256, processes=16)
    assert hostile(runner, body, roomy).verdict == "memory_limit"


def test_deep_recursion_is_an_error_in_that_case(runner) -> None:
    report = hostile(runner, "def iou(a, b):\n    return iou(a, b)\n")
    assert report.verdict == "failed" and "RecursionError" in report.traceback


def test_a_giant_integer_to_string_is_refused(runner) -> None:
    report = hostile(
        runner, "def iou(a, b):\n    return float(len(str(10 ** 100000)))\n"
    )
    assert report.verdict == "failed" and "ValueError" in report.traceback


# --------------------------------------------------------------- output limits


def test_a_100_mb_print_is_truncated(runner) -> None:
    body = CANARY + "\nprint('x' * 100_000_000)\n"
    report = hostile(runner, body)
    assert report.verdict == "passed"
    assert len(report.stdout) < 100_000 and "output truncated" in report.stdout


def test_printing_through_the_raw_descriptor_is_capped(runner) -> None:
    body = (
        CANARY + "\nimport os\nfor _ in range(2000):\n    os.write(1, b'y' * 65536)\n"
    )
    report = hostile(runner, body)
    assert len(report.stdout) < 100_000


def test_a_huge_result_is_an_output_limit(runner) -> None:
    body = (
        ONCE
        + """
    import numpy as np
    def iou(a, b):
        value = once(lambda: np.ones(10_000_000))
        return 0.0 if value is None else value
    """
    )
    limits = Limits(cpu_seconds=5, wall_seconds=10, result_bytes=8 * 1024 * 1024)
    assert hostile(runner, body, limits).verdict == "output_limit"


def test_a_100_mib_file_is_refused(runner) -> None:
    body = (
        ONCE
        + """
    def write():
        with open("big", "wb") as handle:
            handle.write(b"0" * 100 * 1024 * 1024)
    def iou(a, b):
        once(write)
        return 0.0
    """
    )
    report = hostile(runner, body)
    # Python ignores SIGXFSZ, so the write fails with EFBIG instead of a kill.
    assert report.verdict == "failed" and "File too large" in report.message


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


# ------------------------------------------------------------------ the verdict


def test_an_eq_that_always_agrees_cannot_pass(runner) -> None:
    body = "class Yes:\n    def __eq__(self, o):\n        return True\ndef iou(a, b):\n    return Yes()\n"
    report = hostile(runner, body)
    assert report.verdict == "failed" and report.score == 0


def test_patched_numpy_and_torch_comparisons_cannot_pass(runner) -> None:
    body = """
    import numpy, torch, math
    numpy.allclose = numpy.isclose = numpy.array_equal = lambda *a, **k: True
    numpy.testing.assert_allclose = lambda *a, **k: None
    torch.allclose = torch.equal = lambda *a, **k: True
    math.isclose = lambda *a, **k: True
    def iou(a, b):
        return 0.5
    """
    report = hostile(runner, body)
    assert report.verdict != "passed" and report.score == 0


def test_patched_builtins_cannot_pass(runner) -> None:
    body = """
    import builtins
    builtins.abs = lambda x: 0
    builtins.isinstance = lambda *a: True
    builtins.float = lambda x=0: 0.5
    def iou(a, b):
        return 0.5
    """
    assert hostile(runner, body).verdict in {"failed", "runtime_error"}


def test_an_ndarray_subclass_is_judged_on_its_values(runner) -> None:
    body = """
    import numpy as np
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(1, bool)
    def iou(a, b):
        return np.array(0.5).view(Liar)
    """
    assert hostile(runner, body).verdict == "failed"


def test_object_arrays_are_refused(runner) -> None:
    body = "import numpy as np\ndef iou(a, b):\n    return np.array([object()], dtype=object)\n"
    report = hostile(runner, body)
    assert report.verdict == "failed" and "dtype object" in report.cases[0].message


def test_returning_a_pickle_bomb_is_just_bytes(runner) -> None:
    body = "import pickle, os\ndef iou(a, b):\n    return pickle.dumps(os.system)\n"
    report = hostile(runner, body)
    assert report.verdict == "failed" and "type bytes" in report.cases[0].message


def test_a_forged_pickle_on_the_result_pipe_is_never_unpickled(runner) -> None:
    body = """
    import os, pickle
    class Boom:
        def __reduce__(self):
            return (print, ("UNPICKLED",))
    def iou(a, b):
        for fd in range(3, 64):
            try:
                os.write(fd, pickle.dumps(Boom()))
            except OSError:
                pass
        os._exit(0)
    """
    report = hostile(runner, body)
    assert report.verdict == "runtime_error" and "UNPICKLED" not in seen(report)


def test_system_exit_is_an_error_not_a_pass(runner) -> None:
    report = hostile(runner, "import sys\ndef iou(a, b):\n    sys.exit(0)\n")
    assert report.verdict == "failed" and "SystemExit" in report.traceback


def test_os_exit_before_returning_is_a_runtime_error(runner) -> None:
    report = hostile(runner, "import os\ndef iou(a, b):\n    os._exit(0)\n")
    assert report.verdict == "runtime_error" and "exited (code 0)" in report.message


def test_exit_hooks_and_tracers_change_nothing(runner) -> None:
    body = """
    import atexit, sys, threading
    atexit.register(lambda: print("ATEXIT"))
    sys.settrace(lambda *a: None)
    threading.settrace(lambda *a: None)
    def iou(a, b):
        return 0.5
    """
    report = hostile(runner, body)
    assert report.verdict == "failed" and "ATEXIT" not in seen(report)


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("float('nan')", "nan"),
        ("float('inf')", "inf"),
        ("np.float16(0.5)", "expected"),
        ("np.array(2**62, dtype=np.int64) * 4", "expected"),
    ],
)
def test_odd_numbers_are_reported_not_trusted(runner, value: str, needle: str) -> None:
    body = f"import numpy as np\ndef iou(a, b):\n    return {value}\n"
    report = hostile(runner, body)
    assert report.verdict == "failed" and needle in seen(report).lower()


def test_a_forbidden_routine_reached_dynamically_is_refused(runner) -> None:
    """The static check cannot see getattr(nn, "LSTM" + "Cell"); the child's
    namespace has the routine replaced, under every module that exposes it."""
    job = Job(
        textwrap.dedent(
            """
            import torch
            def f(x):
                cell = getattr(torch.nn.modules.rnn, "LST" + "MCell")
                return cell(2, 2)
            """
        ),
        "f",
        [{"x": 1.0}],
        forbidden=("torch.nn.LSTMCell",),
    )
    outcome = runner.run(job, QUICK)
    assert outcome.status == "ok"
    assert (
        "ForbiddenCallError: torch.nn.LSTMCell is not allowed"
        in outcome.results[0]["error"]
    )


def test_a_forbidden_routine_is_a_forbidden_verdict(runner) -> None:
    body = textwrap.dedent(
        """
        import torch
        NAME = bytes([76, 83, 84, 77, 67, 101, 108, 108]).decode()  # hides the name from the AST
        def lstm_cell(x, h_prev, c_prev, W, b):
            return getattr(torch.nn, NAME)(2, 2)
        """
    )
    report = grade("lstm_cell", body, runner=runner)
    assert report.verdict == "forbidden" and not report.gradable
    assert "torch.nn.LSTMCell" in report.message


def test_no_reference_grader_or_spec_is_in_the_childs_memory(runner) -> None:
    body = """
    import sys
    def iou(a, b):
        held = sorted(m for m in sys.modules if m.startswith(("engine.reference", "engine.specs", "engine.grader", "django", "exercises", "tutor")))
        print("held", held)
        return 0.0
    """
    assert "held []" in seen(hostile(runner, body))


def test_the_sandbox_layers_are_all_present_here(runner) -> None:
    layers, missing = runner.isolation()
    if os.geteuid() != 0:
        pytest.skip("the full set of layers needs root to set up")
    assert missing == (), f"layers missing on this machine: {missing}"
    assert len(layers) >= 9
    report = grade("iou", CANARY, runner=runner)
    assert report.isolation == layers and report.missing_isolation == ()


def teardown_module() -> None:
    gc.collect()
