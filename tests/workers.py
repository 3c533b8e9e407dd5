"""Real worker processes and brokers for the tests that need them."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
from django.db import connection
from kombu import pools as kombu_pools

from benchmarks.processes import descendants, processes
from engine.sandbox.slot import processes_of_uid
from tutor.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Worker:
    """A Celery worker process (with the sweeper's beat) in its own session."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        schedule = log.with_suffix(".schedule")
        command = [
            sys.executable, "-m", "celery", "-A", "tutor", "worker", "--beat",
            "--queues", "grading,runs,default", "--concurrency", "1", "--loglevel", "INFO",
            "--without-mingle", "--without-gossip", "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h",
            "--schedule", str(schedule),
        ]  # fmt: skip
        self.handle = log.open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.hostname = command[command.index("--hostname") + 1].split("@")[0]

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"worker did not start:\n{self.log.read_text()[-3000:]}")

    def wait_warm(self, timeout: float = 60) -> list[int]:
        """Wait until the worker's pool process has warmed its sandbox (host
        started and torch imported, before it takes work); the hosts' pids."""
        wait_for(
            lambda: "sandbox warm in" in self.log.read_text(errors="replace"),
            timeout,
            "the worker to warm its sandbox",
        )
        return wait_for(
            lambda: sandbox_hosts_under(self.process.pid),
            timeout,
            "a warm sandbox host",
        )

    def kill(self) -> None:
        """SIGKILL the worker and its pool: a machine that died mid-task."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.handle.close()


def database_url() -> str:
    """The URL of the database this test process uses (the test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = db.get("PASSWORD") or ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{password}@{host}:{port}/{db['NAME']}"


def worker_environment(
    broker_url: str, var_dir: Path, **overrides: str
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker_url if broker_url.startswith("redis") else "",
            "CELERY_BROKER_URL": broker_url,
            "VAR_DIR": str(var_dir),
            "GRADING_SOFT_TIME_LIMIT": "8",
            "GRADING_HARD_TIME_LIMIT": "10",
            "GRADING_SWEEP_INTERVAL": "1",
            "GRADING_REQUEUE_AFTER": "2",
            "GRADING_MAX_ATTEMPTS": "3",
        }
    )
    env.update(overrides)
    return env


class PrivateRedis:
    """A Redis server of our own, so a test can restart it freely."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("private redis did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)


def use_broker(url: str, transport_options: dict[str, Any] | None = None) -> None:
    """Point this process's Celery producer at another broker."""
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = transport_options or {}
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps producer pools by broker URL; one for the URL restored here
    # would still hold the connection pool closed above ("Acquire on closed
    # pool" in the next eager apply_async).
    kombu_pools.reset()


def wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def sandbox_hosts_under(pid: int) -> list[int]:
    """The sandbox hosts among the descendants of process `pid` (from /proc):
    processes named sandbox-host (`engine.sandbox.host.main`) whose parent is
    not one (a host's spare child inherits the name)."""
    found = []
    for child in descendants(pid)[1:]:
        try:
            name = Path(f"/proc/{child}/comm").read_text().strip()
            parent = (
                Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[1]
            )
            parent_name = Path(f"/proc/{parent}/comm").read_text().strip()
        except OSError:
            continue
        if name == "sandbox-host" and parent_name != "sandbox-host":
            found.append(child)
    return found


def descriptor_targets(pid: int) -> list[str]:
    """What each open descriptor of process `pid` points at ("socket:[…]",
    "pipe:[…]", a path), from /proc; one closed meanwhile is left out."""
    targets = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            targets.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except FileNotFoundError:
            continue
    return targets


def live_processes_of(uid: int) -> list[int]:
    """The processes running as `uid` that have not exited (zombies left out)."""
    table = processes()
    return [
        pid
        for pid in processes_of_uid(uid)
        if pid in table and table[pid].state not in ("Z", "X")
    ]
