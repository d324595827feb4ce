"""Processes of `make bench`: Celery workers, receivers, gunicorn; their
memory; bounded waits. Every process is started in its own session and
stopped by its own process group, never by name."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


class Process:
    """A child in its own process group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], logs: Path, ready: bytes | None = None):
        self.name, self.argv, self.env = name, argv, env
        self.log_path = logs / f"{name}.log"
        self.ready = ready
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 90) -> Process:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if self.ready is not None:
            def up():
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
                return self.ready in self.log_path.read_bytes()
            wait_until(up, timeout=timeout, what=f"{self.name} to start")
        return self

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def rss_mb(self) -> float:
        """Resident memory of the process and its children (a worker's pool), in MiB."""
        import psutil

        root = psutil.Process(self.process.pid)
        total = root.memory_info().rss
        for child in root.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / 2**20

    def stop(self, *, timeout: float = 20) -> None:
        if self.process is None:
            return
        pgid = self.process.pid
        if self.process.poll() is None:
            try:
                os.killpg(pgid, signal.SIGTERM)
                self.process.wait(timeout=timeout)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.process = None


def celery_worker(name: str, *, env: dict[str, str], logs: Path, queues: str, concurrency: int,
                  extra: list[str] = ()) -> Process:
    argv = [str(BIN / "celery"), "-A", "config", "worker", "-Q", queues, "--concurrency", str(concurrency),
            "--pool", "prefork", "--loglevel", "INFO", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", *extra]
    return Process(name, argv, env=env, logs=logs, ready=b" ready.").start()


def task_runtimes(log: str, task: str) -> list[float]:
    """Run times of `task` that the worker logged as succeeded."""
    return [float(s) for s in re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded in ([0-9.]+)s", log)]
